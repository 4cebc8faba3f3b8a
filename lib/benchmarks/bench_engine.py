"""The week-12 engine against transformers' generate on the same weights, and speculative decoding against
plain decoding for two draft sizes, side by side in one run.

    python lib/benchmarks/bench_engine.py [--new-tokens 64] [--rows 4] [--repeats 3] [--threads N]

A GPT-2-style target (n_layer=4, n_head=4, n_embd=128, vocabulary 260, the chat tokenizer's) with random
weights is built in transformers and loaded into minillm. (1) n completions of one 16-token prompt, greedy:
the engine (one prefill, batched decode) against HF generate on the prompt repeated n times; the tokens must
agree. (2) Greedy speculative decoding against the engine's plain decode for two drafts made from the target
itself by keeping its first 1 or 2 layers (layer-skipping drafts: their proposals agree with the target more
often than an unrelated random model's would); the tokens must agree with plain greedy. Times are the best of
--repeats rounds run in turn after a warm-up; the load average is printed, since other jobs slow every run.
"""

import argparse
import copy
import os

import torch
from transformers import GPT2Config, GPT2LMHeadModel

from bench_generate import best_times  # the sibling script's interleaved best-of timing
from minillm.chat import chat_tokenizer
from minillm.engine import Engine
from minillm.model import GPT
from minillm.speculative import speculative_generate


def first_layers(model, n):
    """A draft: the target with only its first n blocks (same embeddings, final norm and head)."""
    draft = copy.deepcopy(model)
    draft.blocks = draft.blocks[:n]
    draft.config = copy.copy(model.config)
    draft.config.n_layer = n
    return draft


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--rows", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    hf = GPT2LMHeadModel(GPT2Config(vocab_size=260, n_positions=256, n_embd=128, n_layer=4, n_head=4,
                                    bos_token_id=0, eos_token_id=0)).eval()
    model = GPT.from_hf_gpt2(hf).eval()
    tokenizer = chat_tokenizer()
    prompt = torch.randint(0, 256, (16,), generator=torch.Generator().manual_seed(1)).tolist()
    engine = Engine(model, tokenizer)
    n, new = args.rows, args.new_tokens

    def ours():
        return [c.ids for c in engine.generate(prompt, n, new, temperature=0)]

    @torch.no_grad()
    def theirs():
        out = hf.generate(torch.tensor([prompt] * n), max_new_tokens=new, min_new_tokens=new, do_sample=False,
                          pad_token_id=0, eos_token_id=None)
        return out[:, len(prompt):].tolist()

    runs = {"engine": ours, "hf generate": theirs}
    for layers in (1, 2):
        draft = first_layers(model, layers)
        runs[f"speculative, {layers}-layer draft"] = (
            lambda draft=draft: speculative_generate(model, draft, prompt, new, k=4, temperature=0))
    runs["plain, 1 row"] = lambda: engine.generate(prompt, 1, new, temperature=0)[0].ids
    best, outputs = best_times(runs, args.repeats)
    assert outputs["engine"] == outputs["hf generate"], "the engine and HF generate disagree"
    for layers in (1, 2):
        assert outputs[f"speculative, {layers}-layer draft"].ids == outputs["plain, 1 row"], "speculative != plain"
    print(f"load average {os.getloadavg()[0]:.1f}, torch threads {torch.get_num_threads()}")
    print(f"{n} rows x {new} tokens: engine {best['engine']:.3f} s ({n * new / best['engine']:.0f} tokens/s), "
          f"HF generate {best['hf generate']:.3f} s: {best['hf generate'] / best['engine']:.2f}x, same tokens")
    for layers in (1, 2):
        name = f"speculative, {layers}-layer draft"
        run = outputs[name]
        print(f"{name}, k=4: {best[name]:.3f} s vs plain {best['plain, 1 row']:.3f} s: "
              f"speed-up {best['plain, 1 row'] / best[name]:.2f}x, acceptance rate {run.acceptance_rate:.2f}, "
              f"{run.target_calls} target passes for {len(run.ids)} tokens, same tokens")


if __name__ == "__main__":
    main()
