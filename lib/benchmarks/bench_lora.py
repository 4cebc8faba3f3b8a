"""Fine-tuning cost, side by side in one run: full fine-tuning vs LoRA vs a 4-bit base + LoRA (QLoRA's idea).

For each setting, on the same GPT and the same random batches: trainable parameters, the bytes of stored
weights and buffers, peak memory, and the median wall and CPU time of a training step (forward, backward,
AdamW step on the trainable parameters). Each setting runs in a fresh process so that its peak RSS is its own;
"training peak" is that peak minus the process's RSS just before the first step (the model already built).

    python lib/benchmarks/bench_lora.py [--steps 15] [--rank 8] [--threads 1]
"""

import argparse
import multiprocessing
import resource
import statistics
import time

import psutil
import torch

from minillm import lora, quantize
from minillm.model import GPT, ModelConfig

SIZES = dict(vocab_size=4096, block_size=64, n_layer=6, n_head=6, n_embd=384)
BATCH_SIZE = 4  # small, so that weights and optimiser state, not activations, dominate the memory
SETTINGS = ("full fine-tuning", "LoRA", "4-bit base + LoRA")


def measure(setting, steps, rank, threads, queue):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = GPT(ModelConfig.gpt2(**SIZES))
    if setting == "4-bit base + LoRA":
        quantize.quantize_model(model, bits=4, group_size=64)
    if setting != "full fine-tuning":
        lora.apply_lora(model, r=rank, alpha=2 * rank)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    generator = torch.Generator().manual_seed(1)
    batch = lambda: torch.randint(0, SIZES["vocab_size"], (BATCH_SIZE, SIZES["block_size"] + 1), generator=generator)
    stored = sum(v.numel() * v.element_size() for v in model.state_dict().values())
    before = psutil.Process().memory_info().rss
    walls, cpus = [], []
    for step in range(steps + 3):
        ids = batch()
        wall, cpu = time.perf_counter(), time.process_time()
        loss = model(ids[:, :-1], ids[:, 1:])[1]
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if step >= 3:  # warm-up steps are not timed
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    queue.put(dict(trainable=lora.count_trainable(model), total=sum(p.numel() for p in model.parameters()),
                   stored=stored, peak=peak, training_peak=peak - before,
                   wall=statistics.median(walls), cpu=statistics.median(cpus)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=15)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(f"GPT-2 preset {SIZES}, batch {BATCH_SIZE}, LoRA r={args.rank} alpha={2 * args.rank} on every block "
          f"linear, 4-bit groups of 64; {args.steps} timed steps, {args.threads} thread(s), torch {torch.__version__}")
    results = {}
    for setting in SETTINGS:
        queue = context.Queue()
        process = context.Process(target=measure, args=(setting, args.steps, args.rank, args.threads, queue))
        process.start()
        results[setting] = queue.get()
        process.join()
    full = results["full fine-tuning"]
    print(f"{'':20} {'trainable':>12} {'share':>7} {'stored MiB':>11} {'peak RSS MiB':>13} {'training peak MiB':>18} "
          f"{'ms/step':>8} {'CPU ms/step':>12}")
    for setting, r in results.items():
        print(f"{setting:20} {r['trainable']:>12,} {r['trainable'] / full['trainable']:>7.2%} {r['stored'] / 2**20:>11.1f} "
              f"{r['peak'] / 2**20:>13.0f} {r['training_peak'] / 2**20:>18.0f} {1000 * r['wall']:>8.0f} "
              f"{1000 * r['cpu']:>12.0f}")
    for setting in SETTINGS[1:]:
        r = results[setting]
        print(f"{setting} / full: trainable {r['trainable'] / full['trainable']:.3f}x, stored "
              f"{r['stored'] / full['stored']:.2f}x, training peak {r['training_peak'] / full['training_peak']:.2f}x, "
              f"step time {r['wall'] / full['wall']:.2f}x (CPU {r['cpu'] / full['cpu']:.2f}x)")


if __name__ == "__main__":
    main()
