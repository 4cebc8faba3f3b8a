# %% variant: every-rank-updates-everything
# Each rank keeps AdamW states for every parameter: right weights, no memory saved.
class ZeroAdamW:
    """AdamW with its states sharded over the ranks of the current process group (ZeRO-1).

    ZeroAdamW(params, lr, betas, eps, weight_decay): the parameters (those that require gradients), flattened in
    order into one vector of P numbers, padded with zeros to S * world_size with S = ceil(P / world_size), cut
    into world_size shards of S. Rank r keeps shard r as ONE flat nn.Parameter, self.shard, and an optimiser
    self.optimizer = torch.optim.AdamW([self.shard], lr=..., betas=..., eps=..., weight_decay=...) (its state
    then holds 2 S numbers: the tests count them). step(): set self.shard.grad to shard r of the flattened
    gradients (a parameter without one counts as zeros), self.optimizer.step(), all-gather the updated shards
    (dist.all_gather) and copy them back into every parameter. zero_grad(): every parameter's .grad = None.
    The gradients are already averaged over the ranks when step() is called.
    The tests train a GPT for 3 steps on 2 ranks and compare with ZeroRedundancyOptimizer and with AdamW in
    one process (float64, 1e-10), count the optimiser-state numbers, and try weight decay and other data.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        ### BEGIN SOLUTION
        self.params = [p for p in params if p.requires_grad]
        self.rank, self.world_size = dist.get_rank(), dist.get_world_size()
        self.size = -(-sum(p.numel() for p in self.params) // self.world_size)
        self.shard = nn.Parameter(self.mine([p.detach() for p in self.params]).clone())
        self.optimizer = torch.optim.AdamW(self.params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
        ### END SOLUTION

    def mine(self, tensors):
        """This rank's shard (S numbers) of tensors (one per parameter) flattened in order and padded with zeros."""
        ### BEGIN SOLUTION
        flat = torch.cat([t.reshape(-1) for t in tensors])
        flat = torch.cat([flat, flat.new_zeros(self.size * self.world_size - flat.numel())])
        return flat[self.rank * self.size : (self.rank + 1) * self.size]
        ### END SOLUTION

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        """Update this rank's shard with AdamW, all-gather every rank's shard, copy them into the parameters."""
        ### BEGIN SOLUTION
        self.shard.grad = self.mine([torch.zeros_like(p) if p.grad is None else p.grad for p in self.params]).clone()
        self.optimizer.step()
        shards = [torch.empty_like(self.shard) for _ in range(self.world_size)]
        dist.all_gather(shards, self.shard.detach())
        flat, offset = torch.cat(shards), 0
        for p in self.params:
            p.copy_(flat[offset : offset + p.numel()].view_as(p))
            offset += p.numel()
        ### END SOLUTION

# %% variant: gathers-own-shard
# Writes its own updated shard into every rank's place instead of all-gathering.
class ZeroAdamW:
    """AdamW with its states sharded over the ranks of the current process group (ZeRO-1).

    ZeroAdamW(params, lr, betas, eps, weight_decay): the parameters (those that require gradients), flattened in
    order into one vector of P numbers, padded with zeros to S * world_size with S = ceil(P / world_size), cut
    into world_size shards of S. Rank r keeps shard r as ONE flat nn.Parameter, self.shard, and an optimiser
    self.optimizer = torch.optim.AdamW([self.shard], lr=..., betas=..., eps=..., weight_decay=...) (its state
    then holds 2 S numbers: the tests count them). step(): set self.shard.grad to shard r of the flattened
    gradients (a parameter without one counts as zeros), self.optimizer.step(), all-gather the updated shards
    (dist.all_gather) and copy them back into every parameter. zero_grad(): every parameter's .grad = None.
    The gradients are already averaged over the ranks when step() is called.
    The tests train a GPT for 3 steps on 2 ranks and compare with ZeroRedundancyOptimizer and with AdamW in
    one process (float64, 1e-10), count the optimiser-state numbers, and try weight decay and other data.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        ### BEGIN SOLUTION
        self.params = [p for p in params if p.requires_grad]
        self.rank, self.world_size = dist.get_rank(), dist.get_world_size()
        self.size = -(-sum(p.numel() for p in self.params) // self.world_size)
        self.shard = nn.Parameter(self.mine([p.detach() for p in self.params]).clone())
        self.optimizer = torch.optim.AdamW([self.shard], lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
        ### END SOLUTION

    def mine(self, tensors):
        """This rank's shard (S numbers) of tensors (one per parameter) flattened in order and padded with zeros."""
        ### BEGIN SOLUTION
        flat = torch.cat([t.reshape(-1) for t in tensors])
        flat = torch.cat([flat, flat.new_zeros(self.size * self.world_size - flat.numel())])
        return flat[self.rank * self.size : (self.rank + 1) * self.size]
        ### END SOLUTION

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        """Update this rank's shard with AdamW, all-gather every rank's shard, copy them into the parameters."""
        ### BEGIN SOLUTION
        self.shard.grad = self.mine([torch.zeros_like(p) if p.grad is None else p.grad for p in self.params]).clone()
        self.optimizer.step()
        shards = [torch.empty_like(self.shard) for _ in range(self.world_size)]
        shards = [self.shard.detach()] * self.world_size
        flat, offset = torch.cat(shards), 0
        for p in self.params:
            p.copy_(flat[offset : offset + p.numel()].view_as(p))
            offset += p.numel()
        ### END SOLUTION
