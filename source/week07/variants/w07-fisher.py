# %% variant: batch-mean-gradient
# The Fisher is the square of the batch-mean log-likelihood's gradient, not the mean of per-example squares.
def fisher_diagonal(model, examples, log_likelihood):
    """The diagonal empirical Fisher: F = mean over examples of (d log_likelihood(model, example) / d theta)^2.

    examples: an iterable (a list, or a generator or zip that can be read only once), at least one example;
        none raises ValueError naming "examples".
    log_likelihood(model, example) -> a 0-d tensor, log p(example | theta), differentiable in the parameters.
    Returns a dict {name: tensor shaped and typed like the parameter}, one entry per parameter with
    requires_grad, in model.named_parameters() order; frozen parameters are left out. One gradient per example
    (torch.autograd.grad), squared, then averaged; every p.grad is left as it was (e.g. still None).
    The tests check a logistic regression against its closed form, a small softmax network, float64,
    frozen parameters, and that the result differs from the square of the batch-mean gradient.
    """
    ### BEGIN SOLUTION
    examples = list(examples)
    if not examples:
        raise ValueError("examples is empty: the Fisher information averages over at least one example")
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    totals = {name: torch.zeros_like(p) for name, p in params.items()}
    mean = sum(log_likelihood(model, example) for example in examples) / len(examples)
    grads = torch.autograd.grad(mean, list(params.values()), allow_unused=True)
    return {name: torch.zeros_like(p) if g is None else g ** 2 for (name, p), g in zip(params.items(), grads)}
    ### END SOLUTION

# %% variant: sum-not-mean
# The squared gradients are summed over the examples, not averaged.
def fisher_diagonal(model, examples, log_likelihood):
    """The diagonal empirical Fisher: F = mean over examples of (d log_likelihood(model, example) / d theta)^2.

    examples: an iterable (a list, or a generator or zip that can be read only once), at least one example;
        none raises ValueError naming "examples".
    log_likelihood(model, example) -> a 0-d tensor, log p(example | theta), differentiable in the parameters.
    Returns a dict {name: tensor shaped and typed like the parameter}, one entry per parameter with
    requires_grad, in model.named_parameters() order; frozen parameters are left out. One gradient per example
    (torch.autograd.grad), squared, then averaged; every p.grad is left as it was (e.g. still None).
    The tests check a logistic regression against its closed form, a small softmax network, float64,
    frozen parameters, and that the result differs from the square of the batch-mean gradient.
    """
    ### BEGIN SOLUTION
    examples = list(examples)
    if not examples:
        raise ValueError("examples is empty: the Fisher information averages over at least one example")
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    totals = {name: torch.zeros_like(p) for name, p in params.items()}
    for example in examples:
        grads = torch.autograd.grad(log_likelihood(model, example), list(params.values()), allow_unused=True)
        for name, grad in zip(params, grads):
            if grad is not None:
                totals[name] += grad ** 2
    return totals
    ### END SOLUTION

# %% variant: abs-not-square
# Each example's gradient enters by its absolute value instead of its square.
def fisher_diagonal(model, examples, log_likelihood):
    """The diagonal empirical Fisher: F = mean over examples of (d log_likelihood(model, example) / d theta)^2.

    examples: an iterable (a list, or a generator or zip that can be read only once), at least one example;
        none raises ValueError naming "examples".
    log_likelihood(model, example) -> a 0-d tensor, log p(example | theta), differentiable in the parameters.
    Returns a dict {name: tensor shaped and typed like the parameter}, one entry per parameter with
    requires_grad, in model.named_parameters() order; frozen parameters are left out. One gradient per example
    (torch.autograd.grad), squared, then averaged; every p.grad is left as it was (e.g. still None).
    The tests check a logistic regression against its closed form, a small softmax network, float64,
    frozen parameters, and that the result differs from the square of the batch-mean gradient.
    """
    ### BEGIN SOLUTION
    examples = list(examples)
    if not examples:
        raise ValueError("examples is empty: the Fisher information averages over at least one example")
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    totals = {name: torch.zeros_like(p) for name, p in params.items()}
    for example in examples:
        grads = torch.autograd.grad(log_likelihood(model, example), list(params.values()), allow_unused=True)
        for name, grad in zip(params, grads):
            if grad is not None:
                totals[name] += grad.abs()
    return {name: total / len(examples) for name, total in totals.items()}
    ### END SOLUTION
