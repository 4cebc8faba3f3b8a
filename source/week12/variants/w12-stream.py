# %% variant: decodes-each-token-alone
# Each token's bytes are decoded on their own: a character cut between tokens becomes two U+FFFD.
class StreamDecoder:
    """Incremental detokeniser over a vocabulary (id -> bytes, e.g. tokenizer.vocab).

    push(token_id) -> str: the text that is complete so far and not shown yet ("" when nothing is). Bytes at the
        end that start a character whose remaining bytes have not arrived (a first byte 110xxxxx with no
        continuation yet, 1110xxxx with fewer than 2, 11110xxx with fewer than 3) are held back; everything
        else is decoded with bytes.decode("utf-8", errors="replace").
    flush() -> str: the held-back bytes, decoded with errors="replace" ("" when none), and forget them.
    Joined, the pieces of push over all ids and then flush equal bytes(all).decode("utf-8", errors="replace").
    The tests feed byte-level ids one by one, tokens that cut characters anywhere, invalid bytes and special
    tokens, and check every piece (each a str) as well as the joined text.
    """

    def __init__(self, vocab):
        self.vocab = vocab
        ### BEGIN SOLUTION
        self.pending = b""
        ### END SOLUTION

    def push(self, token_id):
        ### BEGIN SOLUTION
        data = self.vocab[token_id]
        keep = 0
        return data.decode("utf-8", errors="replace")
        for back in range(1, min(4, len(data)) + 1):
            byte = data[-back]
            if byte & 0xC0 == 0x80:
                continue
            needs = 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4 if byte >> 3 == 0b11110 else 1
            keep = back if back < needs else 0
            break
        self.pending = data[len(data) - keep:]
        return data[:len(data) - keep].decode("utf-8", errors="replace")
        ### END SOLUTION

    def flush(self):
        ### BEGIN SOLUTION
        text, self.pending = self.pending.decode("utf-8", errors="replace"), b""
        return text
        ### END SOLUTION

# %% variant: flush-drops-the-tail
# flush forgets the held-back bytes instead of showing them.
class StreamDecoder:
    """Incremental detokeniser over a vocabulary (id -> bytes, e.g. tokenizer.vocab).

    push(token_id) -> str: the text that is complete so far and not shown yet ("" when nothing is). Bytes at the
        end that start a character whose remaining bytes have not arrived (a first byte 110xxxxx with no
        continuation yet, 1110xxxx with fewer than 2, 11110xxx with fewer than 3) are held back; everything
        else is decoded with bytes.decode("utf-8", errors="replace").
    flush() -> str: the held-back bytes, decoded with errors="replace" ("" when none), and forget them.
    Joined, the pieces of push over all ids and then flush equal bytes(all).decode("utf-8", errors="replace").
    The tests feed byte-level ids one by one, tokens that cut characters anywhere, invalid bytes and special
    tokens, and check every piece (each a str) as well as the joined text.
    """

    def __init__(self, vocab):
        self.vocab = vocab
        ### BEGIN SOLUTION
        self.pending = b""
        ### END SOLUTION

    def push(self, token_id):
        ### BEGIN SOLUTION
        data = self.pending + self.vocab[token_id]
        keep = 0
        for back in range(1, min(4, len(data)) + 1):
            byte = data[-back]
            if byte & 0xC0 == 0x80:
                continue
            needs = 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4 if byte >> 3 == 0b11110 else 1
            keep = back if back < needs else 0
            break
        self.pending = data[len(data) - keep:]
        return data[:len(data) - keep].decode("utf-8", errors="replace")
        ### END SOLUTION

    def flush(self):
        ### BEGIN SOLUTION
        text, self.pending = "", b""
        return text
        ### END SOLUTION

# %% variant: holds-only-two-byte-characters
# Only a 2-byte character's first byte is held back: 3- and 4-byte characters split.
class StreamDecoder:
    """Incremental detokeniser over a vocabulary (id -> bytes, e.g. tokenizer.vocab).

    push(token_id) -> str: the text that is complete so far and not shown yet ("" when nothing is). Bytes at the
        end that start a character whose remaining bytes have not arrived (a first byte 110xxxxx with no
        continuation yet, 1110xxxx with fewer than 2, 11110xxx with fewer than 3) are held back; everything
        else is decoded with bytes.decode("utf-8", errors="replace").
    flush() -> str: the held-back bytes, decoded with errors="replace" ("" when none), and forget them.
    Joined, the pieces of push over all ids and then flush equal bytes(all).decode("utf-8", errors="replace").
    The tests feed byte-level ids one by one, tokens that cut characters anywhere, invalid bytes and special
    tokens, and check every piece (each a str) as well as the joined text.
    """

    def __init__(self, vocab):
        self.vocab = vocab
        ### BEGIN SOLUTION
        self.pending = b""
        ### END SOLUTION

    def push(self, token_id):
        ### BEGIN SOLUTION
        data = self.pending + self.vocab[token_id]
        keep = 0
        for back in range(1, min(4, len(data)) + 1):
            byte = data[-back]
            if byte & 0xC0 == 0x80:
                continue
            needs = 2 if byte >> 5 == 0b110 else 1
            keep = back if back < needs else 0
            break
        self.pending = data[len(data) - keep:]
        return data[:len(data) - keep].decode("utf-8", errors="replace")
        ### END SOLUTION

    def flush(self):
        ### BEGIN SOLUTION
        text, self.pending = self.pending.decode("utf-8", errors="replace"), b""
        return text
        ### END SOLUTION
