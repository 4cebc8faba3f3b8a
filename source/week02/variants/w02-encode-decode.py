# %% variant: leftmost-merge-first
# Inside a chunk, merges the leftmost pair that has a merge instead of the pair learnt earliest.
def encode(text, merges, special_tokens):
    if special_tokens:
        longest_first = sorted(special_tokens, key=len, reverse=True)
        pieces = regex.split("(" + "|".join(regex.escape(s) for s in longest_first) + ")", text)
    else:
        pieces = [text]
    ids = []
    for piece in pieces:
        if piece in special_tokens:
            ids.append(special_tokens[piece])
            continue
        for chunk in pretokenize(piece):
            chunk_ids = list(chunk.encode("utf-8"))
            while True:
                mergeable = [p for p in zip(chunk_ids, chunk_ids[1:]) if p in merges]
                if not mergeable:
                    break
                chunk_ids = merge(chunk_ids, mergeable[0], merges[mergeable[0]])
            ids.extend(chunk_ids)
    return ids


def decode(ids, vocab, special_tokens):
    token_bytes = dict(vocab)
    token_bytes.update((i, s.encode("utf-8")) for s, i in special_tokens.items())
    if any(i not in token_bytes for i in ids):
        raise ValueError("ids: unknown token id")
    return b"".join(token_bytes[i] for i in ids).decode("utf-8", errors="replace")


# %% variant: specials-as-text
# Ignores special_tokens when encoding: "<|endoftext|>" is cut into ordinary chunks like any other text.
def encode(text, merges, special_tokens):
    rank = {pair: r for r, pair in enumerate(merges)}
    ids = []
    for chunk in pretokenize(text):
        chunk_ids = list(chunk.encode("utf-8"))
        while len(chunk_ids) > 1:
            first = min(zip(chunk_ids, chunk_ids[1:]), key=lambda p: rank.get(p, len(rank)))
            if first not in rank:
                break
            chunk_ids = merge(chunk_ids, first, merges[first])
        ids.extend(chunk_ids)
    return ids


def decode(ids, vocab, special_tokens):
    token_bytes = dict(vocab)
    token_bytes.update((i, s.encode("utf-8")) for s, i in special_tokens.items())
    if any(i not in token_bytes for i in ids):
        raise ValueError("ids: unknown token id")
    return b"".join(token_bytes[i] for i in ids).decode("utf-8", errors="replace")


# %% variant: decode-token-by-token
# Decodes each token's bytes on its own, so a character split across two tokens becomes replacement characters.
def encode(text, merges, special_tokens):
    rank = {pair: r for r, pair in enumerate(merges)}
    if special_tokens:
        longest_first = sorted(special_tokens, key=len, reverse=True)
        pieces = regex.split("(" + "|".join(regex.escape(s) for s in longest_first) + ")", text)
    else:
        pieces = [text]
    ids = []
    for piece in pieces:
        if piece in special_tokens:
            ids.append(special_tokens[piece])
            continue
        for chunk in pretokenize(piece):
            chunk_ids = list(chunk.encode("utf-8"))
            while len(chunk_ids) > 1:
                first = min(zip(chunk_ids, chunk_ids[1:]), key=lambda p: rank.get(p, len(rank)))
                if first not in rank:
                    break
                chunk_ids = merge(chunk_ids, first, merges[first])
            ids.extend(chunk_ids)
    return ids


def decode(ids, vocab, special_tokens):
    token_bytes = dict(vocab)
    token_bytes.update((i, s.encode("utf-8")) for s, i in special_tokens.items())
    if any(i not in token_bytes for i in ids):
        raise ValueError("ids: unknown token id")
    return "".join(token_bytes[i].decode("utf-8", errors="replace") for i in ids)


# %% variant: shortest-special-first
# Tries special tokens in the dictionary's order, shortest first: "<|end|><|end|>" is read as two "<|end|>".
def encode(text, merges, special_tokens):
    rank = {pair: r for r, pair in enumerate(merges)}
    if special_tokens:
        shortest_first = sorted(special_tokens, key=len)
        pieces = regex.split("(" + "|".join(regex.escape(s) for s in shortest_first) + ")", text)
    else:
        pieces = [text]
    ids = []
    for piece in pieces:
        if piece in special_tokens:
            ids.append(special_tokens[piece])
            continue
        for chunk in pretokenize(piece):
            chunk_ids = list(chunk.encode("utf-8"))
            while len(chunk_ids) > 1:
                first = min(zip(chunk_ids, chunk_ids[1:]), key=lambda p: rank.get(p, len(rank)))
                if first not in rank:
                    break
                chunk_ids = merge(chunk_ids, first, merges[first])
            ids.extend(chunk_ids)
    return ids


def decode(ids, vocab, special_tokens):
    token_bytes = dict(vocab)
    token_bytes.update((i, s.encode("utf-8")) for s, i in special_tokens.items())
    if any(i not in token_bytes for i in ids):
        raise ValueError("ids: unknown token id")
    return b"".join(token_bytes[i] for i in ids).decode("utf-8", errors="replace")

# %% variant: list-table-wraps-negative
# Looks ids up in a list with only an upper-bound check: id -1 silently decodes to the last token.
def encode(text, merges, special_tokens):
    """Token ids (list of ints) of `text` under byte-level BPE.

    merges: dict (id, id) -> new id, in the order learnt (as train_bpe returns); earlier merges go first.
    special_tokens: dict str -> id, e.g. {"<|endoftext|>": 512}; may be empty.
    1. Split `text` at occurrences of special tokens; each becomes its one id. Where two special tokens match
       at the same place, the longer wins.
    2. Cut every other piece into chunks with `pretokenize`.
    3. Each chunk: its UTF-8 bytes, then repeatedly merge the adjacent pair learnt earliest, until no pair of
       the chunk is in `merges`.
    """
    rank = {pair: r for r, pair in enumerate(merges)}
    if special_tokens:
        longest_first = sorted(special_tokens, key=len, reverse=True)
        pieces = regex.split("(" + "|".join(regex.escape(s) for s in longest_first) + ")", text)
    else:
        pieces = [text]
    ids = []
    for piece in pieces:
        if piece in special_tokens:
            ids.append(special_tokens[piece])
            continue
        for chunk in pretokenize(piece):
            chunk_ids = list(chunk.encode("utf-8"))
            while len(chunk_ids) > 1:
                first = min(zip(chunk_ids, chunk_ids[1:]), key=lambda p: rank.get(p, len(rank)))
                if first not in rank:
                    break
                chunk_ids = merge(chunk_ids, first, merges[first])
            ids.extend(chunk_ids)
    return ids


def decode(ids, vocab, special_tokens):
    """The text of a sequence of token ids.

    vocab: dict id -> bytes of the ordinary tokens; special_tokens: dict str -> id (ids not in vocab), which
    decode to their own text. Join the bytes of all tokens, then decode UTF-8 with errors="replace".
    Raises ValueError for an id that is neither in vocab nor a special token's.
    """
    known = dict(vocab)
    known.update((i, s.encode("utf-8")) for s, i in special_tokens.items())
    token_bytes = [known.get(i, b"") for i in range(max(known) + 1)]
    unknown = [i for i in ids if i >= len(token_bytes)]
    if unknown:
        raise ValueError(f"ids: {unknown[0]} is not a token id of this vocabulary")
    return b"".join(token_bytes[i] for i in ids).decode("utf-8", errors="replace")
    ### END SOLUTION

# %% variant: range-check-only
# Checks only that an id is below the vocabulary size: an id missing inside the range raises KeyError, not ValueError.
def encode(text, merges, special_tokens):
    """Token ids (list of ints) of `text` under byte-level BPE.

    merges: dict (id, id) -> new id, in the order learnt (as train_bpe returns); earlier merges go first.
    special_tokens: dict str -> id, e.g. {"<|endoftext|>": 512}; may be empty.
    1. Split `text` at occurrences of special tokens; each becomes its one id. Where two special tokens match
       at the same place, the longer wins.
    2. Cut every other piece into chunks with `pretokenize`.
    3. Each chunk: its UTF-8 bytes, then repeatedly merge the adjacent pair learnt earliest, until no pair of
       the chunk is in `merges`.
    """
    rank = {pair: r for r, pair in enumerate(merges)}
    if special_tokens:
        longest_first = sorted(special_tokens, key=len, reverse=True)
        pieces = regex.split("(" + "|".join(regex.escape(s) for s in longest_first) + ")", text)
    else:
        pieces = [text]
    ids = []
    for piece in pieces:
        if piece in special_tokens:
            ids.append(special_tokens[piece])
            continue
        for chunk in pretokenize(piece):
            chunk_ids = list(chunk.encode("utf-8"))
            while len(chunk_ids) > 1:
                first = min(zip(chunk_ids, chunk_ids[1:]), key=lambda p: rank.get(p, len(rank)))
                if first not in rank:
                    break
                chunk_ids = merge(chunk_ids, first, merges[first])
            ids.extend(chunk_ids)
    return ids


def decode(ids, vocab, special_tokens):
    """The text of a sequence of token ids.

    vocab: dict id -> bytes of the ordinary tokens; special_tokens: dict str -> id (ids not in vocab), which
    decode to their own text. Join the bytes of all tokens, then decode UTF-8 with errors="replace".
    Raises ValueError for an id that is neither in vocab nor a special token's.
    """
    token_bytes = dict(vocab)
    token_bytes.update((i, s.encode("utf-8")) for s, i in special_tokens.items())
    unknown = [i for i in ids if i >= len(token_bytes)]
    if unknown:
        raise ValueError(f"ids: {unknown[0]} is not a token id of this vocabulary")
    return b"".join(token_bytes[i] for i in ids).decode("utf-8", errors="replace")
    ### END SOLUTION
