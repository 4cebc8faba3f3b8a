# %% variant: sum-not-average
# Sums the gradients over the ranks instead of averaging them.
class DataParallel(nn.Module):
    """module replicated over the ranks of the current process group, with its gradients averaged.

    DataParallel(module, bucket_bytes): keep module as self.module; broadcast every parameter and buffer from
    rank 0 (dist.broadcast(t.data, src=0)). Buckets: walk the parameters that require gradients in REVERSE
    order of module.parameters(); a parameter opens a new bucket when adding it to the current one would make
    it hold more than bucket_bytes bytes (a first parameter always fits). Register a post-accumulate-grad hook
    on each; when a bucket's last gradient is ready, start dist.all_reduce(flat, async_op=True) on its
    gradients flattened into one tensor (call it as dist.all_reduce: the tests count the calls: one per bucket
    per backward, started during the backward pass). At the end of backward (queue_callback), wait for every
    bucket, divide by the world size and copy back, so that after loss.backward() every parameter's .grad is
    the mean over the ranks. forward(*args, **kwargs) returns self.module(*args, **kwargs).
    The tests train a GPT for 3 AdamW steps on 2 ranks started with different weights and compare with
    DistributedDataParallel and with one process on the whole batch (float64, 1e-10), count the all-reduces,
    and try other bucket sizes.
    """

    def __init__(self, module, bucket_bytes=2**20):
        super().__init__()
        ### BEGIN SOLUTION
        self.module = module
        self.world_size = dist.get_world_size()
        for tensor in list(module.parameters()) + list(module.buffers()):
            dist.broadcast(tensor.data, src=0)
        self.buckets, size = [], bucket_bytes
        for p in [p for p in module.parameters() if p.requires_grad][::-1]:
            nbytes = p.numel() * p.element_size()
            if size + nbytes > bucket_bytes:
                self.buckets.append([])
                size = 0
            self.buckets[-1].append(p)
            size += nbytes
        self.bucket_of = {p: i for i, bucket in enumerate(self.buckets) for p in bucket}
        for p in self.bucket_of:
            p.register_post_accumulate_grad_hook(self._ready)
        self.waiting, self.started = [len(b) for b in self.buckets], []
        ### END SOLUTION

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _ready(self, p):
        """The post-accumulate-grad hook: p.grad is ready. Queue _finish at the first one of a backward pass;
        start the all-reduce of p's bucket when it is the bucket's last."""
        ### BEGIN SOLUTION
        if not self.started and sum(self.waiting) == sum(len(b) for b in self.buckets):
            torch.autograd.Variable._execution_engine.queue_callback(self._finish)
        i = self.bucket_of[p]
        self.waiting[i] -= 1
        if self.waiting[i] == 0:
            flat = torch.cat([q.grad.reshape(-1) for q in self.buckets[i]])
            self.started.append((i, flat, dist.all_reduce(flat, async_op=True)))
        ### END SOLUTION

    def _finish(self):
        """At the end of backward: wait for every bucket, divide by the world size, copy into the .grads, reset."""
        ### BEGIN SOLUTION
        for i, flat, work in self.started:
            work.wait()
            offset = 0
            for q in self.buckets[i]:
                q.grad.copy_(flat[offset : offset + q.numel()].view_as(q))
                offset += q.numel()
        self.waiting, self.started = [len(b) for b in self.buckets], []
        ### END SOLUTION

# %% variant: no-broadcast
# Never broadcasts from rank 0: ranks that start from different weights stay different.
class DataParallel(nn.Module):
    """module replicated over the ranks of the current process group, with its gradients averaged.

    DataParallel(module, bucket_bytes): keep module as self.module; broadcast every parameter and buffer from
    rank 0 (dist.broadcast(t.data, src=0)). Buckets: walk the parameters that require gradients in REVERSE
    order of module.parameters(); a parameter opens a new bucket when adding it to the current one would make
    it hold more than bucket_bytes bytes (a first parameter always fits). Register a post-accumulate-grad hook
    on each; when a bucket's last gradient is ready, start dist.all_reduce(flat, async_op=True) on its
    gradients flattened into one tensor (call it as dist.all_reduce: the tests count the calls: one per bucket
    per backward, started during the backward pass). At the end of backward (queue_callback), wait for every
    bucket, divide by the world size and copy back, so that after loss.backward() every parameter's .grad is
    the mean over the ranks. forward(*args, **kwargs) returns self.module(*args, **kwargs).
    The tests train a GPT for 3 AdamW steps on 2 ranks started with different weights and compare with
    DistributedDataParallel and with one process on the whole batch (float64, 1e-10), count the all-reduces,
    and try other bucket sizes.
    """

    def __init__(self, module, bucket_bytes=2**20):
        super().__init__()
        ### BEGIN SOLUTION
        self.module = module
        self.world_size = dist.get_world_size()
        self.buckets, size = [], bucket_bytes
        for p in [p for p in module.parameters() if p.requires_grad][::-1]:
            nbytes = p.numel() * p.element_size()
            if size + nbytes > bucket_bytes:
                self.buckets.append([])
                size = 0
            self.buckets[-1].append(p)
            size += nbytes
        self.bucket_of = {p: i for i, bucket in enumerate(self.buckets) for p in bucket}
        for p in self.bucket_of:
            p.register_post_accumulate_grad_hook(self._ready)
        self.waiting, self.started = [len(b) for b in self.buckets], []
        ### END SOLUTION

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _ready(self, p):
        """The post-accumulate-grad hook: p.grad is ready. Queue _finish at the first one of a backward pass;
        start the all-reduce of p's bucket when it is the bucket's last."""
        ### BEGIN SOLUTION
        if not self.started and sum(self.waiting) == sum(len(b) for b in self.buckets):
            torch.autograd.Variable._execution_engine.queue_callback(self._finish)
        i = self.bucket_of[p]
        self.waiting[i] -= 1
        if self.waiting[i] == 0:
            flat = torch.cat([q.grad.reshape(-1) for q in self.buckets[i]])
            self.started.append((i, flat, dist.all_reduce(flat, async_op=True)))
        ### END SOLUTION

    def _finish(self):
        """At the end of backward: wait for every bucket, divide by the world size, copy into the .grads, reset."""
        ### BEGIN SOLUTION
        for i, flat, work in self.started:
            work.wait()
            flat /= self.world_size
            offset = 0
            for q in self.buckets[i]:
                q.grad.copy_(flat[offset : offset + q.numel()].view_as(q))
                offset += q.numel()
        self.waiting, self.started = [len(b) for b in self.buckets], []
        ### END SOLUTION

# %% variant: all-reduce-after-backward
# Waits for the end of backward to all-reduce every bucket: right numbers, no overlap.
class DataParallel(nn.Module):
    """module replicated over the ranks of the current process group, with its gradients averaged.

    DataParallel(module, bucket_bytes): keep module as self.module; broadcast every parameter and buffer from
    rank 0 (dist.broadcast(t.data, src=0)). Buckets: walk the parameters that require gradients in REVERSE
    order of module.parameters(); a parameter opens a new bucket when adding it to the current one would make
    it hold more than bucket_bytes bytes (a first parameter always fits). Register a post-accumulate-grad hook
    on each; when a bucket's last gradient is ready, start dist.all_reduce(flat, async_op=True) on its
    gradients flattened into one tensor (call it as dist.all_reduce: the tests count the calls: one per bucket
    per backward, started during the backward pass). At the end of backward (queue_callback), wait for every
    bucket, divide by the world size and copy back, so that after loss.backward() every parameter's .grad is
    the mean over the ranks. forward(*args, **kwargs) returns self.module(*args, **kwargs).
    The tests train a GPT for 3 AdamW steps on 2 ranks started with different weights and compare with
    DistributedDataParallel and with one process on the whole batch (float64, 1e-10), count the all-reduces,
    and try other bucket sizes.
    """

    def __init__(self, module, bucket_bytes=2**20):
        super().__init__()
        ### BEGIN SOLUTION
        self.module = module
        self.world_size = dist.get_world_size()
        for tensor in list(module.parameters()) + list(module.buffers()):
            dist.broadcast(tensor.data, src=0)
        self.buckets, size = [], bucket_bytes
        for p in [p for p in module.parameters() if p.requires_grad][::-1]:
            nbytes = p.numel() * p.element_size()
            if size + nbytes > bucket_bytes:
                self.buckets.append([])
                size = 0
            self.buckets[-1].append(p)
            size += nbytes
        self.bucket_of = {p: i for i, bucket in enumerate(self.buckets) for p in bucket}
        for p in self.bucket_of:
            p.register_post_accumulate_grad_hook(self._ready)
        self.waiting, self.started = [len(b) for b in self.buckets], []
        ### END SOLUTION

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _ready(self, p):
        """The post-accumulate-grad hook: p.grad is ready. Queue _finish at the first one of a backward pass;
        start the all-reduce of p's bucket when it is the bucket's last."""
        ### BEGIN SOLUTION
        if not self.started and sum(self.waiting) == sum(len(b) for b in self.buckets):
            torch.autograd.Variable._execution_engine.queue_callback(self._finish)
        i = self.bucket_of[p]
        self.waiting[i] -= 1
        if self.waiting[i] == 0:
            flat = torch.cat([q.grad.reshape(-1) for q in self.buckets[i]])
            self.started.append((i, flat, None))
        ### END SOLUTION

    def _finish(self):
        """At the end of backward: wait for every bucket, divide by the world size, copy into the .grads, reset."""
        ### BEGIN SOLUTION
        for i, flat, work in self.started:
            dist.all_reduce(flat)
            flat /= self.world_size
            offset = 0
            for q in self.buckets[i]:
                q.grad.copy_(flat[offset : offset + q.numel()].view_as(q))
                offset += q.numel()
        self.waiting, self.started = [len(b) for b in self.buckets], []
        ### END SOLUTION
