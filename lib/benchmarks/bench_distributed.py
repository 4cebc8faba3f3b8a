"""Data-parallel throughput, side by side in one run: the same global batch on 1 process and on 2 (gloo, CPU).

Each world size trains the same GPT with minillm.distributed.DataParallel (bucketed all-reduce from gradient
hooks) and AdamW on global batches of --batch sequences, each rank taking its share; the median step time of
the ranks' slowest gives tokens per second. On a machine with fewer free cores than processes the 2-process
run cannot be faster: the ratio then measures the cost of the all-reduce and the sharing.

    OMP_NUM_THREADS=1 python lib/benchmarks/bench_distributed.py [--steps 20] [--batch 16]
"""

import argparse
import os
import statistics
import time

import torch

from minillm.distributed import DataParallel, launch, split_batch
from minillm.model import GPT, ModelConfig

SIZES = dict(vocab_size=512, block_size=64, n_layer=4, n_head=4, n_embd=128)


def train_steps(rank, world_size, steps, batch_size):
    torch.manual_seed(0)
    model = DataParallel(GPT(ModelConfig.gpt2(**SIZES)))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    generator = torch.Generator().manual_seed(1)
    times = []
    for _ in range(steps):
        batch = split_batch(torch.randint(0, SIZES["vocab_size"], (batch_size, SIZES["block_size"] + 1),
                                          generator=generator), rank, world_size)
        start = time.perf_counter()
        optimizer.zero_grad()
        model(batch[:, :-1], batch[:, 1:])[1].backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
    return times[2:]  # the first steps warm up


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()
    print(f"GPT-2 preset {SIZES}, global batch {args.batch} x {SIZES['block_size']} tokens, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    rates = {}
    for world_size in (1, 2):
        per_rank = launch(train_steps, world_size, args.steps, args.batch, timeout=600)
        step = statistics.median(max(ts) for ts in zip(*per_rank))
        rates[world_size] = args.batch * SIZES["block_size"] / step
        print(f"{world_size} process{'es' if world_size > 1 else ''}: {1000 * step:.1f} ms/step, "
              f"{rates[world_size]:,.0f} tokens/s")
    print(f"2 processes / 1 process throughput: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
