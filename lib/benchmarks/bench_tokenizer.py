"""Benchmark: minillm's byte-level BPE against HF `tokenizers`, side by side in one run.

Both train a ByteLevel BPE on data/tinyshakespeare.txt to the same vocabulary (4096, with the special
token <|endoftext|>), then encode the whole file. Prints the best of a few runs of each (wall-clock and
CPU seconds: HF's CPU time adds up its threads; ours runs on one), their ratio, and the process's peak
resident memory.

    python lib/benchmarks/bench_tokenizer.py
"""

import os
import resource
import time
from pathlib import Path

from tokenizers import Tokenizer as HFTokenizer
from tokenizers import models, pre_tokenizers, trainers

from minillm.tokenizer import BPETokenizer

CORPUS = Path(__file__).resolve().parents[2] / "data" / "tinyshakespeare.txt"
VOCAB_SIZE = 4096
SPECIAL_TOKENS = ["<|endoftext|>"]
REPEATS = 3


def best_time(fn, repeats=REPEATS):
    """(best wall-clock seconds, best CPU seconds, result of the last call) over `repeats` calls of fn()."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def train_ours():
    return BPETokenizer.train_from_file(CORPUS, VOCAB_SIZE, SPECIAL_TOKENS)


def train_hf():
    hf = HFTokenizer(models.BPE())
    hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        min_frequency=0,
        show_progress=False,
    )
    hf.train([str(CORPUS)], trainer)
    return hf


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main():
    text = CORPUS.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    megabytes = len(text.encode("utf-8")) / 1e6
    print(f"corpus: {CORPUS.name}, {megabytes:.2f} MB; vocab {VOCAB_SIZE} with {SPECIAL_TOKENS}; best of {REPEATS}")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start (busy CPUs slow the wall times)")

    def fresh(tok):  # a copy of a trained tokenizer, so that encoding starts with an empty chunk cache
        return BPETokenizer(tok.vocab, tok.merges, tok.special_tokens)

    *ours_train, ours = best_time(train_ours)
    *ours_encode, ours_ids = best_time(lambda: fresh(ours).encode(text))
    *ours_stream, _ = best_time(lambda: sum(1 for _ in fresh(ours).encode_iterable(lines)))
    ours_peak = peak_rss_mb()

    *hf_train, hf = best_time(train_hf)
    *hf_encode, hf_encoding = best_time(lambda: hf.encode(text))
    *hf_batch, _ = best_time(lambda: hf.encode_batch(lines))

    rows = [
        ("train to vocab 4096", ours_train, hf_train),
        ("encode whole text", ours_encode, hf_encode),
        ("encode line by line", ours_stream, hf_batch),
    ]
    print(f"{'':22}{'minillm':>9}{'HF':>9}{'ratio':>7}  {'minillm':>9}{'HF':>9}{'ratio':>7}")
    print(f"{'':22}{'wall s':>9}{'wall s':>9}{'':7}  {'CPU s':>9}{'CPU s':>9}")
    for name, (mine, mine_cpu), (theirs, theirs_cpu) in rows:
        print(
            f"{name:22}{mine:9.2f}{theirs:9.2f}{mine / theirs:7.2f}"
            f"  {mine_cpu:9.2f}{theirs_cpu:9.2f}{mine_cpu / theirs_cpu:7.2f}"
        )
    print("throughput (MB/s)     per wall s        per CPU s")
    for name, (mine, mine_cpu), (theirs, theirs_cpu) in rows[1:]:
        print(
            f"{name:22}{megabytes / mine:9.2f}{megabytes / theirs:9.2f}{'':7}"
            f"  {megabytes / mine_cpu:9.2f}{megabytes / theirs_cpu:9.2f}"
        )
    print("(line by line: minillm's encode_iterable over the lines; HF's encode_batch, on its threads)")
    n_bytes = megabytes * 1e6
    print(f"bytes per token: minillm {n_bytes / len(ours_ids):.3f}, HF {n_bytes / len(hf_encoding.ids):.3f}")
    print(f"peak RSS: {ours_peak:.0f} MB after minillm's runs, {peak_rss_mb():.0f} MB after HF's too")


if __name__ == "__main__":
    main()
