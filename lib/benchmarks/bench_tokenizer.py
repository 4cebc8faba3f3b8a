"""Benchmark: minillm's byte-level BPE against HF `tokenizers`, side by side in one run.

Both train a ByteLevel BPE on data/tinyshakespeare.txt to the same vocabulary (4096, with the special
token <|endoftext|>), then encode the whole file. Prints the best of a few runs of each, their ratio,
and the process's peak resident memory.

    python lib/benchmarks/bench_tokenizer.py
"""

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
    """(best seconds, result of the last call) over `repeats` calls of fn()."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


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

    ours_train, ours = best_time(train_ours)
    # encoding starts with an empty chunk cache each time (a fresh copy of the trained tokenizer)
    ours_encode, ours_ids = best_time(lambda: BPETokenizer(ours.vocab, ours.merges, ours.special_tokens).encode(text))
    ours_stream, _ = best_time(
        lambda: sum(1 for _ in BPETokenizer(ours.vocab, ours.merges, ours.special_tokens).encode_iterable(lines))
    )
    ours_peak = peak_rss_mb()

    hf_train, hf = best_time(train_hf)
    hf_encode, hf_encoding = best_time(lambda: hf.encode(text))
    hf_batch, _ = best_time(lambda: hf.encode_batch(lines))

    rows = [
        ("train to vocab 4096 (s)", ours_train, hf_train),
        ("encode whole text (s)", ours_encode, hf_encode),
        ("encode line by line (s)", ours_stream, hf_batch),
    ]
    print(f"{'':28}{'minillm':>10}{'HF':>10}{'minillm/HF':>12}")
    for name, mine, theirs in rows:
        print(f"{name:28}{mine:10.2f}{theirs:10.2f}{mine / theirs:12.2f}")
    print(f"{'encode whole text (MB/s)':28}{megabytes / ours_encode:10.2f}{megabytes / hf_encode:10.2f}")
    print(f"{'encode line by line (MB/s)':28}{megabytes / ours_stream:10.2f}{megabytes / hf_batch:10.2f}")
    print("(line by line: minillm's encode_iterable over the lines; HF's encode_batch, on its threads)")
    print(f"bytes per token: minillm {len(text.encode()) / len(ours_ids):.3f}, HF {len(text.encode()) / len(hf_encoding.ids):.3f}")
    print(f"peak RSS: {ours_peak:.0f} MB after minillm's runs, {peak_rss_mb():.0f} MB after HF's too")


if __name__ == "__main__":
    main()
