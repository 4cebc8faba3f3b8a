# %% variant: linear-space-fit
# Fits L itself with squared errors instead of log L with the Huber loss.
def fit_scaling_law(n, d, loss):
    """Chinchilla's fit of L(N, D) = E + A / N^alpha + B / D^beta to runs (n, d, loss: 1-d sequences or
    tensors of equal length >= 5, positive).

    In float64, theta = (a, b, e, alpha, beta); the model's log-loss logsumexp([a - alpha log n, b - beta log d, e])
    (torch.logsumexp over a stacked first axis); objective F.huber_loss(model log-loss, log loss, delta=1e-3)
    (the mean); torch.optim.LBFGS([theta], lr=1, max_iter=100, tolerance_grad=1e-12, tolerance_change=1e-15,
    line_search_fn="strong_wolfe"), one .step(closure) from each start of the grid a, b in (0, 5, 10), e = 0.5,
    alpha = beta = 0.3 (9 starts, in itertools.product order); keep the start with the lowest finite objective
    after its step.
    Returns {"E": exp(e), "A": exp(a), "B": exp(b), "alpha", "beta"}, Python floats.
    """
    ### BEGIN SOLUTION
    import itertools

    n, d, loss = (torch.as_tensor(x, dtype=torch.float64) for x in (n, d, loss))
    log_n, log_d, log_loss = n.log(), d.log(), loss.log()

    def objective_of(theta):
        a, b, e, alpha, beta = theta
        model = torch.logsumexp(torch.stack([a - alpha * log_n, b - beta * log_d, e.expand_as(log_n)]), dim=0)
        return F.mse_loss(model.exp(), log_loss.exp())

    best = None
    for start in itertools.product((0.0, 5.0, 10.0), (0.0, 5.0, 10.0), (0.5,), (0.3,), (0.3,)):
        theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.LBFGS([theta], lr=1, max_iter=100, tolerance_grad=1e-12, tolerance_change=1e-15,
                                      line_search_fn="strong_wolfe")

        def closure():
            optimizer.zero_grad()
            value = objective_of(theta)
            value.backward()
            return value

        optimizer.step(closure)
        with torch.no_grad():
            value = objective_of(theta).item()
        if math.isfinite(value) and (best is None or value < best[0]):
            best = value, theta.detach().tolist()
    a, b, e, alpha, beta = best[1]
    return {"E": math.exp(e), "A": math.exp(a), "B": math.exp(b), "alpha": alpha, "beta": beta}
    ### END SOLUTION


def compute_optimal(compute, params):
    """(N_opt, D_opt), Python floats: the N and D that minimise L(N, D) under 6 N D = compute (FLOPs), in the
    closed form above, for params {"E", "A", "B", "alpha", "beta"}."""
    ### BEGIN SOLUTION
    alpha, beta = params["alpha"], params["beta"]
    g = (alpha * params["A"] / (beta * params["B"])) ** (1 / (alpha + beta))
    n_opt = g * (compute / 6) ** (beta / (alpha + beta))
    return n_opt, compute / (6 * n_opt)
    ### END SOLUTION

# %% variant: compute-2nd
# Counts C = 2 N D (forward only) instead of 6 N D.
def fit_scaling_law(n, d, loss):
    """Chinchilla's fit of L(N, D) = E + A / N^alpha + B / D^beta to runs (n, d, loss: 1-d sequences or
    tensors of equal length >= 5, positive).

    In float64, theta = (a, b, e, alpha, beta); the model's log-loss logsumexp([a - alpha log n, b - beta log d, e])
    (torch.logsumexp over a stacked first axis); objective F.huber_loss(model log-loss, log loss, delta=1e-3)
    (the mean); torch.optim.LBFGS([theta], lr=1, max_iter=100, tolerance_grad=1e-12, tolerance_change=1e-15,
    line_search_fn="strong_wolfe"), one .step(closure) from each start of the grid a, b in (0, 5, 10), e = 0.5,
    alpha = beta = 0.3 (9 starts, in itertools.product order); keep the start with the lowest finite objective
    after its step.
    Returns {"E": exp(e), "A": exp(a), "B": exp(b), "alpha", "beta"}, Python floats.
    """
    ### BEGIN SOLUTION
    import itertools

    n, d, loss = (torch.as_tensor(x, dtype=torch.float64) for x in (n, d, loss))
    log_n, log_d, log_loss = n.log(), d.log(), loss.log()

    def objective_of(theta):
        a, b, e, alpha, beta = theta
        model = torch.logsumexp(torch.stack([a - alpha * log_n, b - beta * log_d, e.expand_as(log_n)]), dim=0)
        return F.huber_loss(model, log_loss, delta=1e-3)

    best = None
    for start in itertools.product((0.0, 5.0, 10.0), (0.0, 5.0, 10.0), (0.5,), (0.3,), (0.3,)):
        theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.LBFGS([theta], lr=1, max_iter=100, tolerance_grad=1e-12, tolerance_change=1e-15,
                                      line_search_fn="strong_wolfe")

        def closure():
            optimizer.zero_grad()
            value = objective_of(theta)
            value.backward()
            return value

        optimizer.step(closure)
        with torch.no_grad():
            value = objective_of(theta).item()
        if math.isfinite(value) and (best is None or value < best[0]):
            best = value, theta.detach().tolist()
    a, b, e, alpha, beta = best[1]
    return {"E": math.exp(e), "A": math.exp(a), "B": math.exp(b), "alpha": alpha, "beta": beta}
    ### END SOLUTION


def compute_optimal(compute, params):
    """(N_opt, D_opt), Python floats: the N and D that minimise L(N, D) under 6 N D = compute (FLOPs), in the
    closed form above, for params {"E", "A", "B", "alpha", "beta"}."""
    ### BEGIN SOLUTION
    alpha, beta = params["alpha"], params["beta"]
    g = (alpha * params["A"] / (beta * params["B"])) ** (1 / (alpha + beta))
    n_opt = g * (compute / 2) ** (beta / (alpha + beta))
    return n_opt, compute / (2 * n_opt)
    ### END SOLUTION
