# %% variant: soft-fraction
# f_i is the mean probability (P_i) instead of the fraction of choices.
def load_balancing_loss(router_logits, top_k):
    """Switch Transformer's E * sum_i f_i * P_i for router_logits (N, E); a 0-d tensor in the logits' dtype.

    f_i: the fraction of the N * top_k top-k choices (torch.topk of the softmax) that pick expert i (a count,
    no gradient); P_i: the mean softmax probability of expert i over the N tokens (it carries the gradient).
    1 when both are uniform, E when one expert gets every token and all the probability.
    """
    ### BEGIN SOLUTION
    probs = torch.softmax(router_logits, dim=-1)
    chosen = torch.topk(probs, top_k, dim=-1).indices
    fraction = torch.bincount(chosen.flatten(), minlength=probs.size(-1)).to(probs.dtype) / chosen.numel()
    return probs.size(-1) * (probs.mean(dim=0) ** 2).sum()
    ### END SOLUTION


def router_z_loss(router_logits):
    """ST-MoE's router z-loss: the mean over the N tokens of logsumexp(router_logits[t])^2; a 0-d tensor."""
    ### BEGIN SOLUTION
    return torch.logsumexp(router_logits, dim=-1).pow(2).mean()
    ### END SOLUTION

# %% variant: no-expert-factor
# Forgets the factor E, so a balanced router gives 1/E.
def load_balancing_loss(router_logits, top_k):
    """Switch Transformer's E * sum_i f_i * P_i for router_logits (N, E); a 0-d tensor in the logits' dtype.

    f_i: the fraction of the N * top_k top-k choices (torch.topk of the softmax) that pick expert i (a count,
    no gradient); P_i: the mean softmax probability of expert i over the N tokens (it carries the gradient).
    1 when both are uniform, E when one expert gets every token and all the probability.
    """
    ### BEGIN SOLUTION
    probs = torch.softmax(router_logits, dim=-1)
    chosen = torch.topk(probs, top_k, dim=-1).indices
    fraction = torch.bincount(chosen.flatten(), minlength=probs.size(-1)).to(probs.dtype) / chosen.numel()
    return (fraction * probs.mean(dim=0)).sum()
    ### END SOLUTION


def router_z_loss(router_logits):
    """ST-MoE's router z-loss: the mean over the N tokens of logsumexp(router_logits[t])^2; a 0-d tensor."""
    ### BEGIN SOLUTION
    return torch.logsumexp(router_logits, dim=-1).pow(2).mean()
    ### END SOLUTION

# %% variant: z-not-squared
# The z-loss forgets the square.
def load_balancing_loss(router_logits, top_k):
    """Switch Transformer's E * sum_i f_i * P_i for router_logits (N, E); a 0-d tensor in the logits' dtype.

    f_i: the fraction of the N * top_k top-k choices (torch.topk of the softmax) that pick expert i (a count,
    no gradient); P_i: the mean softmax probability of expert i over the N tokens (it carries the gradient).
    1 when both are uniform, E when one expert gets every token and all the probability.
    """
    ### BEGIN SOLUTION
    probs = torch.softmax(router_logits, dim=-1)
    chosen = torch.topk(probs, top_k, dim=-1).indices
    fraction = torch.bincount(chosen.flatten(), minlength=probs.size(-1)).to(probs.dtype) / chosen.numel()
    return probs.size(-1) * (fraction * probs.mean(dim=0)).sum()
    ### END SOLUTION


def router_z_loss(router_logits):
    """ST-MoE's router z-loss: the mean over the N tokens of logsumexp(router_logits[t])^2; a 0-d tensor."""
    ### BEGIN SOLUTION
    return torch.logsumexp(router_logits, dim=-1).mean()
    ### END SOLUTION
