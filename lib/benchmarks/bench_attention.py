"""Causal attention: tiled (FlashAttention-2 in plain PyTorch) vs naive vs SDPA, time and peak memory.

    python lib/benchmarks/bench_attention.py [--lengths 256 512 1024 2048] [--heads 4] [--head-dim 64]
                                             [--block 128] [--repeats 3]

For each length T, the three implementations run on the same (1, heads, T, head-dim) float32 inputs in this
one process, forward alone and forward + backward. Times are the best of --repeats rounds that run all three
in turn after a warm-up; peak memory is the tensor storage each allocates while it runs (minillm.memory),
beyond the inputs. Naive attention's memory grows as T^2 (the score and softmax matrices); the tiled one's
as T (tiles of block^2 and per-row statistics). The tiled version loops in Python over the tiles; the speed
of FlashAttention on a GPU comes from running that loop inside one kernel, in fast on-chip memory.
"""

import argparse
import os

import torch

from bench_generate import best_times  # the sibling script's interleaved best-of timing
from minillm.attention import flash_attention, naive_attention, sdpa_attention
from minillm.memory import peak_memory


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[256, 512, 1024, 2048])
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--head-dim", type=int, default=64)
    parser.add_argument("--block", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.1f}")
    implementations = {
        "tiled": lambda q, k, v: flash_attention(q, k, v, is_causal=True, block_q=args.block, block_k=args.block),
        "naive": lambda q, k, v: naive_attention(q, k, v, is_causal=True),
        "sdpa": lambda q, k, v: sdpa_attention(q, k, v, is_causal=True),
    }
    print(f"{'T':>5} {'pass':>8} | " + " | ".join(f"{name:>20}" for name in implementations) + " | tiled/naive memory")
    for T in args.lengths:
        g = torch.Generator().manual_seed(T)
        q, k, v = (torch.randn(1, args.heads, T, args.head_dim, generator=g, requires_grad=True) for _ in range(3))
        upstream = torch.randn(1, args.heads, T, args.head_dim, generator=g)
        passes = {
            "forward": lambda fn: fn(q, k, v).detach(),
            "fwd+bwd": lambda fn: torch.autograd.grad((fn(q, k, v) * upstream).sum(), (q, k, v)),
        }
        for pass_name, run in passes.items():
            memory = {name: peak_memory(run, fn)[1] for name, fn in implementations.items()}
            best, _ = best_times({name: (lambda fn=fn: run(fn)) for name, fn in implementations.items()}, args.repeats)
            cells = [f"{best[n] * 1e3:8.1f} ms {memory[n] / 2**20:6.1f} MiB" for n in implementations]
            print(f"{T:>5} {pass_name:>8} | " + " | ".join(cells) + f" | {memory['tiled'] / memory['naive']:.2f}")
    outputs = [fn(q, k, v) for fn in implementations.values()]
    print("largest difference from SDPA, tiled / naive:",
          " / ".join(f"{(out - outputs[2]).abs().max().item():.1e}" for out in outputs[:2]))


if __name__ == "__main__":
    main()
