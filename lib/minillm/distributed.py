"""Week 11: data-parallel training on torch.distributed, from a notebook, on one CPU machine.

`launch(fn, world_size)` runs fn(rank, world_size, *args) in world_size processes that share a gloo process
group on 127.0.0.1 and returns what each rank returned. The processes are forked, so fn may be a function
defined in a notebook (the "spawn" start method would have to pickle it). Every process is joined before
launch returns; if a rank raises or dies, or the run passes its timeout, the others are killed and the error
names the rank.

`DataParallel(module)` is DistributedDataParallel written out: the parameters are broadcast from rank 0, and
each gradient, as soon as backward has accumulated it (a post-accumulate-grad hook), joins a bucket; a full
bucket is all-reduced asynchronously while backward goes on, and the end of backward waits for the buckets and
divides by the world size. After `loss.backward()` every rank holds the gradient of the mean loss over the
whole batch.

`ZeroAdamW(params)` is ZeRO stage 1: the parameters are flattened and cut into world_size equal shards; each
rank keeps AdamW's two moment vectors for its own shard only, updates that shard and all-gathers the others'.
"""

import datetime
import multiprocessing
import os
import pickle
import socket
import time
import traceback
from multiprocessing.connection import wait

import torch
import torch.distributed as dist
import torch.nn as nn

from minillm.train import AdamW

HOST = "127.0.0.1"
GRACE = 2.0  # seconds to wait, after a rank failed, for the failures it causes in the others


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _check_port(port):
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError as error:
            raise ValueError(f"port {port} on {HOST} is taken ({error.strerror}): pass another port, "
                             f"or port=None for a free one") from None


def _run_rank(fn, rank, world_size, port, timeout, args, conn):
    """Body of one process: join the group, run fn, send ("ok", result) or ("error", (when, traceback)) back."""
    def failure():  # the time is taken at once: the ranks this one leaves waiting fail later
        return "error", (time.monotonic(), traceback.format_exc())

    try:
        torch.set_num_threads(1)
        dist.init_process_group("gloo", init_method=f"tcp://{HOST}:{port}", rank=rank, world_size=world_size,
                                timeout=datetime.timedelta(seconds=timeout))
        try:
            message = "ok", fn(rank, world_size, *args)
        except BaseException:  # noqa: BLE001 - everything goes back to the parent, which raises it
            message = failure()
        dist.destroy_process_group()
    except BaseException:  # noqa: BLE001
        message = failure()
    try:
        payload = pickle.dumps(message)  # plain pickle: tensors by value, not through shared memory
    except Exception:  # noqa: BLE001 - a result that cannot travel back is this rank's error
        payload = pickle.dumps(failure())
    conn.send_bytes(payload)
    conn.close()


def launch(fn, world_size, *args, port=None, timeout=60.0):
    """Run fn(rank, world_size, *args) on world_size forked processes in a gloo group; return [result of rank 0, ...].

    fn's results travel back pickled (tensors, numbers, dicts of them). port: the TCP port on 127.0.0.1 of
    the group's rendezvous (None: a free one). timeout: seconds for the whole run.
    Raises ValueError naming the argument for world_size < 1 or a port that is taken; RuntimeError naming the
    rank (with its traceback) when a rank raises or dies (the first to fail: the others then fail in their
    collectives); TimeoutError past the timeout. In every case all
    processes have ended when launch returns or raises.
    """
    if not isinstance(world_size, int) or world_size < 1:
        raise ValueError(f"world_size must be a positive integer, got {world_size!r}")
    if port is None:
        port = free_port()
    else:
        _check_port(port)
    context = multiprocessing.get_context("fork")
    processes, pipes = [], {}
    try:
        for rank in range(world_size):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_run_rank, args=(fn, rank, world_size, port, timeout, args, send),
                                      daemon=True)
            process.start()
            send.close()
            processes.append(process)
            pipes[receive] = rank
        results, failures = [None] * world_size, {}  # rank -> (0 died / 1 raised, when, what)
        deadline = time.monotonic() + timeout
        while pipes:
            if failures:  # the first failure makes the others fail too: wait a moment to see which came first
                deadline = min(deadline, time.monotonic() + GRACE)
            ready = wait(list(pipes), timeout=max(deadline - time.monotonic(), 0))
            if not ready:
                if failures:
                    break
                raise TimeoutError(f"launch: ranks {sorted(pipes.values())} did not finish within timeout={timeout} s")
            for receive in ready:
                rank = pipes.pop(receive)
                try:
                    status, value = pickle.loads(receive.recv_bytes())
                except EOFError:  # it died without a word
                    processes[rank].join(1)
                    failures[rank] = (0, time.monotonic(), f"rank {rank} died (exit code {processes[rank].exitcode})")
                    continue
                if status == "error":
                    when, text = value
                    failures[rank] = (1, when, f"rank {rank} raised:\n{text}")
                else:
                    results[rank] = value
        if failures:
            first = min(failures, key=lambda rank: failures[rank][:2])
            others = sorted(set(failures) - {first})
            raise RuntimeError(failures[first][2] + (f"\n(then ranks {others} failed too)" if others else ""))
        for process in processes:
            process.join(timeout)
        return results
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join()
        for receive in pipes:
            receive.close()


def split_batch(batch, rank, world_size):
    """This rank's equal, contiguous share of a batch (first dimension); ValueError when it does not divide."""
    if batch.size(0) % world_size:
        raise ValueError(f"world_size {world_size} does not divide the batch size {batch.size(0)}")
    share = batch.size(0) // world_size
    return batch[rank * share : (rank + 1) * share]


class DataParallel(nn.Module):
    """module, replicated: parameters broadcast from rank 0, gradients averaged over the ranks in buckets.

    bucket_bytes: the most bytes of gradient in one all-reduce (at least one parameter per bucket). Buckets hold
    the parameters in reverse order of `module.parameters()`, about the order backward produces them. Every
    parameter that requires a gradient must receive one in each backward (as DistributedDataParallel without
    find_unused_parameters); one that does not raises RuntimeError naming it. Needs an initialised group.
    """

    def __init__(self, module, bucket_bytes=2**20):
        super().__init__()
        self.module = module
        self.world_size = dist.get_world_size()
        for tensor in list(module.parameters()) + list(module.buffers()):
            dist.broadcast(tensor.data, src=0)
        named = [(name, p) for name, p in module.named_parameters() if p.requires_grad][::-1]
        self.buckets, size = [], bucket_bytes
        for name, p in named:
            if size + p.numel() * p.element_size() > bucket_bytes:
                self.buckets.append([])
                size = 0
            self.buckets[-1].append((name, p))
            size += p.numel() * p.element_size()
        self._bucket_of = {}
        for index, bucket in enumerate(self.buckets):
            for _, p in bucket:
                self._bucket_of[p] = index
                p.register_post_accumulate_grad_hook(self._gradient_ready)
        self._reset()

    def _reset(self):
        self._waiting = [len(bucket) for bucket in self.buckets]
        self._launched = {}  # bucket index -> (flat gradient, async work)
        self._callback_queued = False

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _gradient_ready(self, p):
        if not self._callback_queued:  # run once backward is over
            torch.autograd.Variable._execution_engine.queue_callback(self._finish)
            self._callback_queued = True
        index = self._bucket_of[p]
        self._waiting[index] -= 1
        if self._waiting[index] == 0:
            flat = torch.cat([q.grad.reshape(-1) for _, q in self.buckets[index]])
            self._launched[index] = (flat, dist.all_reduce(flat, async_op=True))

    def _finish(self):
        missing = [name for index, bucket in enumerate(self.buckets) if index not in self._launched
                   for name, p in bucket if p.grad is None]
        launched, self._launched = self._launched, {}
        self._reset()
        if missing:
            raise RuntimeError(f"DataParallel: parameters {missing} received no gradient in this backward")
        for index, (flat, work) in launched.items():
            work.wait()
            flat /= self.world_size
            offset = 0
            for _, p in self.buckets[index]:
                p.grad.copy_(flat[offset : offset + p.numel()].view_as(p.grad))
                offset += p.numel()


class ZeroAdamW:
    """AdamW (minillm.train.AdamW, one hyper-parameter group) with its states sharded over the ranks (ZeRO-1).

    params are flattened, in order, into one vector padded to a multiple of world_size and cut into
    world_size equal shards; rank r keeps a copy of shard r as the one parameter of its own AdamW, whose
    exp_avg and exp_avg_sq therefore hold 2 * ceil(numel / world_size) numbers, and updates only that shard;
    step() then all-gathers the updated shards into every rank's parameters. A parameter without a gradient
    counts as a zero gradient. Gradients must already be averaged over the ranks (DataParallel does it).
    Needs an initialised process group.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        self.params = [p for p in params if p.requires_grad]
        self.rank, self.world_size = dist.get_rank(), dist.get_world_size()
        self.shard_size = -(-sum(p.numel() for p in self.params) // self.world_size)
        self.shard = nn.Parameter(self._mine(self._flat(self.params)).clone())
        self.optimizer = AdamW([self.shard], lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)

    def _flat(self, tensors):
        flat = torch.cat([t.detach().reshape(-1) for t in tensors])
        return torch.cat([flat, flat.new_zeros(self.shard_size * self.world_size - flat.numel())])

    def _mine(self, flat):
        return flat[self.rank * self.shard_size : (self.rank + 1) * self.shard_size]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        grads = [torch.zeros_like(p) if p.grad is None else p.grad for p in self.params]
        self.shard.grad = self._mine(self._flat(grads)).clone()
        self.optimizer.step()
        shards = [torch.empty_like(self.shard) for _ in range(self.world_size)]
        dist.all_gather(shards, self.shard.detach())
        flat, offset = torch.cat(shards), 0
        for p in self.params:
            p.copy_(flat[offset : offset + p.numel()].view_as(p))
            offset += p.numel()
