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
