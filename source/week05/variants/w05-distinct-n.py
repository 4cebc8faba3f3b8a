# %% variant: across-samples
# Joins the samples into one sequence first, so n-grams run across their boundaries.
def distinct_n(samples, n):
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    joined = [token for sample in samples for token in sample]
    grams = [tuple(joined[i : i + n]) for i in range(len(joined) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


# %% variant: mean-per-sample
# Averages distinct-n of each sample instead of pooling the samples: repeats across samples go unnoticed.
def distinct_n(samples, n):
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    ratios = []
    for sample in samples:
        grams = [tuple(sample[i : i + n]) for i in range(len(sample) - n + 1)]
        if grams:
            ratios.append(len(set(grams)) / len(grams))
    return sum(ratios) / len(ratios) if ratios else 0.0


# %% variant: misses-last-ngram
# range(len(sample) - n) drops the last n-gram of every sample.
def distinct_n(samples, n):
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    grams = [tuple(sample[i : i + n]) for sample in samples for i in range(len(sample) - n)]
    return len(set(grams)) / len(grams) if grams else 0.0
