"""A sparse mixture-of-experts feed-forward layer (Mixtral's layout) and its two auxiliary losses.

Each token's router logits z = router(x) (E = n_experts of them) become probabilities softmax(z); the token
goes to its top_k most likely experts, whose outputs are summed with those probabilities renormalised over
the chosen k (Mixtral; normalize=False keeps the raw probabilities, as Switch does for k = 1). Each expert is
a SwiGLU MLP. Only k of the E experts run per token, so a token costs k experts' compute while the layer
holds E experts' parameters.

State-dict keys (C = n_embd, F = hidden, E = n_experts):

    router.weight               (E, C)
    experts.{e}.w1.weight       (F, C)      gate        w2(silu(w1 x) * w3 x), as minillm.model.SwiGLU
    experts.{e}.w3.weight       (F, C)      up
    experts.{e}.w2.weight       (C, F)      down

Auxiliary losses, from the router logits of a batch (N tokens, E experts):
- `load_balancing_loss`: Switch Transformer's E * sum_i f_i * P_i, where f_i is the fraction of the N * k
  assignments that go to expert i and P_i the mean router probability of expert i. It is 1 when both are
  uniform and grows to E when one expert gets every token and all the probability. (transformers'
  `load_balancing_loss_func` counts f over the k slots separately, which gives k times this value.)
- `router_z_loss`: ST-MoE's mean over tokens of logsumexp(z)^2, which keeps the logits small.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from minillm.model import SwiGLU


def route(router_logits, top_k, normalize=True):
    """router_logits (N, E) -> (weights (N, top_k), experts (N, top_k) int64), most likely expert first."""
    probs = torch.softmax(router_logits, dim=-1)
    weights, experts = torch.topk(probs, top_k, dim=-1)
    if normalize:
        weights = weights / weights.sum(dim=-1, keepdim=True)
    return weights, experts


def load_balancing_loss(router_logits, top_k):
    """E * sum_i f_i * P_i for router_logits (N, E) (see the module docstring); a scalar tensor.

    f_i counts assignments (no gradient flows through the choice); P_i carries the gradient to the router."""
    n_experts = router_logits.size(-1)
    probs = torch.softmax(router_logits, dim=-1)
    chosen = torch.topk(probs, top_k, dim=-1).indices  # (N, top_k)
    fraction = torch.bincount(chosen.flatten(), minlength=n_experts).to(probs.dtype) / chosen.numel()
    return n_experts * (fraction * probs.mean(dim=0)).sum()


def router_z_loss(router_logits):
    """Mean over tokens of logsumexp(z)^2 for router_logits (N, E); a scalar tensor."""
    return torch.logsumexp(router_logits, dim=-1).pow(2).mean()


class MoE(nn.Module):
    """Top-k mixture of SwiGLU experts. forward: x (..., C) -> (y (..., C), router_logits (N, E)), N = tokens.

    Each expert runs only on the tokens routed to it; pass router_logits to the auxiliary losses.
    """

    def __init__(self, n_embd, hidden, n_experts, top_k, normalize=True):
        super().__init__()
        for name, value in (("n_embd", n_embd), ("hidden", hidden), ("n_experts", n_experts), ("top_k", top_k)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if top_k > n_experts:
            raise ValueError(f"top_k ({top_k}) must not exceed n_experts ({n_experts})")
        self.top_k, self.normalize = top_k, normalize
        self.router = nn.Linear(n_embd, n_experts, bias=False)
        self.experts = nn.ModuleList(SwiGLU(n_embd, hidden) for _ in range(n_experts))

    def forward(self, x):
        flat = x.reshape(-1, x.size(-1))  # (N, C)
        logits = self.router(flat)  # (N, E)
        weights, experts = route(logits, self.top_k, self.normalize)
        y = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            token, slot = torch.where(experts == e)
            if token.numel():
                y.index_add_(0, token, expert(flat[token]) * weights[token, slot, None])
        return y.view(x.shape), logits
