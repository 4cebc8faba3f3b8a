# %% variant: scaling-inverted
# The update is scaled by r / alpha instead of alpha / r.
class LoRALinear(nn.Module):
    """A frozen linear layer plus a low-rank update: base(x) + dropout(x) @ A.T @ B.T * (alpha / r).

    base: an nn.Linear (or any layer with in_features, out_features and a .weight); its parameters are frozen
    (requires_grad False). Attributes the tests read:
        base, r, scaling = alpha / r, merged = False (see section 3: when True, forward returns base(x) alone),
        lora_A: nn.Parameter (r, in_features), filled by nn.init.kaiming_uniform_(lora_A, a=math.sqrt(5)),
        lora_B: nn.Parameter (out_features, r), zeros; both in base.weight's dtype and on its device,
        dropout: nn.Dropout(dropout), applied to x on the adapter path only, once per forward call.
    r must be an int from 1 to min(in_features, out_features); otherwise raise ValueError before changing
    anything (the base stays trainable). x: (..., in_features) -> (..., out_features).
    The tests check the start (output equal to base's), the formula on set A and B, the dropout's place, the
    gradients (none for the base), shapes, dtypes and the rank checks.
    """

    def __init__(self, base, r, alpha, dropout=0.0):
        super().__init__()
        ### BEGIN SOLUTION
        limit = min(base.in_features, base.out_features)
        if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= limit:
            raise ValueError(f"rank r={r!r} must be an integer from 1 to {limit}")
        self.base, self.r, self.scaling, self.merged = base, r, r / alpha, False
        for p in base.parameters():
            p.requires_grad_(False)
        w = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=w.dtype, device=w.device))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        y = self.base(x)
        if self.merged:
            return y
        return y + self.dropout(x) @ self.lora_A.T @ self.lora_B.T * self.scaling
        ### END SOLUTION

# %% variant: a-zero-b-random
# The initialisation is swapped: A starts at zero and B random (no gradient reaches B at the start).
class LoRALinear(nn.Module):
    """A frozen linear layer plus a low-rank update: base(x) + dropout(x) @ A.T @ B.T * (alpha / r).

    base: an nn.Linear (or any layer with in_features, out_features and a .weight); its parameters are frozen
    (requires_grad False). Attributes the tests read:
        base, r, scaling = alpha / r, merged = False (see section 3: when True, forward returns base(x) alone),
        lora_A: nn.Parameter (r, in_features), filled by nn.init.kaiming_uniform_(lora_A, a=math.sqrt(5)),
        lora_B: nn.Parameter (out_features, r), zeros; both in base.weight's dtype and on its device,
        dropout: nn.Dropout(dropout), applied to x on the adapter path only, once per forward call.
    r must be an int from 1 to min(in_features, out_features); otherwise raise ValueError before changing
    anything (the base stays trainable). x: (..., in_features) -> (..., out_features).
    The tests check the start (output equal to base's), the formula on set A and B, the dropout's place, the
    gradients (none for the base), shapes, dtypes and the rank checks.
    """

    def __init__(self, base, r, alpha, dropout=0.0):
        super().__init__()
        ### BEGIN SOLUTION
        limit = min(base.in_features, base.out_features)
        if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= limit:
            raise ValueError(f"rank r={r!r} must be an integer from 1 to {limit}")
        self.base, self.r, self.scaling, self.merged = base, r, alpha / r, False
        for p in base.parameters():
            p.requires_grad_(False)
        w = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=w.dtype, device=w.device))
        nn.init.zeros_(self.lora_A)
        nn.init.kaiming_uniform_(self.lora_B, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        y = self.base(x)
        if self.merged:
            return y
        return y + self.dropout(x) @ self.lora_A.T @ self.lora_B.T * self.scaling
        ### END SOLUTION

# %% variant: base-not-frozen
# The base's parameters are left trainable.
class LoRALinear(nn.Module):
    """A frozen linear layer plus a low-rank update: base(x) + dropout(x) @ A.T @ B.T * (alpha / r).

    base: an nn.Linear (or any layer with in_features, out_features and a .weight); its parameters are frozen
    (requires_grad False). Attributes the tests read:
        base, r, scaling = alpha / r, merged = False (see section 3: when True, forward returns base(x) alone),
        lora_A: nn.Parameter (r, in_features), filled by nn.init.kaiming_uniform_(lora_A, a=math.sqrt(5)),
        lora_B: nn.Parameter (out_features, r), zeros; both in base.weight's dtype and on its device,
        dropout: nn.Dropout(dropout), applied to x on the adapter path only, once per forward call.
    r must be an int from 1 to min(in_features, out_features); otherwise raise ValueError before changing
    anything (the base stays trainable). x: (..., in_features) -> (..., out_features).
    The tests check the start (output equal to base's), the formula on set A and B, the dropout's place, the
    gradients (none for the base), shapes, dtypes and the rank checks.
    """

    def __init__(self, base, r, alpha, dropout=0.0):
        super().__init__()
        ### BEGIN SOLUTION
        limit = min(base.in_features, base.out_features)
        if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= limit:
            raise ValueError(f"rank r={r!r} must be an integer from 1 to {limit}")
        self.base, self.r, self.scaling, self.merged = base, r, alpha / r, False
        w = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=w.dtype, device=w.device))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        y = self.base(x)
        if self.merged:
            return y
        return y + self.dropout(x) @ self.lora_A.T @ self.lora_B.T * self.scaling
        ### END SOLUTION

# %% variant: dropout-on-output
# Dropout is applied to the adapter's output instead of its input.
class LoRALinear(nn.Module):
    """A frozen linear layer plus a low-rank update: base(x) + dropout(x) @ A.T @ B.T * (alpha / r).

    base: an nn.Linear (or any layer with in_features, out_features and a .weight); its parameters are frozen
    (requires_grad False). Attributes the tests read:
        base, r, scaling = alpha / r, merged = False (see section 3: when True, forward returns base(x) alone),
        lora_A: nn.Parameter (r, in_features), filled by nn.init.kaiming_uniform_(lora_A, a=math.sqrt(5)),
        lora_B: nn.Parameter (out_features, r), zeros; both in base.weight's dtype and on its device,
        dropout: nn.Dropout(dropout), applied to x on the adapter path only, once per forward call.
    r must be an int from 1 to min(in_features, out_features); otherwise raise ValueError before changing
    anything (the base stays trainable). x: (..., in_features) -> (..., out_features).
    The tests check the start (output equal to base's), the formula on set A and B, the dropout's place, the
    gradients (none for the base), shapes, dtypes and the rank checks.
    """

    def __init__(self, base, r, alpha, dropout=0.0):
        super().__init__()
        ### BEGIN SOLUTION
        limit = min(base.in_features, base.out_features)
        if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= limit:
            raise ValueError(f"rank r={r!r} must be an integer from 1 to {limit}")
        self.base, self.r, self.scaling, self.merged = base, r, alpha / r, False
        for p in base.parameters():
            p.requires_grad_(False)
        w = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=w.dtype, device=w.device))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        y = self.base(x)
        if self.merged:
            return y
        return y + self.dropout(x @ self.lora_A.T @ self.lora_B.T) * self.scaling
        ### END SOLUTION

# %% variant: ignores-merged
# forward always adds the adapter path, even when merged (the update counts twice).
class LoRALinear(nn.Module):
    """A frozen linear layer plus a low-rank update: base(x) + dropout(x) @ A.T @ B.T * (alpha / r).

    base: an nn.Linear (or any layer with in_features, out_features and a .weight); its parameters are frozen
    (requires_grad False). Attributes the tests read:
        base, r, scaling = alpha / r, merged = False (see section 3: when True, forward returns base(x) alone),
        lora_A: nn.Parameter (r, in_features), filled by nn.init.kaiming_uniform_(lora_A, a=math.sqrt(5)),
        lora_B: nn.Parameter (out_features, r), zeros; both in base.weight's dtype and on its device,
        dropout: nn.Dropout(dropout), applied to x on the adapter path only, once per forward call.
    r must be an int from 1 to min(in_features, out_features); otherwise raise ValueError before changing
    anything (the base stays trainable). x: (..., in_features) -> (..., out_features).
    The tests check the start (output equal to base's), the formula on set A and B, the dropout's place, the
    gradients (none for the base), shapes, dtypes and the rank checks.
    """

    def __init__(self, base, r, alpha, dropout=0.0):
        super().__init__()
        ### BEGIN SOLUTION
        limit = min(base.in_features, base.out_features)
        if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= limit:
            raise ValueError(f"rank r={r!r} must be an integer from 1 to {limit}")
        self.base, self.r, self.scaling, self.merged = base, r, alpha / r, False
        for p in base.parameters():
            p.requires_grad_(False)
        w = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=w.dtype, device=w.device))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        y = self.base(x)
        return y + self.dropout(x) @ self.lora_A.T @ self.lora_B.T * self.scaling
        ### END SOLUTION

# %% variant: normal-init
# A is drawn from a standard normal rather than kaiming-uniform.
class LoRALinear(nn.Module):
    """A frozen linear layer plus a low-rank update: base(x) + dropout(x) @ A.T @ B.T * (alpha / r).

    base: an nn.Linear (or any layer with in_features, out_features and a .weight); its parameters are frozen
    (requires_grad False). Attributes the tests read:
        base, r, scaling = alpha / r, merged = False (see section 3: when True, forward returns base(x) alone),
        lora_A: nn.Parameter (r, in_features), filled by nn.init.kaiming_uniform_(lora_A, a=math.sqrt(5)),
        lora_B: nn.Parameter (out_features, r), zeros; both in base.weight's dtype and on its device,
        dropout: nn.Dropout(dropout), applied to x on the adapter path only, once per forward call.
    r must be an int from 1 to min(in_features, out_features); otherwise raise ValueError before changing
    anything (the base stays trainable). x: (..., in_features) -> (..., out_features).
    The tests check the start (output equal to base's), the formula on set A and B, the dropout's place, the
    gradients (none for the base), shapes, dtypes and the rank checks.
    """

    def __init__(self, base, r, alpha, dropout=0.0):
        super().__init__()
        ### BEGIN SOLUTION
        limit = min(base.in_features, base.out_features)
        if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= limit:
            raise ValueError(f"rank r={r!r} must be an integer from 1 to {limit}")
        self.base, self.r, self.scaling, self.merged = base, r, alpha / r, False
        for p in base.parameters():
            p.requires_grad_(False)
        w = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=w.dtype, device=w.device))
        nn.init.normal_(self.lora_A)
        self.dropout = nn.Dropout(dropout)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        y = self.base(x)
        if self.merged:
            return y
        return y + self.dropout(x) @ self.lora_A.T @ self.lora_B.T * self.scaling
        ### END SOLUTION
