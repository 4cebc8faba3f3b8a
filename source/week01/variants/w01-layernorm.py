# %% variant: unbiased-variance
# Divides by n_embd - 1 (the unbiased variance).
class LayerNorm(nn.Module):
    """Layer normalisation over the last dimension, equal to nn.LayerNorm(n_embd, eps=eps).

    weight (the gain) starts as ones and bias as zeros, both of shape (n_embd,).
    forward: x (..., n_embd) -> same shape: every vector along the last dimension normalised to mean 0 and
    variance 1 as in the formula above, then multiplied by weight and shifted by bias.
    """

    def __init__(self, n_embd, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(n_embd))
        self.bias = nn.Parameter(torch.zeros(n_embd))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True, unbiased=True)
        return (x - mean) / torch.sqrt(variance + self.eps) * self.weight + self.bias

# %% variant: eps-outside-sqrt
# Adds eps to the standard deviation instead of the variance.
class LayerNorm(nn.Module):
    """Layer normalisation over the last dimension, equal to nn.LayerNorm(n_embd, eps=eps).

    weight (the gain) starts as ones and bias as zeros, both of shape (n_embd,).
    forward: x (..., n_embd) -> same shape: every vector along the last dimension normalised to mean 0 and
    variance 1 as in the formula above, then multiplied by weight and shifted by bias.
    """

    def __init__(self, n_embd, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(n_embd))
        self.bias = nn.Parameter(torch.zeros(n_embd))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True, unbiased=False)
        return (x - mean) / (torch.sqrt(variance) + self.eps) * self.weight + self.bias

# %% variant: missing-eps
# Forgets eps.
class LayerNorm(nn.Module):
    """Layer normalisation over the last dimension, equal to nn.LayerNorm(n_embd, eps=eps).

    weight (the gain) starts as ones and bias as zeros, both of shape (n_embd,).
    forward: x (..., n_embd) -> same shape: every vector along the last dimension normalised to mean 0 and
    variance 1 as in the formula above, then multiplied by weight and shifted by bias.
    """

    def __init__(self, n_embd, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(n_embd))
        self.bias = nn.Parameter(torch.zeros(n_embd))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True, unbiased=False)
        return (x - mean) / torch.sqrt(variance) * self.weight + self.bias

# %% variant: no-gain-and-bias
# Normalises but never applies weight and bias.
class LayerNorm(nn.Module):
    """Layer normalisation over the last dimension, equal to nn.LayerNorm(n_embd, eps=eps).

    weight (the gain) starts as ones and bias as zeros, both of shape (n_embd,).
    forward: x (..., n_embd) -> same shape: every vector along the last dimension normalised to mean 0 and
    variance 1 as in the formula above, then multiplied by weight and shifted by bias.
    """

    def __init__(self, n_embd, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(n_embd))
        self.bias = nn.Parameter(torch.zeros(n_embd))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True, unbiased=False)
        return (x - mean) / torch.sqrt(variance + self.eps)

# %% variant: variance-from-mean-of-squares
# Variance as mean(x^2) - mean(x)^2: cancels catastrophically far from zero.
class LayerNorm(nn.Module):
    """Layer normalisation over the last dimension, equal to nn.LayerNorm(n_embd, eps=eps).

    weight (the gain) starts as ones and bias as zeros, both of shape (n_embd,).
    forward: x (..., n_embd) -> same shape: every vector along the last dimension normalised to mean 0 and
    variance 1 as in the formula above, then multiplied by weight and shifted by bias.
    The output keeps x's dtype; it must stay accurate when the vectors' mean is far from 0 (say 1e4), and
    gradients flow back through backward() as through nn.LayerNorm.
    """

    def __init__(self, n_embd, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(n_embd))
        self.bias = nn.Parameter(torch.zeros(n_embd))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = (x * x).mean(dim=-1, keepdim=True) - mean * mean
        return (x - mean) / torch.sqrt(variance + self.eps) * self.weight + self.bias
        ### END SOLUTION

# %% variant: computes-in-float32
# Normalises in float32 whatever the input's dtype.
class LayerNorm(nn.Module):
    """Layer normalisation over the last dimension, equal to nn.LayerNorm(n_embd, eps=eps).

    weight (the gain) starts as ones and bias as zeros, both of shape (n_embd,).
    forward: x (..., n_embd) -> same shape: every vector along the last dimension normalised to mean 0 and
    variance 1 as in the formula above, then multiplied by weight and shifted by bias.
    The output keeps x's dtype; it must stay accurate when the vectors' mean is far from 0 (say 1e4), and
    gradients flow back through backward() as through nn.LayerNorm.
    """

    def __init__(self, n_embd, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(n_embd))
        self.bias = nn.Parameter(torch.zeros(n_embd))

    def forward(self, x):
        x = x.float()
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True, unbiased=False)
        return (x - mean) / torch.sqrt(variance + self.eps) * self.weight + self.bias
        ### END SOLUTION
