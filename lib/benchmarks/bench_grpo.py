"""GRPO rollout throughput, side by side in one run: a group of G completions sampled as one batch sharing a
KV cache vs one completion at a time (each with its own cache), same model, same prompts.

Sampled tokens per second (completion tokens, end tokens included) over all prompts, best of --repeats runs.
The model is the week-09 notebook's full-mode size with random weights; no token ends a completion (end_id=-1),
so every completion is --new-tokens long and both ways sample the same number of tokens.

    python lib/benchmarks/bench_grpo.py [--group 8] [--new-tokens 32] [--prompts 4] [--threads 1]
"""

import argparse
import time

import torch

from minillm import chat, posttrain, tasks
from minillm.model import GPT, ModelConfig


def throughput(model, prompts, group, new_tokens, batched, repeats):
    best = float("inf")
    for _ in range(repeats):
        generator = torch.Generator().manual_seed(0)
        started = time.perf_counter()
        samples = [posttrain.sample_group(model, p, group, new_tokens, end_id=-1, generator=generator, batched=batched)
                   for p in prompts]
        best = min(best, time.perf_counter() - started)
    tokens = sum(len(c) for group_samples in samples for c in group_samples)
    return tokens, tokens / best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", type=int, default=8)
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--prompts", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = GPT(ModelConfig.llama(vocab_size=260, block_size=128, n_layer=2, n_head=4, n_embd=64)).eval()
    tokenizer = chat.chat_tokenizer()
    prompts = [posttrain.prompt_ids(tokenizer, ex) for ex in tasks.list_ops(args.prompts, seed=0)]
    print(f"{args.prompts} prompts x G={args.group} completions x {args.new_tokens} tokens, "
          f"{args.threads} thread(s), model {model.num_parameters():,} parameters")
    results = {}
    for name, batched in (("batched (one (G, T) batch, shared KV cache)", True), ("one at a time (KV cache each)", False)):
        tokens, rate = throughput(model, prompts, args.group, args.new_tokens, batched, args.repeats)
        results[batched] = rate
        print(f"  {name:45} {tokens:6d} tokens  {rate:9.0f} tokens/s")
    print(f"batched / one at a time: {results[True] / results[False]:.1f}x")


if __name__ == "__main__":
    main()
