# %% variant: no-final-norm
# Sends the last block's output straight to lm_head.
class GPT(nn.Module):
    """A GPT language model.

    Sub-modules, by these names (the tests load weights by name):
        embed       Embed(vocab_size, block_size, n_embd)
        blocks      nn.ModuleList of n_layer TransformerBlock(n_embd, n_head)
        final_norm  Norm(n_embd)
        lm_head     nn.Linear(n_embd, vocab_size, bias=False)
    End __init__ with self.apply(gpt2_init).

    forward(idx, targets=None): idx (B, T) int64 token ids -> (logits (B, T, vocab_size), loss), where loss is
    the mean cross-entropy of targets (B, T) under the logits (a 0-d tensor), or None when targets is None.
    """

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd):
        super().__init__()
        self.embed = Embed(vocab_size, block_size, n_embd)
        self.blocks = nn.ModuleList(TransformerBlock(n_embd, n_head) for _ in range(n_layer))
        self.final_norm = Norm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.apply(gpt2_init)

    def forward(self, idx, targets=None):
        x = self.embed(idx)  # (B, T, n_embd)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(x)  # (B, T, vocab_size)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss

# %% variant: blocks-not-chained
# Every block reads the embeddings; only the last block's output is used.
class GPT(nn.Module):
    """A GPT language model.

    Sub-modules, by these names (the tests load weights by name):
        embed       Embed(vocab_size, block_size, n_embd)
        blocks      nn.ModuleList of n_layer TransformerBlock(n_embd, n_head)
        final_norm  Norm(n_embd)
        lm_head     nn.Linear(n_embd, vocab_size, bias=False)
    End __init__ with self.apply(gpt2_init).

    forward(idx, targets=None): idx (B, T) int64 token ids -> (logits (B, T, vocab_size), loss), where loss is
    the mean cross-entropy of targets (B, T) under the logits (a 0-d tensor), or None when targets is None.
    """

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd):
        super().__init__()
        self.embed = Embed(vocab_size, block_size, n_embd)
        self.blocks = nn.ModuleList(TransformerBlock(n_embd, n_head) for _ in range(n_layer))
        self.final_norm = Norm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.apply(gpt2_init)

    def forward(self, idx, targets=None):
        x = self.embed(idx)  # (B, T, n_embd)
        for block in self.blocks:
            h = block(x)
        logits = self.lm_head(self.final_norm(h))  # (B, T, vocab_size)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss

# %% variant: softmax-before-loss
# Gives F.cross_entropy probabilities instead of logits.
class GPT(nn.Module):
    """A GPT language model.

    Sub-modules, by these names (the tests load weights by name):
        embed       Embed(vocab_size, block_size, n_embd)
        blocks      nn.ModuleList of n_layer TransformerBlock(n_embd, n_head)
        final_norm  Norm(n_embd)
        lm_head     nn.Linear(n_embd, vocab_size, bias=False)
    End __init__ with self.apply(gpt2_init).

    forward(idx, targets=None): idx (B, T) int64 token ids -> (logits (B, T, vocab_size), loss), where loss is
    the mean cross-entropy of targets (B, T) under the logits (a 0-d tensor), or None when targets is None.
    """

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd):
        super().__init__()
        self.embed = Embed(vocab_size, block_size, n_embd)
        self.blocks = nn.ModuleList(TransformerBlock(n_embd, n_head) for _ in range(n_layer))
        self.final_norm = Norm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.apply(gpt2_init)

    def forward(self, idx, targets=None):
        x = self.embed(idx)  # (B, T, n_embd)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.final_norm(x))  # (B, T, vocab_size)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.softmax(dim=-1).flatten(0, 1), targets.flatten())
        return logits, loss

# %% variant: default-init
# Keeps PyTorch's default initialisation (no gpt2_init).
class GPT(nn.Module):
    """A GPT language model.

    Sub-modules, by these names (the tests load weights by name):
        embed       Embed(vocab_size, block_size, n_embd)
        blocks      nn.ModuleList of n_layer TransformerBlock(n_embd, n_head)
        final_norm  Norm(n_embd)
        lm_head     nn.Linear(n_embd, vocab_size, bias=False)
    End __init__ with self.apply(gpt2_init).

    forward(idx, targets=None): idx (B, T) int64 token ids -> (logits (B, T, vocab_size), loss), where loss is
    the mean cross-entropy of targets (B, T) under the logits (a 0-d tensor), or None when targets is None.
    """

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd):
        super().__init__()
        self.embed = Embed(vocab_size, block_size, n_embd)
        self.blocks = nn.ModuleList(TransformerBlock(n_embd, n_head) for _ in range(n_layer))
        self.final_norm = Norm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)

    def forward(self, idx, targets=None):
        x = self.embed(idx)  # (B, T, n_embd)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.final_norm(x))  # (B, T, vocab_size)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss

# %% variant: targets-view
# Flattens the targets with .view: fails on non-contiguous targets such as the y a sampler returns.
class GPT(nn.Module):
    """A GPT language model.

    Sub-modules, by these names (the tests load weights by name):
        embed       Embed(vocab_size, block_size, n_embd)
        blocks      nn.ModuleList of n_layer TransformerBlock(n_embd, n_head)
        final_norm  Norm(n_embd)
        lm_head     nn.Linear(n_embd, vocab_size, bias=False)
    End __init__ with self.apply(gpt2_init).

    forward(idx, targets=None): idx (B, T) int64 token ids -> (logits (B, T, vocab_size), loss), where loss is
    the mean cross-entropy of targets (B, T) under the logits (a 0-d tensor that backward() can be called on), or None
    when targets is None. idx and targets may be non-contiguous (the x, y a sampler returns are slices).
    """

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd):
        super().__init__()
        self.embed = Embed(vocab_size, block_size, n_embd)
        self.blocks = nn.ModuleList(TransformerBlock(n_embd, n_head) for _ in range(n_layer))
        self.final_norm = Norm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.apply(gpt2_init)

    def forward(self, idx, targets=None):
        x = self.embed(idx)  # (B, T, n_embd)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.final_norm(x))  # (B, T, vocab_size)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss
        ### END SOLUTION

# %% variant: loss-as-a-float
# Returns the loss as a Python float (.item()): no 0-d tensor, no backward().
class GPT(nn.Module):
    """A GPT language model.

    Sub-modules, by these names (the tests load weights by name):
        embed       Embed(vocab_size, block_size, n_embd)
        blocks      nn.ModuleList of n_layer TransformerBlock(n_embd, n_head)
        final_norm  Norm(n_embd)
        lm_head     nn.Linear(n_embd, vocab_size, bias=False)
    End __init__ with self.apply(gpt2_init).

    forward(idx, targets=None): idx (B, T) int64 token ids -> (logits (B, T, vocab_size), loss), where loss is
    the mean cross-entropy of targets (B, T) under the logits (a 0-d tensor that backward() can be called on), or None
    when targets is None. idx and targets may be non-contiguous (the x, y a sampler returns are slices).
    """

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd):
        super().__init__()
        self.embed = Embed(vocab_size, block_size, n_embd)
        self.blocks = nn.ModuleList(TransformerBlock(n_embd, n_head) for _ in range(n_layer))
        self.final_norm = Norm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.apply(gpt2_init)

    def forward(self, idx, targets=None):
        x = self.embed(idx)  # (B, T, n_embd)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.final_norm(x))  # (B, T, vocab_size)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten()).item()
        return logits, loss
        ### END SOLUTION
