# %% variant: positions-from-token-ids
# Looks up the position table with the token ids.
class Embeddings(nn.Module):
    """Token plus learned position embeddings: at position t, the vector of token idx[b, t] plus the vector of t.

    token: nn.Embedding(vocab_size, n_embd); position: nn.Embedding(block_size, n_embd), one row per position.
    forward: idx (B, T) int64 token ids -> (B, T, n_embd). Raise ValueError, naming block_size, if
    T > block_size. Create any new tensor on idx's device.
    """

    def __init__(self, vocab_size, block_size, n_embd):
        super().__init__()
        self.block_size = block_size
        self.token = nn.Embedding(vocab_size, n_embd)
        self.position = nn.Embedding(block_size, n_embd)

    def forward(self, idx):
        T = idx.size(1)
        if T > self.block_size:
            raise ValueError(f"idx has {T} positions, more than block_size={self.block_size}")
        positions = torch.arange(T, device=idx.device)  # (T,), the same for every row of the batch
        return self.token(idx) + self.position(idx)

# %% variant: positions-start-at-one
# Numbers the positions from 1.
class Embeddings(nn.Module):
    """Token plus learned position embeddings: at position t, the vector of token idx[b, t] plus the vector of t.

    token: nn.Embedding(vocab_size, n_embd); position: nn.Embedding(block_size, n_embd), one row per position.
    forward: idx (B, T) int64 token ids -> (B, T, n_embd). Raise ValueError, naming block_size, if
    T > block_size. Create any new tensor on idx's device.
    """

    def __init__(self, vocab_size, block_size, n_embd):
        super().__init__()
        self.block_size = block_size
        self.token = nn.Embedding(vocab_size, n_embd)
        self.position = nn.Embedding(block_size, n_embd)

    def forward(self, idx):
        T = idx.size(1)
        if T > self.block_size:
            raise ValueError(f"idx has {T} positions, more than block_size={self.block_size}")
        positions = torch.arange(1, T + 1, device=idx.device)  # (T,), the same for every row of the batch
        return self.token(idx) + self.position(positions)

# %% variant: no-positions
# Forgets the position embeddings.
class Embeddings(nn.Module):
    """Token plus learned position embeddings: at position t, the vector of token idx[b, t] plus the vector of t.

    token: nn.Embedding(vocab_size, n_embd); position: nn.Embedding(block_size, n_embd), one row per position.
    forward: idx (B, T) int64 token ids -> (B, T, n_embd). Raise ValueError, naming block_size, if
    T > block_size. Create any new tensor on idx's device.
    """

    def __init__(self, vocab_size, block_size, n_embd):
        super().__init__()
        self.block_size = block_size
        self.token = nn.Embedding(vocab_size, n_embd)
        self.position = nn.Embedding(block_size, n_embd)

    def forward(self, idx):
        T = idx.size(1)
        if T > self.block_size:
            raise ValueError(f"idx has {T} positions, more than block_size={self.block_size}")
        positions = torch.arange(T, device=idx.device)  # (T,), the same for every row of the batch
        return self.token(idx)

# %% variant: no-length-check
# Lets nn.Embedding fail with an IndexError on long inputs.
class Embeddings(nn.Module):
    """Token plus learned position embeddings: at position t, the vector of token idx[b, t] plus the vector of t.

    token: nn.Embedding(vocab_size, n_embd); position: nn.Embedding(block_size, n_embd), one row per position.
    forward: idx (B, T) int64 token ids -> (B, T, n_embd). Raise ValueError, naming block_size, if
    T > block_size. Create any new tensor on idx's device.
    """

    def __init__(self, vocab_size, block_size, n_embd):
        super().__init__()
        self.block_size = block_size
        self.token = nn.Embedding(vocab_size, n_embd)
        self.position = nn.Embedding(block_size, n_embd)

    def forward(self, idx):
        T = idx.size(1)
        positions = torch.arange(T, device=idx.device)  # (T,), the same for every row of the batch
        return self.token(idx) + self.position(positions)

# %% variant: flattens-with-view
# Looks the tokens up through idx.view(-1): fails on non-contiguous ids.
class Embeddings(nn.Module):
    """Token plus learned position embeddings: at position t, the vector of token idx[b, t] plus the vector of t.

    token: nn.Embedding(vocab_size, n_embd); position: nn.Embedding(block_size, n_embd), one row per position.
    forward: idx (B, T) int64 token ids, in any memory layout -> (B, T, n_embd). Raise ValueError, naming block_size, if
    T > block_size. Create any new tensor on idx's device.
    """

    def __init__(self, vocab_size, block_size, n_embd):
        super().__init__()
        self.block_size = block_size
        self.token = nn.Embedding(vocab_size, n_embd)
        self.position = nn.Embedding(block_size, n_embd)

    def forward(self, idx):
        T = idx.size(1)
        if T > self.block_size:
            raise ValueError(f"idx has {T} positions, more than block_size={self.block_size}")
        positions = torch.arange(T, device=idx.device)  # (T,), the same for every row of the batch
        return self.token(idx.view(-1)).view(*idx.shape, -1) + self.position(positions)
        ### END SOLUTION

# %% variant: error-without-block-size
# Raises ValueError for T > block_size without naming block_size.
class Embeddings(nn.Module):
    """Token plus learned position embeddings: at position t, the vector of token idx[b, t] plus the vector of t.

    token: nn.Embedding(vocab_size, n_embd); position: nn.Embedding(block_size, n_embd), one row per position.
    forward: idx (B, T) int64 token ids, in any memory layout -> (B, T, n_embd). Raise ValueError, naming block_size, if
    T > block_size. Create any new tensor on idx's device.
    """

    def __init__(self, vocab_size, block_size, n_embd):
        super().__init__()
        self.block_size = block_size
        self.token = nn.Embedding(vocab_size, n_embd)
        self.position = nn.Embedding(block_size, n_embd)

    def forward(self, idx):
        T = idx.size(1)
        if T > self.block_size:
            raise ValueError("sequence too long")
        positions = torch.arange(T, device=idx.device)  # (T,), the same for every row of the batch
        return self.token(idx) + self.position(positions)
        ### END SOLUTION
