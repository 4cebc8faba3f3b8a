"""Greedy generation speed: minillm with and without KV cache against transformers' GPT-2, same weights.

    python lib/benchmarks/bench_generate.py [--new-tokens 256] [--repeats 3]

A GPT-2-style model (n_layer=4, n_head=4, n_embd=128, block_size=512, GPT-2's vocabulary of 50257) with
random weights is built in transformers, loaded into minillm, and all three runs generate the same tokens
from the same 16-token prompt in this one process. Times are the best of --repeats after one warm-up run.
"""

import argparse
import resource
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel

from minillm.generate import generate
from minillm.model import GPT


def best_time(run, repeats):
    """(best wall time in seconds, last output) of run() over repeats, after one warm-up call."""
    output = run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        output = run()
        times.append(time.perf_counter() - start)
    return min(times), output


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
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {n} new tokens after a 16-token prompt")
    results = {}
    with torch.no_grad():
        for name, run in runs.items():
            results[name] = best_time(run, args.repeats)
            seconds = results[name][0]
            print(f"{name:24s} {seconds * 1000:8.1f} ms  {n / seconds:8.1f} tokens/s")

    tokens = [output for _, output in results.values()]
    print("same tokens in all three runs:", all(torch.equal(tokens[0], other) for other in tokens[1:]))
    cached, uncached, hf_time = (seconds for seconds, _ in results.values())
    print(f"KV cache speed-up over no cache:      {uncached / cached:5.2f}x")
    print(f"minillm (cache) speed-up over transformers: {hf_time / cached:5.2f}x")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
