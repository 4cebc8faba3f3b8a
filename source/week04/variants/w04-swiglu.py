# %% variant: gate-on-w3
# Puts silu on the values (w3) and not on the gate (w1).
class SwiGLU(nn.Module):
    def __init__(self, n_embd, hidden):
        super().__init__()
        self.w1 = nn.Linear(n_embd, hidden, bias=False)
        self.w2 = nn.Linear(hidden, n_embd, bias=False)
        self.w3 = nn.Linear(n_embd, hidden, bias=False)

    def forward(self, x):
        return self.w2(self.w1(x) * F.silu(self.w3(x)))


# %% variant: gelu-gate
# Uses GELU in place of SiLU (that is GEGLU, another GLU variant).
class SwiGLU(nn.Module):
    def __init__(self, n_embd, hidden):
        super().__init__()
        self.w1 = nn.Linear(n_embd, hidden, bias=False)
        self.w2 = nn.Linear(hidden, n_embd, bias=False)
        self.w3 = nn.Linear(n_embd, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.gelu(self.w1(x)) * self.w3(x))


# %% variant: with-biases
# Keeps nn.Linear's default biases: the library's bias-free weights do not load.
class SwiGLU(nn.Module):
    def __init__(self, n_embd, hidden):
        super().__init__()
        self.w1 = nn.Linear(n_embd, hidden)
        self.w2 = nn.Linear(hidden, n_embd)
        self.w3 = nn.Linear(n_embd, hidden)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))
