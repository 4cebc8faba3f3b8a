"""Training benchmark on character-level Shakespeare (the nanoGPT "shakespeare_char" CPU setting).

(a) default: ms per training iteration (batch, forward, backward, clip, AdamW step) of minillm's GPT
    trained with minillm.train, in nanoGPT's setting for this run (GPT-2 architecture without biases, exact
    erf GELU as nn.GELU(), tied embeddings, no dropout) and as the GPT-2 preset (biases, tanh GELU), against
    a baseline made of PyTorch built-ins only (nn.TransformerEncoder, norm_first, exact GELU, no biases,
    causal mask, torch.optim.AdamW) of the same sizes. The three alternate iteration by iteration after a
    warm-up, so a busy machine slows both alike; medians of wall time are reported, and of
    process CPU time, which other processes on the machine do not inflate (with one thread it is close to the
    wall time the iteration would take on an idle core).
(b) --loss-run: train a GPT-2-style and a Llama-style model on the same budget (nanoGPT's schedule: lr 1e-3
    cosine to 1e-4 with 100 warm-up steps, beta2 0.99, weight decay 0.1, clip 1.0) and print both final
    validation losses over the same held-out batches.

    python lib/benchmarks/bench_train.py [--iters 100] [--threads N] [--loss-run [--loss-iters 2000]]

On a machine shared with other busy processes, fewer threads than cores can be much faster: OpenMP threads
wait for each other at every op, and a descheduled thread stalls the rest.
"""

import argparse
import functools
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from minillm import data, train
from minillm.model import GPT, ModelConfig

SIZES = dict(n_layer=4, n_head=4, n_embd=128, block_size=64)
NANOGPT_CHOICES = dict(bias=False, gelu_approximate="none")  # nanoGPT's train.py defaults: bias=False, nn.GELU()
BATCH_SIZE = 12


class BuiltinTransformerLM(nn.Module):
    """The baseline: the same GPT-2-style network assembled from PyTorch modules only."""

    def __init__(self, vocab_size, n_layer, n_head, n_embd, block_size):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, n_embd)
        self.position_embedding = nn.Embedding(block_size, n_embd)
        layer = nn.TransformerEncoderLayer(
            n_embd, n_head, 4 * n_embd, dropout=0.0, activation="gelu", batch_first=True, norm_first=True, bias=False
        )
        self.encoder = nn.TransformerEncoder(layer, n_layer, enable_nested_tensor=False)
        self.final_norm = nn.LayerNorm(n_embd, bias=False)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.lm_head.weight = self.token_embedding.weight

    def forward(self, idx, targets):
        T = idx.shape[1]
        x = self.token_embedding(idx) + self.position_embedding(torch.arange(T, device=idx.device))
        mask = nn.Transformer.generate_square_subsequent_mask(T, device=idx.device)
        logits = self.lm_head(self.final_norm(self.encoder(x, mask=mask, is_causal=True)))
        return logits, F.cross_entropy(logits.flatten(0, 1), targets.flatten())


def load_char_data():
    text = data.find_data_file("tinyshakespeare.txt").read_text(encoding="utf-8")
    chars = sorted(set(text))
    lookup = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([lookup[c] for c in text], dtype=torch.int64)
    train_ids, val_ids = data.train_val_split(ids, val_fraction=0.1)
    return len(chars), train_ids, val_ids


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def speed(vocab_size, train_ids, iters, warmup, block):
    get_batch = functools.partial(data.random_batches, train_ids, BATCH_SIZE, SIZES["block_size"])

    def minillm_run(**choices):
        torch.manual_seed(0)
        model = GPT(ModelConfig.gpt2(vocab_size=vocab_size, dropout=0.0, **SIZES, **choices))
        optimizer = train.AdamW(train.param_groups(model, 0.1), lr=1e-3, betas=(0.9, 0.99))
        return model, functools.partial(train.train, model, optimizer, get_batch, max_grad_norm=1.0, progress=False)

    torch.manual_seed(0)
    baseline = BuiltinTransformerLM(vocab_size, **SIZES)
    baseline_optimizer = torch.optim.AdamW(train.param_groups(baseline, 0.1), lr=1e-3, betas=(0.9, 0.99))

    def baseline_steps(steps):
        for _ in range(steps):
            x, y = get_batch()
            baseline_optimizer.zero_grad(set_to_none=True)
            _, loss = baseline(x, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(baseline.parameters(), 1.0)
            baseline_optimizer.step()
            loss.item()

    runs = {
        "minillm, nanoGPT's setting": minillm_run(**NANOGPT_CHOICES),
        "minillm, gpt2 preset": minillm_run(),
        "PyTorch built-ins baseline": (baseline, baseline_steps),
    }
    for _, steps in runs.values():
        steps(warmup)
    tokens = BATCH_SIZE * SIZES["block_size"]
    print(f"(a) speed: {iters} timed iterations each after {warmup} warm-up, {tokens} tokens per batch")
    # Single iterations in turn share the machine's mood best; blocks keep each model's weights in cache, as in
    # a real training run (and in nanoGPT's own timing), so they are faster.
    for label, steps_per_turn in (("one iteration per turn", 1), (f"blocks of {block} iterations per turn", block)):
        wall = {name: [] for name in runs}
        cpu = {name: [] for name in runs}
        for _ in range(max(1, iters // steps_per_turn)):
            for name, (_, steps) in runs.items():
                wall_start, cpu_start = time.perf_counter(), time.process_time()
                steps(steps_per_turn)
                wall[name].append((time.perf_counter() - wall_start) / steps_per_turn)
                cpu[name].append((time.process_time() - cpu_start) / steps_per_turn)
        print(f"  alternating, {label} (medians):")
        for name, (model, _) in runs.items():
            ms, cpu_ms = 1000 * statistics.median(wall[name]), 1000 * statistics.median(cpu[name])
            print(f"    {name:27s} {ms:6.1f} ms/iter  {tokens / ms * 1000:6.0f} tokens/s  (CPU time {cpu_ms:6.1f} ms/iter)  "
                  f"{sum(p.numel() for p in model.parameters()) / 1e6:.3f} M parameters")  # fmt: skip
        ours, _, builtins = (statistics.median(times) for times in wall.values())
        print(f"    time ratio minillm (nanoGPT's setting) / baseline: {ours / builtins:.2f} (below 1: minillm is faster)")
    print("  nanoGPT's published CPU figure for this setting: ~64 ms/iter (~12k tokens/s)")


def loss_run(vocab_size, train_ids, val_ids, iters):
    print(f"(b) loss run: {iters} iterations each, batch {BATCH_SIZE} x {SIZES['block_size']}, same schedule and data")
    schedule = functools.partial(train.cosine_schedule, max_lr=1e-3, warmup_steps=100, total_steps=iters, min_lr=1e-4)
    for name, preset in (("GPT-2 style", ModelConfig.gpt2), ("Llama style", ModelConfig.llama)):
        torch.manual_seed(1337)
        model = GPT(preset(vocab_size=vocab_size, dropout=0.0, **SIZES))
        optimizer = train.AdamW(train.param_groups(model, 0.1), lr=1e-3, betas=(0.9, 0.99))
        get_batch = functools.partial(data.random_batches, train_ids, BATCH_SIZE, SIZES["block_size"])
        started = time.perf_counter()
        log = train.train(model, optimizer, get_batch, iters, lr_schedule=schedule, max_grad_norm=1.0, progress=False)
        seconds = time.perf_counter() - started
        val_generator = torch.Generator().manual_seed(0)  # the same held-out batches for both models
        get_val = functools.partial(
            data.random_batches, val_ids, BATCH_SIZE, SIZES["block_size"], generator=val_generator
        )
        val_loss = train.evaluate(model, get_val, num_batches=200)
        print(f"  {name}: {model.num_parameters() / 1e6:.3f} M parameters, final train loss (mean of last 50) "
              f"{statistics.mean(log.losses[-50:]):.3f}, val loss {val_loss:.3f}, {seconds:.0f} s "
              f"({1000 * seconds / iters:.1f} ms/iter)")  # fmt: skip
    print("  nanoGPT's published CPU figure after 2000 iterations: val loss ~1.88")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iters", type=int, default=100, help="timed iterations per model for (a)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed iterations per model first")
    parser.add_argument("--block", type=int, default=20, help="iterations per turn in the block-wise timing")
    parser.add_argument("--loss-run", action="store_true", help="also run (b), the GPT-2 vs Llama loss comparison")
    parser.add_argument("--loss-iters", type=int, default=2000, help="training iterations per model for (b)")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's choice)")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    vocab_size, train_ids, val_ids = load_char_data()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; vocabulary {vocab_size} characters, "
          f"{len(train_ids)} train / {len(val_ids)} val tokens")  # fmt: skip
    speed(vocab_size, train_ids, args.iters, args.warmup, args.block)
    if args.loss_run:
        loss_run(vocab_size, train_ids, val_ids, args.loss_iters)
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
