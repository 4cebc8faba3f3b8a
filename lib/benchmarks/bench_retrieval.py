"""Retrieval latency, side by side in one run, at 10k passages: our BM25 vs rank_bm25's BM25Okapi, and our
cosine top-k vs a brute-force FAISS inner-product index (IndexFlatIP) on the same normalised vectors.

Passages are seeded synthetic facts ("the <name> of <place> is <value>"); the vectors are random (the search
cost does not depend on where they came from). Each figure is the median over the queries; the results of
each pair are checked equal before any time is printed.

    python lib/benchmarks/bench_retrieval.py [--passages 10000] [--dim 128] [--queries 20] [--threads 1]
"""

import argparse
import random
import statistics
import time

import faiss
import numpy as np
import torch
from rank_bm25 import BM25Okapi

from minillm.retrieval import BM25, cosine_top_k, top_k


def passages(n, seed=0):
    rng = random.Random(seed)
    syll = ["ka", "zo", "rn", "vel", "am", "ar", "ti", "qu", "ex", "lo", "mi", "su"]
    word = lambda: "".join(rng.choice(syll) for _ in range(3))  # noqa: E731
    return [f"the {word()} of {word()} is {word()} and {rng.randint(0, 999)}".split() for _ in range(n)]


def median_ms(fn, items):
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--passages", type=int, default=10_000)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    faiss.omp_set_num_threads(args.threads)

    corpus = passages(args.passages)
    queries = [doc[1:6:2] for doc in random.Random(1).sample(corpus, args.queries)]
    t0 = time.perf_counter()
    ours = BM25(corpus)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = BM25Okapi(corpus)
    t_ref = time.perf_counter() - t0
    for q in queries:
        np.testing.assert_allclose(ours.scores(q), ref.get_scores(q), rtol=1e-12)
    bm_ours, bm_ref = median_ms(lambda q: top_k(ours.scores(q), 5), queries), median_ms(ref.get_scores, queries)

    gen = torch.Generator().manual_seed(0)
    docs, qv = torch.randn(args.passages, args.dim, generator=gen), torch.randn(args.queries, args.dim, generator=gen)
    d, q = docs.numpy().copy(), qv.numpy().copy()
    faiss.normalize_L2(d)
    faiss.normalize_L2(q)
    index = faiss.IndexFlatIP(args.dim)
    index.add(d)
    _, idx = cosine_top_k(qv, docs, 5)
    np.testing.assert_array_equal(idx.numpy(), index.search(q, 5)[1])
    dense_ours = median_ms(lambda i: cosine_top_k(qv[i : i + 1], docs, 5), range(args.queries))
    dense_faiss = median_ms(lambda i: index.search(q[i : i + 1], 5), range(args.queries))
    # ours normalises the documents on every query; with them normalised once, as the index stores them
    dn = torch.from_numpy(d)
    dense_pre = median_ms(lambda i: torch.topk(torch.from_numpy(q[i : i + 1]) @ dn.T, 5), range(args.queries))

    print(f"{args.passages} passages, {args.queries} queries, {args.threads} thread(s); median ms per query")
    print(f"BM25 index build: ours {t_ours:.2f} s, rank_bm25 {t_ref:.2f} s")
    print(f"BM25 query: ours {bm_ours:.2f} ms, rank_bm25 {bm_ref:.2f} ms, ratio {bm_ours / bm_ref:.2f}")
    print(f"dense top-5 (d={args.dim}): ours {dense_ours:.2f} ms, FAISS IndexFlatIP {dense_faiss:.2f} ms, "
          f"ratio {dense_ours / dense_faiss:.2f}; pre-normalised matmul {dense_pre:.2f} ms")


if __name__ == "__main__":
    main()
