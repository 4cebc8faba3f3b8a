# %% variant: transposed
# Indexes the table as [next, current].
def bigram_counts(ids, vocab_size):
    """Count adjacent pairs of token ids.

    ids: 1-D int64 tensor of ids in [0, vocab_size), length N >= 1.
    Returns a (vocab_size, vocab_size) int64 tensor whose entry [a, b] is the number of positions t with
    ids[t] == a and ids[t + 1] == b: N - 1 pairs in all (the last token starts no pair).
    """
    counts = torch.zeros(vocab_size, vocab_size, dtype=torch.long)
    counts.index_put_((ids[1:], ids[:-1]), torch.ones(len(ids) - 1, dtype=torch.long), accumulate=True)
    return counts
# %% variant: wraps-around
# Pairs every id with the one after it cyclically, adding a pair from the last id back to the first.
def bigram_counts(ids, vocab_size):
    """Count adjacent pairs of token ids.

    ids: 1-D int64 tensor of ids in [0, vocab_size), length N >= 1.
    Returns a (vocab_size, vocab_size) int64 tensor whose entry [a, b] is the number of positions t with
    ids[t] == a and ids[t + 1] == b: N - 1 pairs in all (the last token starts no pair).
    """
    counts = torch.zeros(vocab_size, vocab_size, dtype=torch.long)
    counts.index_put_((ids, ids.roll(-1)), torch.ones(len(ids), dtype=torch.long), accumulate=True)
    return counts
# %% variant: loop-off-by-one
# A Python loop that stops one pair early.
def bigram_counts(ids, vocab_size):
    """Count adjacent pairs of token ids.

    ids: 1-D int64 tensor of ids in [0, vocab_size), length N >= 1.
    Returns a (vocab_size, vocab_size) int64 tensor whose entry [a, b] is the number of positions t with
    ids[t] == a and ids[t + 1] == b: N - 1 pairs in all (the last token starts no pair).
    """
    counts = torch.zeros(vocab_size, vocab_size, dtype=torch.long)
    for t in range(len(ids) - 2):
        counts[ids[t], ids[t + 1]] += 1
    return counts
# %% variant: without-accumulate
# index_put_ without accumulate=True: a repeated pair is written, not added, so it counts once.
def bigram_counts(ids, vocab_size):
    """Count adjacent pairs of token ids.

    ids: 1-D int64 tensor of ids in [0, vocab_size), length N >= 1.
    Returns a (vocab_size, vocab_size) int64 tensor whose entry [a, b] is the number of positions t with
    ids[t] == a and ids[t + 1] == b: N - 1 pairs in all (the last token starts no pair).
    """
    counts = torch.zeros(vocab_size, vocab_size, dtype=torch.long)
    counts.index_put_((ids[:-1], ids[1:]), torch.ones(len(ids) - 1, dtype=torch.long))
    return counts

# %% variant: float-table
# Counts into a float32 table: the numbers are right, the dtype is not an integer.
def bigram_counts(ids, vocab_size):
    """Count adjacent pairs of token ids.

    ids: 1-D int64 tensor of ids in [0, vocab_size), length N >= 1.
    Returns a (vocab_size, vocab_size) int64 tensor whose entry [a, b] is the number of positions t with
    ids[t] == a and ids[t + 1] == b: N - 1 pairs in all (the last token starts no pair).
    """
    counts = torch.zeros(vocab_size, vocab_size)
    counts.index_put_((ids[:-1], ids[1:]), torch.ones(len(ids) - 1), accumulate=True)
    return counts
    ### END SOLUTION

# %% variant: int32-table
# Counts into an int32 table instead of int64.
def bigram_counts(ids, vocab_size):
    """Count adjacent pairs of token ids.

    ids: 1-D int64 tensor of ids in [0, vocab_size), length N >= 1.
    Returns a (vocab_size, vocab_size) int64 tensor whose entry [a, b] is the number of positions t with
    ids[t] == a and ids[t + 1] == b: N - 1 pairs in all (the last token starts no pair).
    """
    counts = torch.zeros(vocab_size, vocab_size, dtype=torch.int32)
    counts.index_put_((ids[:-1], ids[1:]), torch.ones(len(ids) - 1, dtype=torch.int32), accumulate=True)
    return counts
    ### END SOLUTION
