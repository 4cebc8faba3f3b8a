"""minillm.distributed on real gloo processes (2 ranks on 127.0.0.1), against torch's DistributedDataParallel,
ZeroRedundancyOptimizer and single-process training on the whole batch.

Tolerance: the models are float64, so the only differences are the order of floating-point sums (an
all-reduce of two halves against one mean over the whole batch): 1e-10 after 3 AdamW steps.
"""

import os
import socket

import psutil
import pytest
import torch
import torch.distributed as dist
from torch.distributed.optim import ZeroRedundancyOptimizer
from torch.nn.parallel import DistributedDataParallel

from minillm.distributed import DataParallel, ZeroAdamW, free_port, launch, split_batch
from minillm.model import GPT, ModelConfig

CONFIG = ModelConfig(vocab_size=20, block_size=8, n_layer=2, n_head=2, n_embd=16)
BATCH, STEPS, TOLERANCE = 8, 3, 1e-10


def make_model(seed):
    torch.manual_seed(seed)
    return GPT(CONFIG).double()


def batches():
    g = torch.Generator().manual_seed(1)
    return [torch.randint(0, CONFIG.vocab_size, (BATCH, CONFIG.block_size + 1), generator=g) for _ in range(STEPS)]


def train(model, optimizer, rank=0, world_size=1):
    for batch in batches():
        part = split_batch(batch, rank, world_size)
        optimizer.zero_grad()
        model(part[:, :-1], part[:, 1:])[1].backward()
        optimizer.step()


def weights(model):
    return {name: p.detach().clone() for name, p in model.named_parameters()}


def unwrap(model):
    return model.module if hasattr(model, "module") else model


def data_parallel_and_ddp(rank, world_size):
    mine = DataParallel(make_model(seed=rank), bucket_bytes=4096)  # different weights per rank: broadcast matters
    theirs = DistributedDataParallel(make_model(seed=rank))
    train(mine, torch.optim.AdamW(mine.parameters(), lr=1e-2), rank, world_size)
    train(theirs, torch.optim.AdamW(theirs.parameters(), lr=1e-2), rank, world_size)
    return weights(unwrap(mine)), weights(unwrap(theirs)), len(mine.buckets)


def single_process():
    model = make_model(seed=0)
    train(model, torch.optim.AdamW(model.parameters(), lr=1e-2))
    return weights(model)


def assert_same(actual, expected, what):
    for name in expected:
        assert torch.allclose(actual[name], expected[name], atol=TOLERANCE, rtol=0), f"{what}: {name}"


def test_data_parallel_equals_ddp_and_one_process():
    results = launch(data_parallel_and_ddp, 2)
    expected = single_process()
    for mine, theirs, buckets in results:
        assert buckets > 2
        assert_same(mine, theirs, "DataParallel vs DistributedDataParallel")
        assert_same(mine, expected, "DataParallel vs one process on the whole batch")
    assert_same(results[0][0], results[1][0], "the ranks disagree")
    start = weights(make_model(seed=0))
    assert any(not torch.allclose(results[0][0][n], start[n]) for n in start)  # training changed something


def all_reduce_during_backward(rank, world_size):
    model = DataParallel(make_model(seed=0), bucket_bytes=4096)
    seen = []
    first = next(model.module.parameters())  # the last gradient backward makes
    first.register_hook(lambda grad: seen.append(len(model._launched)))
    batch = split_batch(batches()[0], rank, world_size)
    model(batch[:, :-1], batch[:, 1:])[1].backward()
    return seen[0], len(model.buckets)


def test_buckets_are_all_reduced_while_backward_runs():
    for launched, buckets in launch(all_reduce_during_backward, 2):
        assert 0 < launched < buckets


def zero_and_reference(rank, world_size):
    mine, theirs = DataParallel(make_model(seed=0)), DistributedDataParallel(make_model(seed=0))
    zero = ZeroAdamW(mine.parameters(), lr=1e-2, weight_decay=0.1)
    reference = ZeroRedundancyOptimizer(theirs.parameters(), optimizer_class=torch.optim.AdamW, lr=1e-2,
                                        weight_decay=0.1)
    train(mine, zero, rank, world_size)
    train(theirs, reference, rank, world_size)
    state = zero.optimizer.state[zero.shard]
    return weights(unwrap(mine)), weights(unwrap(theirs)), state["exp_avg"].numel() + state["exp_avg_sq"].numel()


def test_zero_adamw_equals_zero_redundancy_optimizer_and_adamw():
    results = launch(zero_and_reference, 2)
    model = make_model(seed=0)
    train(model, torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1))
    expected = weights(model)
    n = sum(p.numel() for p in model.parameters())
    for mine, theirs, state_numbers in results:
        assert_same(mine, theirs, "ZeroAdamW vs ZeroRedundancyOptimizer")
        assert_same(mine, expected, "ZeroAdamW vs AdamW in one process")
        assert state_numbers == 2 * -(-n // 2)  # each rank holds half of the moments


def test_one_rank_runs_too():
    results = launch(zero_and_reference, 1)
    assert_same(results[0][0], results[0][1], "world size 1")


def children():
    return psutil.Process().children(recursive=True)


def raises_on_rank_1(rank, world_size):
    if rank == 1:
        raise ValueError("boom from the test")
    dist.barrier()  # rank 0 waits for a rank that is gone


def dies_on_rank_1(rank, world_size):
    if rank == 1:
        os._exit(3)
    dist.barrier()


def test_a_rank_that_raises_is_named_and_nothing_is_left():
    with pytest.raises(RuntimeError, match=r"(?s)rank 1 raised.*boom from the test"):
        launch(raises_on_rank_1, 2, timeout=30)
    assert children() == []


def test_a_rank_that_dies_is_named_and_nothing_is_left():
    with pytest.raises(RuntimeError, match=r"rank 1 died \(exit code 3\)"):
        launch(dies_on_rank_1, 2, timeout=30)
    assert children() == []


def sleeps(rank, world_size):
    import time

    time.sleep(60)


def test_timeout_kills_every_rank():
    with pytest.raises(TimeoutError, match="timeout=1"):
        launch(sleeps, 2, timeout=1)
    assert children() == []


def test_a_taken_port_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(ValueError, match=f"port {s.getsockname()[1]}"):
            launch(sleeps, 2, port=s.getsockname()[1])
    assert children() == []


def test_bad_arguments():
    with pytest.raises(ValueError, match="world_size"):
        launch(sleeps, 0)
    with pytest.raises(ValueError, match="world_size 3 does not divide the batch size 8"):
        split_batch(torch.zeros(8, 2), 0, 3)
    assert free_port() > 0


def test_a_result_that_cannot_travel_back_is_named():
    with pytest.raises(RuntimeError, match=r"(?s)rank [01] raised.*pickle"):
        launch(lambda rank, world_size: (lambda: rank), 2, timeout=30)
    assert children() == []
