# %% variant: post-norm
# Normalises after the residual addition (the original Transformer's post-norm).
class MLP(nn.Module):
    """GPT-2's position-wise feed-forward network: fc, then the tanh-approximated GELU
    (F.gelu(..., approximate="tanh")), then proj.  x (..., n_embd) -> (..., n_embd)."""

    def __init__(self, n_embd):
        super().__init__()
        self.fc = nn.Linear(n_embd, 4 * n_embd)
        self.proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x), approximate="tanh"))


class Block(nn.Module):
    """A pre-norm transformer block, x (B, T, n_embd) -> (B, T, n_embd).

    Two residual sub-layers in turn: attention reads attn_norm(x) and its output is added to x; then the MLP
    reads mlp_norm of the result and its output is added in turn. Nothing else touches the residual stream.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        self.attn_norm = Norm(n_embd)
        self.attn = SelfAttention(n_embd, n_head)
        self.mlp_norm = Norm(n_embd)
        self.mlp = MLP(n_embd)

    def forward(self, x):
        x = self.attn_norm(x + self.attn(x))
        return self.mlp_norm(x + self.mlp(x))

# %% variant: residual-of-the-norm
# Adds the sub-layer's output to the normalised x instead of to x.
class MLP(nn.Module):
    """GPT-2's position-wise feed-forward network: fc, then the tanh-approximated GELU
    (F.gelu(..., approximate="tanh")), then proj.  x (..., n_embd) -> (..., n_embd)."""

    def __init__(self, n_embd):
        super().__init__()
        self.fc = nn.Linear(n_embd, 4 * n_embd)
        self.proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x), approximate="tanh"))


class Block(nn.Module):
    """A pre-norm transformer block, x (B, T, n_embd) -> (B, T, n_embd).

    Two residual sub-layers in turn: attention reads attn_norm(x) and its output is added to x; then the MLP
    reads mlp_norm of the result and its output is added in turn. Nothing else touches the residual stream.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        self.attn_norm = Norm(n_embd)
        self.attn = SelfAttention(n_embd, n_head)
        self.mlp_norm = Norm(n_embd)
        self.mlp = MLP(n_embd)

    def forward(self, x):
        h = self.attn_norm(x)
        x = h + self.attn(h)
        h = self.mlp_norm(x)
        return h + self.mlp(h)

# %% variant: mlp-without-residual
# The MLP's output replaces x instead of being added to it.
class MLP(nn.Module):
    """GPT-2's position-wise feed-forward network: fc, then the tanh-approximated GELU
    (F.gelu(..., approximate="tanh")), then proj.  x (..., n_embd) -> (..., n_embd)."""

    def __init__(self, n_embd):
        super().__init__()
        self.fc = nn.Linear(n_embd, 4 * n_embd)
        self.proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x), approximate="tanh"))


class Block(nn.Module):
    """A pre-norm transformer block, x (B, T, n_embd) -> (B, T, n_embd).

    Two residual sub-layers in turn: attention reads attn_norm(x) and its output is added to x; then the MLP
    reads mlp_norm of the result and its output is added in turn. Nothing else touches the residual stream.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        self.attn_norm = Norm(n_embd)
        self.attn = SelfAttention(n_embd, n_head)
        self.mlp_norm = Norm(n_embd)
        self.mlp = MLP(n_embd)

    def forward(self, x):
        x = x + self.attn(self.attn_norm(x))
        return self.mlp(self.mlp_norm(x))

# %% variant: relu-instead-of-gelu
# Uses a ReLU in the MLP.
class MLP(nn.Module):
    """GPT-2's position-wise feed-forward network: fc, then the tanh-approximated GELU
    (F.gelu(..., approximate="tanh")), then proj.  x (..., n_embd) -> (..., n_embd)."""

    def __init__(self, n_embd):
        super().__init__()
        self.fc = nn.Linear(n_embd, 4 * n_embd)
        self.proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x):
        return self.proj(F.relu(self.fc(x)))


class Block(nn.Module):
    """A pre-norm transformer block, x (B, T, n_embd) -> (B, T, n_embd).

    Two residual sub-layers in turn: attention reads attn_norm(x) and its output is added to x; then the MLP
    reads mlp_norm of the result and its output is added in turn. Nothing else touches the residual stream.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        self.attn_norm = Norm(n_embd)
        self.attn = SelfAttention(n_embd, n_head)
        self.mlp_norm = Norm(n_embd)
        self.mlp = MLP(n_embd)

    def forward(self, x):
        x = x + self.attn(self.attn_norm(x))
        return x + self.mlp(self.mlp_norm(x))

# %% variant: in-place-residual
# Adds the MLP's output to the residual stream in place: forward is right, backward() fails.
class MLP(nn.Module):
    """GPT-2's position-wise feed-forward network: fc, then the tanh-approximated GELU
    (F.gelu(..., approximate="tanh")), then proj.  x (..., n_embd) -> (..., n_embd)."""

    def __init__(self, n_embd):
        super().__init__()
        self.fc = nn.Linear(n_embd, 4 * n_embd)
        self.proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x), approximate="tanh"))


class Block(nn.Module):
    """A pre-norm transformer block, x (B, T, n_embd) -> (B, T, n_embd).

    Two residual sub-layers in turn: attention reads attn_norm(x) and its output is added to x; then the MLP
    reads mlp_norm of the result and its output is added in turn. Nothing else touches the residual stream.
    x may be non-contiguous (so may the MLP's input); gradients flow back through backward() to x and every weight.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        self.attn_norm = Norm(n_embd)
        self.attn = SelfAttention(n_embd, n_head)
        self.mlp_norm = Norm(n_embd)
        self.mlp = MLP(n_embd)

    def forward(self, x):
        x = x + self.attn(self.attn_norm(x))
        x += self.mlp(self.mlp_norm(x))
        return x
        ### END SOLUTION

# %% variant: mlp-flattens-with-view
# The MLP flattens its input with .view: fails on a non-contiguous input.
class MLP(nn.Module):
    """GPT-2's position-wise feed-forward network: fc, then the tanh-approximated GELU
    (F.gelu(..., approximate="tanh")), then proj.  x (..., n_embd) -> (..., n_embd)."""

    def __init__(self, n_embd):
        super().__init__()
        self.fc = nn.Linear(n_embd, 4 * n_embd)
        self.proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x):
        flat = x.view(-1, x.size(-1))
        return self.proj(F.gelu(self.fc(flat), approximate="tanh")).view(x.shape)


class Block(nn.Module):
    """A pre-norm transformer block, x (B, T, n_embd) -> (B, T, n_embd).

    Two residual sub-layers in turn: attention reads attn_norm(x) and its output is added to x; then the MLP
    reads mlp_norm of the result and its output is added in turn. Nothing else touches the residual stream.
    x may be non-contiguous (so may the MLP's input); gradients flow back through backward() to x and every weight.
    """

    def __init__(self, n_embd, n_head):
        super().__init__()
        self.attn_norm = Norm(n_embd)
        self.attn = SelfAttention(n_embd, n_head)
        self.mlp_norm = Norm(n_embd)
        self.mlp = MLP(n_embd)

    def forward(self, x):
        x = x + self.attn(self.attn_norm(x))
        return x + self.mlp(self.mlp_norm(x))
        ### END SOLUTION
