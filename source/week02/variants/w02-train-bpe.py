# %% variant: ties-first-counted
# Picks the most frequent pair with max(pair_counts, key=pair_counts.get): ties go to whichever pair was counted first.
def train_bpe(text, vocab_size):
    if vocab_size < 256:
        raise ValueError(f"vocab_size must be at least 256, got {vocab_size}")
    distinct = Counter(pretokenize(text))
    words = [list(chunk.encode("utf-8")) for chunk in distinct]
    weights = list(distinct.values())
    vocab = {i: bytes([i]) for i in range(256)}
    merges = {}
    pair_counts, chunks_with = Counter(), defaultdict(set)
    for w, word in enumerate(words):
        for pair in zip(word, word[1:]):
            pair_counts[pair] += weights[w]
            chunks_with[pair].add(w)
    while len(vocab) < vocab_size and pair_counts:
        best = max(pair_counts, key=pair_counts.get)
        new_id = len(vocab)
        vocab[new_id] = vocab[best[0]] + vocab[best[1]]
        merges[best] = new_id
        for w in chunks_with.pop(best):
            old, new = words[w], merge(words[w], best, new_id)
            for pair in zip(old, old[1:]):
                pair_counts[pair] -= weights[w]
                if pair_counts[pair] == 0:
                    del pair_counts[pair]
            for pair in zip(new, new[1:]):
                pair_counts[pair] += weights[w]
                chunks_with[pair].add(w)
            words[w] = new
    return vocab, merges


# %% variant: ties-by-id
# Breaks ties by the pair of ids instead of the pair of byte strings: a merged token (id >= 256) beats any byte.
def train_bpe(text, vocab_size):
    if vocab_size < 256:
        raise ValueError(f"vocab_size must be at least 256, got {vocab_size}")
    distinct = Counter(pretokenize(text))
    words = [list(chunk.encode("utf-8")) for chunk in distinct]
    weights = list(distinct.values())
    vocab = {i: bytes([i]) for i in range(256)}
    merges = {}
    pair_counts, chunks_with = Counter(), defaultdict(set)
    for w, word in enumerate(words):
        for pair in zip(word, word[1:]):
            pair_counts[pair] += weights[w]
            chunks_with[pair].add(w)
    while len(vocab) < vocab_size and pair_counts:
        best = max(pair_counts, key=lambda pair: (pair_counts[pair], pair))
        new_id = len(vocab)
        vocab[new_id] = vocab[best[0]] + vocab[best[1]]
        merges[best] = new_id
        for w in chunks_with.pop(best):
            old, new = words[w], merge(words[w], best, new_id)
            for pair in zip(old, old[1:]):
                pair_counts[pair] -= weights[w]
                if pair_counts[pair] == 0:
                    del pair_counts[pair]
            for pair in zip(new, new[1:]):
                pair_counts[pair] += weights[w]
                chunks_with[pair].add(w)
            words[w] = new
    return vocab, merges


# %% variant: neighbour-updates-overlap
# Updates only the neighbours of each occurrence, found by an overlapping scan: runs like "aaaa" are miscounted.
def train_bpe(text, vocab_size):
    if vocab_size < 256:
        raise ValueError(f"vocab_size must be at least 256, got {vocab_size}")
    distinct = Counter(pretokenize(text))
    words = [list(chunk.encode("utf-8")) for chunk in distinct]
    weights = list(distinct.values())
    vocab = {i: bytes([i]) for i in range(256)}
    merges = {}
    pair_counts, chunks_with = Counter(), defaultdict(set)
    for w, word in enumerate(words):
        for pair in zip(word, word[1:]):
            pair_counts[pair] += weights[w]
            chunks_with[pair].add(w)
    while len(vocab) < vocab_size and pair_counts:
        best = most_frequent_pair(pair_counts, vocab)
        new_id = len(vocab)
        vocab[new_id] = vocab[best[0]] + vocab[best[1]]
        merges[best] = new_id
        for w in chunks_with.pop(best, ()):
            word, n = words[w], weights[w]
            for i in range(len(word) - 1):
                if (word[i], word[i + 1]) != best:
                    continue
                if i > 0:
                    pair_counts[word[i - 1], word[i]] -= n
                    pair_counts[word[i - 1], new_id] += n
                if i + 2 < len(word):
                    pair_counts[word[i + 1], word[i + 2]] -= n
                    pair_counts[new_id, word[i + 2]] += n
            words[w] = merge(word, best, new_id)
            for pair in zip(words[w], words[w][1:]):
                chunks_with[pair].add(w)
        del pair_counts[best]
        for pair in [p for p, c in pair_counts.items() if c <= 0]:
            del pair_counts[pair]
    return vocab, merges


# %% variant: zero-counts-kept
# Never deletes pairs whose count fell to zero, so training goes on merging pairs that no longer exist.
def train_bpe(text, vocab_size):
    if vocab_size < 256:
        raise ValueError(f"vocab_size must be at least 256, got {vocab_size}")
    distinct = Counter(pretokenize(text))
    words = [list(chunk.encode("utf-8")) for chunk in distinct]
    weights = list(distinct.values())
    vocab = {i: bytes([i]) for i in range(256)}
    merges = {}
    pair_counts, chunks_with = Counter(), defaultdict(set)
    for w, word in enumerate(words):
        for pair in zip(word, word[1:]):
            pair_counts[pair] += weights[w]
            chunks_with[pair].add(w)
    while len(vocab) < vocab_size and pair_counts:
        best = most_frequent_pair(pair_counts, vocab)
        new_id = len(vocab)
        vocab[new_id] = vocab[best[0]] + vocab[best[1]]
        merges[best] = new_id
        for w in chunks_with.pop(best, set()):
            old, new = words[w], merge(words[w], best, new_id)
            for pair in zip(old, old[1:]):
                pair_counts[pair] -= weights[w]
            for pair in zip(new, new[1:]):
                pair_counts[pair] += weights[w]
                chunks_with[pair].add(w)
            words[w] = new
    return vocab, merges


# %% variant: rejects-256
# Refuses vocab_size 256 (<= instead of <): 256 byte tokens and no merge is a valid vocabulary.
def train_bpe(text, vocab_size):
    if vocab_size <= 256:
        raise ValueError(f"vocab_size must be at least 256, got {vocab_size}")
    distinct = Counter(pretokenize(text))
    words = [list(chunk.encode("utf-8")) for chunk in distinct]
    weights = list(distinct.values())
    vocab = {i: bytes([i]) for i in range(256)}
    merges = {}
    pair_counts, chunks_with = Counter(), defaultdict(set)
    for w, word in enumerate(words):
        for pair in zip(word, word[1:]):
            pair_counts[pair] += weights[w]
            chunks_with[pair].add(w)
    while len(vocab) < vocab_size and pair_counts:
        best = most_frequent_pair(pair_counts, vocab)
        new_id = len(vocab)
        vocab[new_id] = vocab[best[0]] + vocab[best[1]]
        merges[best] = new_id
        for w in chunks_with.pop(best):
            old, new = words[w], merge(words[w], best, new_id)
            for pair in zip(old, old[1:]):
                pair_counts[pair] -= weights[w]
                if pair_counts[pair] == 0:
                    del pair_counts[pair]
            for pair in zip(new, new[1:]):
                pair_counts[pair] += weights[w]
                chunks_with[pair].add(w)
            words[w] = new
    return vocab, merges


# %% variant: one-merge-too-many
# Merges while len(vocab) <= vocab_size: a vocabulary of vocab_size + 1 tokens (vocab_size 256 already merges once).
def train_bpe(text, vocab_size):
    """Learn byte-level BPE merges on `text` with incremental pair counts; same result as train_bpe_naive.

    text: str, cut into chunks by `pretokenize`; merges never cross a chunk boundary.
    vocab_size: int, at least 256 (ValueError otherwise): 256 byte tokens plus one token per merge.
    Returns (vocab, merges):
        vocab: dict id -> bytes; ids 0..255 are the single bytes, the k-th merge (from 0) makes id 256 + k.
        merges: dict (id, id) -> new id, in the order learnt.
    Each step merges the pair chosen by most_frequent_pair(pair_counts, vocab). Training stops early when
    no pair is left (every chunk is one token). After a merge, look only at the chunks holding the merged
    pair: do not count the whole corpus again.
    """
    if vocab_size < 256:
        raise ValueError(f"vocab_size must be at least 256 (one token per byte value), got {vocab_size}")
    distinct = Counter(pretokenize(text))
    words = [list(chunk.encode("utf-8")) for chunk in distinct]
    weights = list(distinct.values())
    vocab = {i: bytes([i]) for i in range(256)}
    merges = {}
    pair_counts, chunks_with = Counter(), defaultdict(set)
    for w, word in enumerate(words):
        for pair in zip(word, word[1:]):
            pair_counts[pair] += weights[w]
            chunks_with[pair].add(w)
    while len(vocab) <= vocab_size and pair_counts:
        best = most_frequent_pair(pair_counts, vocab)
        new_id = len(vocab)
        vocab[new_id] = vocab[best[0]] + vocab[best[1]]
        merges[best] = new_id
        for w in chunks_with.pop(best):
            old, new = words[w], merge(words[w], best, new_id)
            for pair in zip(old, old[1:]):
                pair_counts[pair] -= weights[w]
                if pair_counts[pair] == 0:
                    del pair_counts[pair]
            for pair in zip(new, new[1:]):
                pair_counts[pair] += weights[w]
                chunks_with[pair].add(w)
            words[w] = new
    return vocab, merges
