# %% variant: no-renormalise
# Weights the chosen experts by their raw softmax probabilities.
class MoE(nn.Module):
    """Top-k mixture of SwiGLU experts (Mixtral's routing).

    __init__(n_embd, hidden, n_experts, top_k): self.router = nn.Linear(n_embd, n_experts, bias=False) and
    self.experts = nn.ModuleList of n_experts SwiGLU(n_embd, hidden) (minillm.model.SwiGLU, imported above), so
    the state-dict keys are router.weight and experts.{e}.w1/w2/w3.weight, as minillm.moe.MoE's.
    top_k < 1 or top_k > n_experts: ValueError naming top_k.
    forward(x (..., n_embd)) -> (y of x's shape and dtype, router_logits (N, n_experts)), N = number of tokens:
    p = softmax(router logits); each token's top_k experts (torch.topk of p) run on it and their outputs are
    summed with the chosen p renormalised to sum to 1. Run each expert only on the tokens routed to it.
    The tests load minillm.moe.MoE's weights into yours and compare outputs, logits and gradients.
    """

    def __init__(self, n_embd, hidden, n_experts, top_k):
        super().__init__()
        ### BEGIN SOLUTION
        if not 1 <= top_k <= n_experts:
            raise ValueError(f"top_k must be between 1 and n_experts ({n_experts}), got {top_k}")
        self.top_k = top_k
        self.router = nn.Linear(n_embd, n_experts, bias=False)
        self.experts = nn.ModuleList(SwiGLU(n_embd, hidden) for _ in range(n_experts))
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        flat = x.reshape(-1, x.size(-1))
        logits = self.router(flat)
        weights, chosen = torch.topk(torch.softmax(logits, dim=-1), self.top_k, dim=-1)
        y = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            token, slot = torch.where(chosen == e)
            y.index_add_(0, token, expert(flat[token]) * weights[token, slot, None])
        return y.view(x.shape), logits
        ### END SOLUTION

# %% variant: weights-on-input
# Scales the expert's input by the weight instead of its output.
class MoE(nn.Module):
    """Top-k mixture of SwiGLU experts (Mixtral's routing).

    __init__(n_embd, hidden, n_experts, top_k): self.router = nn.Linear(n_embd, n_experts, bias=False) and
    self.experts = nn.ModuleList of n_experts SwiGLU(n_embd, hidden) (minillm.model.SwiGLU, imported above), so
    the state-dict keys are router.weight and experts.{e}.w1/w2/w3.weight, as minillm.moe.MoE's.
    top_k < 1 or top_k > n_experts: ValueError naming top_k.
    forward(x (..., n_embd)) -> (y of x's shape and dtype, router_logits (N, n_experts)), N = number of tokens:
    p = softmax(router logits); each token's top_k experts (torch.topk of p) run on it and their outputs are
    summed with the chosen p renormalised to sum to 1. Run each expert only on the tokens routed to it.
    The tests load minillm.moe.MoE's weights into yours and compare outputs, logits and gradients.
    """

    def __init__(self, n_embd, hidden, n_experts, top_k):
        super().__init__()
        ### BEGIN SOLUTION
        if not 1 <= top_k <= n_experts:
            raise ValueError(f"top_k must be between 1 and n_experts ({n_experts}), got {top_k}")
        self.top_k = top_k
        self.router = nn.Linear(n_embd, n_experts, bias=False)
        self.experts = nn.ModuleList(SwiGLU(n_embd, hidden) for _ in range(n_experts))
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        flat = x.reshape(-1, x.size(-1))
        logits = self.router(flat)
        weights, chosen = torch.topk(torch.softmax(logits, dim=-1), self.top_k, dim=-1)
        weights = weights / weights.sum(dim=-1, keepdim=True)
        y = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            token, slot = torch.where(chosen == e)
            y.index_add_(0, token, expert(flat[token] * weights[token, slot, None]))
        return y.view(x.shape), logits
        ### END SOLUTION

# %% variant: no-top-k-check
# Accepts a top_k larger than the number of experts (and then crashes in torch.topk).
class MoE(nn.Module):
    """Top-k mixture of SwiGLU experts (Mixtral's routing).

    __init__(n_embd, hidden, n_experts, top_k): self.router = nn.Linear(n_embd, n_experts, bias=False) and
    self.experts = nn.ModuleList of n_experts SwiGLU(n_embd, hidden) (minillm.model.SwiGLU, imported above), so
    the state-dict keys are router.weight and experts.{e}.w1/w2/w3.weight, as minillm.moe.MoE's.
    top_k < 1 or top_k > n_experts: ValueError naming top_k.
    forward(x (..., n_embd)) -> (y of x's shape and dtype, router_logits (N, n_experts)), N = number of tokens:
    p = softmax(router logits); each token's top_k experts (torch.topk of p) run on it and their outputs are
    summed with the chosen p renormalised to sum to 1. Run each expert only on the tokens routed to it.
    The tests load minillm.moe.MoE's weights into yours and compare outputs, logits and gradients.
    """

    def __init__(self, n_embd, hidden, n_experts, top_k):
        super().__init__()
        ### BEGIN SOLUTION
        if top_k < 1:
            raise ValueError(f"top_k must be between 1 and n_experts ({n_experts}), got {top_k}")
        self.top_k = top_k
        self.router = nn.Linear(n_embd, n_experts, bias=False)
        self.experts = nn.ModuleList(SwiGLU(n_embd, hidden) for _ in range(n_experts))
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        flat = x.reshape(-1, x.size(-1))
        logits = self.router(flat)
        weights, chosen = torch.topk(torch.softmax(logits, dim=-1), self.top_k, dim=-1)
        weights = weights / weights.sum(dim=-1, keepdim=True)
        y = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            token, slot = torch.where(chosen == e)
            y.index_add_(0, token, expert(flat[token]) * weights[token, slot, None])
        return y.view(x.shape), logits
        ### END SOLUTION
