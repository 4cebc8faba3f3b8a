"""Week 11: Chinchilla's scaling law, L(N, D) = E + A / N^alpha + B / D^beta, fitted to small runs.

N is the number of parameters, D the number of training tokens. As Hoffmann et al. (2022, appendix D.2) fit
it: in log space, with a = log A, b = log B, e = log E, the model's log-loss is
    log L = logsumexp(a - alpha log N, b - beta log D, e),
and the fit minimises the Huber loss (delta 1e-3) between that and the measured log-losses with L-BFGS, from
a grid of starting points (9 here), keeping the best. The training compute is C = 6 N D FLOPs (2 for the forward pass,
4 for the backward pass, per parameter and token); minimising L under it gives the compute-optimal size
    N_opt(C) = G (C / 6)^(beta / (alpha + beta)),  G = (alpha A / (beta B))^(1 / (alpha + beta)),
and D_opt = C / (6 N_opt).
"""

import itertools
import math

import torch
import torch.nn.functional as F

FLOPS_PER_PARAMETER_TOKEN = 6


def chinchilla_loss(n, d, params):
    """E + A / n^alpha + B / d^beta for params {"E", "A", "B", "alpha", "beta"}; n, d numbers or tensors."""
    return params["E"] + params["A"] / n ** params["alpha"] + params["B"] / d ** params["beta"]


def _log_loss(theta, log_n, log_d):
    a, b, e, alpha, beta = theta
    return torch.logsumexp(torch.stack([a - alpha * log_n, b - beta * log_d, e.expand_as(log_n)]), dim=0)


def fit_scaling_law(n, d, loss, delta=1e-3, steps=100):
    """Fit L(N, D) to runs with n parameters, d tokens and final loss `loss` (three equal-length 1-d sequences).

    Returns {"E", "A", "B", "alpha", "beta", "objective"} as floats (objective: the mean Huber loss at the fit).
    ValueError for fewer than 5 runs (5 unknowns), lengths that differ, or a value that is not positive.
    """
    n, d, loss = (torch.as_tensor(x, dtype=torch.float64).flatten() for x in (n, d, loss))
    if not len(n) == len(d) == len(loss):
        raise ValueError(f"n, d and loss must have the same length, got {len(n)}, {len(d)}, {len(loss)}")
    if len(n) < 5:
        raise ValueError(f"fitting 5 unknowns needs at least 5 runs, got {len(n)}")
    for name, x in (("n", n), ("d", d), ("loss", loss)):
        if not torch.all(x > 0):
            raise ValueError(f"{name} must be positive everywhere (the fit is in log space)")
    log_n, log_d, log_loss = n.log(), d.log(), loss.log()
    best = None
    for a, b, e, alpha, beta in itertools.product((0.0, 5.0, 10.0), (0.0, 5.0, 10.0), (0.5,), (0.3,), (0.3,)):
        theta = torch.tensor([a, b, e, alpha, beta], dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.LBFGS([theta], lr=1, max_iter=steps, tolerance_grad=1e-12, tolerance_change=1e-15,
                                      line_search_fn="strong_wolfe")

        def objective():
            optimizer.zero_grad()
            value = F.huber_loss(_log_loss(theta, log_n, log_d), log_loss, delta=delta)
            value.backward()
            return value

        optimizer.step(objective)
        with torch.no_grad():
            value = F.huber_loss(_log_loss(theta, log_n, log_d), log_loss, delta=delta).item()
        if math.isfinite(value) and (best is None or value < best[0]):
            best = value, theta.detach().clone()
    value, (a, b, e, alpha, beta) = best
    return {"E": math.exp(e), "A": math.exp(a), "B": math.exp(b), "alpha": alpha.item(), "beta": beta.item(),
            "objective": value}


def compute_optimal(compute, params):
    """The (N_opt, D_opt) that minimise L(N, D) under 6 N D = compute FLOPs, in closed form (see the module)."""
    alpha, beta = params["alpha"], params["beta"]
    g = (alpha * params["A"] / (beta * params["B"])) ** (1 / (alpha + beta))
    n_opt = g * (compute / FLOPS_PER_PARAMETER_TOKEN) ** (beta / (alpha + beta))
    return n_opt, compute / (FLOPS_PER_PARAMETER_TOKEN * n_opt)
