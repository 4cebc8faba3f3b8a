# %% variant: heads-without-transpose
# Splits the heads with a view straight to (B, n_head, T, head_dim).
class MultiHeadAttention(nn.Module):
    """Causal multi-head self-attention with one projection for the queries, keys and values of all heads.

    qkv: nn.Linear(n_embd, 3 * n_embd). Split its output into three blocks of n_embd features: q, k, v in this
         order; within each block, head h owns features h * head_dim ... (h + 1) * head_dim - 1.
    out: nn.Linear(n_embd, n_embd), applied to the heads' outputs put side by side (head 0 first).
    forward: x (B, T, n_embd) -> (B, T, n_embd). Compute attention itself with attend(q, k, v) on q, k, v of
    shape (B, n_head, T, head_dim), and call self.qkv once.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be divisible by n_head ({n_head})")
        self.n_head, self.head_dim = n_head, n_embd // n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.out = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)  # each (B, T, C)
        q, k, v = (t.view(B, self.n_head, T, self.head_dim) for t in (q, k, v))  # (B, H, T, D)
        y = attend(q, k, v).transpose(1, 2).reshape(B, T, C)  # heads side by side again
        return self.out(y)

# %% variant: merge-without-transpose
# Merges the heads without transposing back first.
class MultiHeadAttention(nn.Module):
    """Causal multi-head self-attention with one projection for the queries, keys and values of all heads.

    qkv: nn.Linear(n_embd, 3 * n_embd). Split its output into three blocks of n_embd features: q, k, v in this
         order; within each block, head h owns features h * head_dim ... (h + 1) * head_dim - 1.
    out: nn.Linear(n_embd, n_embd), applied to the heads' outputs put side by side (head 0 first).
    forward: x (B, T, n_embd) -> (B, T, n_embd). Compute attention itself with attend(q, k, v) on q, k, v of
    shape (B, n_head, T, head_dim), and call self.qkv once.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be divisible by n_head ({n_head})")
        self.n_head, self.head_dim = n_head, n_embd // n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.out = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)  # each (B, T, C)
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        y = attend(q, k, v).reshape(B, T, C)  # heads side by side again
        return self.out(y)

# %% variant: q-k-v-swapped
# Takes the keys from the first block of qkv and the queries from the second.
class MultiHeadAttention(nn.Module):
    """Causal multi-head self-attention with one projection for the queries, keys and values of all heads.

    qkv: nn.Linear(n_embd, 3 * n_embd). Split its output into three blocks of n_embd features: q, k, v in this
         order; within each block, head h owns features h * head_dim ... (h + 1) * head_dim - 1.
    out: nn.Linear(n_embd, n_embd), applied to the heads' outputs put side by side (head 0 first).
    forward: x (B, T, n_embd) -> (B, T, n_embd). Compute attention itself with attend(q, k, v) on q, k, v of
    shape (B, n_head, T, head_dim), and call self.qkv once.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be divisible by n_head ({n_head})")
        self.n_head, self.head_dim = n_head, n_embd // n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.out = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        k, q, v = self.qkv(x).split(C, dim=-1)  # each (B, T, C)
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        y = attend(q, k, v).transpose(1, 2).reshape(B, T, C)  # heads side by side again
        return self.out(y)

# %% variant: no-output-projection
# Forgets the output projection.
class MultiHeadAttention(nn.Module):
    """Causal multi-head self-attention with one projection for the queries, keys and values of all heads.

    qkv: nn.Linear(n_embd, 3 * n_embd). Split its output into three blocks of n_embd features: q, k, v in this
         order; within each block, head h owns features h * head_dim ... (h + 1) * head_dim - 1.
    out: nn.Linear(n_embd, n_embd), applied to the heads' outputs put side by side (head 0 first).
    forward: x (B, T, n_embd) -> (B, T, n_embd). Compute attention itself with attend(q, k, v) on q, k, v of
    shape (B, n_head, T, head_dim), and call self.qkv once.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be divisible by n_head ({n_head})")
        self.n_head, self.head_dim = n_head, n_embd // n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.out = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)  # each (B, T, C)
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        y = attend(q, k, v).transpose(1, 2).reshape(B, T, C)  # heads side by side again
        return y

# %% variant: not-causal
# Calls PyTorch's attention without the causal mask.
class MultiHeadAttention(nn.Module):
    """Causal multi-head self-attention with one projection for the queries, keys and values of all heads.

    qkv: nn.Linear(n_embd, 3 * n_embd). Split its output into three blocks of n_embd features: q, k, v in this
         order; within each block, head h owns features h * head_dim ... (h + 1) * head_dim - 1.
    out: nn.Linear(n_embd, n_embd), applied to the heads' outputs put side by side (head 0 first).
    forward: x (B, T, n_embd) -> (B, T, n_embd). Compute attention itself with attend(q, k, v) on q, k, v of
    shape (B, n_head, T, head_dim), and call self.qkv once.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be divisible by n_head ({n_head})")
        self.n_head, self.head_dim = n_head, n_embd // n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.out = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)  # each (B, T, C)
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        y = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(B, T, C)  # heads side by side again
        return self.out(y)

# %% variant: view-after-transpose
# Merges the heads with .view after the transpose: works only when attend returns a layout that allows it.
class MultiHeadAttention(nn.Module):
    """Causal multi-head self-attention with one projection for the queries, keys and values of all heads.

    qkv: nn.Linear(n_embd, 3 * n_embd). Split its output into three blocks of n_embd features: q, k, v in this
         order; within each block, head h owns features h * head_dim ... (h + 1) * head_dim - 1.
    out: nn.Linear(n_embd, n_embd), applied to the heads' outputs put side by side (head 0 first).
    forward: x (B, T, n_embd) -> (B, T, n_embd). Compute attention itself with attend(q, k, v) on q, k, v of
    shape (B, n_head, T, head_dim), and call self.qkv once.
    x may be non-contiguous, and so may attend's output or not: make no assumption about its memory layout.
    Gradients flow back to x and to every weight through backward().
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be divisible by n_head ({n_head})")
        self.n_head, self.head_dim = n_head, n_embd // n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.out = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)  # each (B, T, C)
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        y = attend(q, k, v).transpose(1, 2).view(B, T, C)  # heads side by side again
        return self.out(y)
        ### END SOLUTION

# %% variant: qkv-called-three-times
# Calls self.qkv once for each of q, k and v (the contract says once).
class MultiHeadAttention(nn.Module):
    """Causal multi-head self-attention with one projection for the queries, keys and values of all heads.

    qkv: nn.Linear(n_embd, 3 * n_embd). Split its output into three blocks of n_embd features: q, k, v in this
         order; within each block, head h owns features h * head_dim ... (h + 1) * head_dim - 1.
    out: nn.Linear(n_embd, n_embd), applied to the heads' outputs put side by side (head 0 first).
    forward: x (B, T, n_embd) -> (B, T, n_embd). Compute attention itself with attend(q, k, v) on q, k, v of
    shape (B, n_head, T, head_dim), and call self.qkv once.
    x may be non-contiguous, and so may attend's output or not: make no assumption about its memory layout.
    Gradients flow back to x and to every weight through backward().
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be divisible by n_head ({n_head})")
        self.n_head, self.head_dim = n_head, n_embd // n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.out = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = (self.qkv(x)[..., i * C:(i + 1) * C] for i in range(3))
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        y = attend(q, k, v).transpose(1, 2).reshape(B, T, C)  # heads side by side again
        return self.out(y)
        ### END SOLUTION
