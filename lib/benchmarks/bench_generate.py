"""Greedy generation speed: minillm with and without KV cache against transformers' GPT-2, same weights.

    python lib/benchmarks/bench_generate.py [--new-tokens 256] [--repeats 3] [--vocab-size 50257] [--threads N]

A GPT-2-style model (n_layer=4, n_head=4, n_embd=128, block_size=512, GPT-2's vocabulary of 50257) with
random weights is built in transformers, loaded into minillm, and all three runs generate the same tokens
from the same 16-token prompt in this one process. Times are the best of --repeats rounds that run all three
in turn, after one warm-up each.
With GPT-2's vocabulary the 128-wide model spends most of a cached step in the (50257 x 128) output layer;
--vocab-size 4096 (the course's BPE size) shows the transformer layers instead. The load average is printed
because other processes on the machine slow every run (glibc may also keep freed memory, inflating peak RSS).
"""

import argparse
import os
import resource
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel

from minillm.generate import generate
from minillm.model import GPT


def best_times(runs, repeats):
    """Best wall time in seconds and last output of each run: one warm-up call each, then `repeats` rounds
    that call every run in turn, so that a change in the machine's load hits all of them alike."""
    outputs = {name: run() for name, run in runs.items()}
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            outputs[name] = run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best, outputs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-tokens", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--vocab-size", type=int, default=50257)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=args.vocab_size, n_positions=512, n_embd=128, n_layer=4, n_head=4)
    hf = GPT2LMHeadModel(config).eval()
    hf.generation_config.eos_token_id = None  # never stop early: every run makes all the new tokens
    hf.generation_config.pad_token_id = 0
    ours = GPT.from_hf_gpt2(hf).eval()
    prompt = torch.randint(0, config.vocab_size, (1, 16))
    n = args.new_tokens

    runs = {
        "minillm, KV cache": lambda: generate(ours, prompt, n, temperature=0, use_cache=True),
        "minillm, no cache": lambda: generate(ours, prompt, n, temperature=0, use_cache=False),
        "transformers generate": lambda: hf.generate(prompt, max_new_tokens=n, do_sample=False, use_cache=True),
    }
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, vocab {config.vocab_size}, {n} new tokens "
          f"after a 16-token prompt; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with torch.no_grad():
        seconds, outputs = best_times(runs, args.repeats)
    for name in runs:
        print(f"{name:24s} {seconds[name] * 1000:8.1f} ms  {n / seconds[name]:8.1f} tokens/s")

    tokens = list(outputs.values())
    print("same tokens in all three runs:", all(torch.equal(tokens[0], other) for other in tokens[1:]))
    cached, uncached, hf_time = seconds.values()
    print(f"KV cache speed-up over no cache:      {uncached / cached:5.2f}x")
    print(f"minillm (cache) speed-up over transformers: {hf_time / cached:5.2f}x")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
          f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
