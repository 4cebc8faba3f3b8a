"""Tokenizers: a character table, and byte-level BPE with GPT-2's pre-tokenisation.

`Tokenizer` holds what every tokenizer shares: an id -> bytes vocabulary and decoding.
`CharTokenizer` adds one idea, a table of the characters of a text.
`BPETokenizer` adds byte-pair merges learnt on a corpus, split first on special tokens and then by
GPT-2's regex, and saves/loads them in GPT-2's `vocab.json` + `merges.txt` format.

    tok = BPETokenizer.train(text, vocab_size=4096, special_tokens=["<|endoftext|>"])
    ids = tok.encode("Hello world<|endoftext|>")
    assert tok.decode(ids) == "Hello world<|endoftext|>"
"""

import functools
import heapq
import itertools
import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

import regex

# GPT-2's pre-tokenisation: contractions, letter runs, number runs and punctuation runs (each with at
# most one leading space), then whitespace. BPE merges never cross the boundaries of these chunks.
GPT2_SPLIT_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

_PRETOKEN_PATTERN = regex.compile(GPT2_SPLIT_PATTERN)
ENCODE_CACHE_SIZE = 2**16  # pre-token chunks whose ids are remembered; bounds the cache's memory


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte -> printable character table, used to write byte strings in vocab.json/merges.txt.

    Printable Latin-1 bytes stand for themselves; the other 68 bytes (controls, space, ...) take the
    characters from chr(256) on, in byte order, so that every token is a visible string without spaces.
    """
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    table = {b: chr(b) for b in printable}
    for n, b in enumerate(b for b in range(256) if b not in table):
        table[b] = chr(256 + n)
    return table


def merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """Return `ids` with each occurrence of `pair`, taken left to right without overlap, as `new_id`."""
    first, second = pair
    merged = []
    i = 0
    while i < len(ids):
        if ids[i] == first and i + 1 < len(ids) and ids[i + 1] == second:
            merged.append(new_id)
            i += 2
        else:
            merged.append(ids[i])
            i += 1
    return merged


class Tokenizer:
    """Shared pieces: `vocab` maps each id to the bytes it stands for; `decode` joins them."""

    def __init__(self, vocab: dict[int, bytes]):
        self.vocab = vocab

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def encode(self, text: str) -> list[int]:
        raise NotImplementedError

    def decode(self, ids: Iterable[int]) -> str:
        """Text of a sequence of ids; bytes that are not valid UTF-8 become U+FFFD."""
        try:
            data = b"".join([self.vocab[i] for i in ids])
        except KeyError as error:
            bad = error.args[0]
            raise ValueError(f"ids: unknown token id {bad!r} (ids run from 0 to {self.vocab_size - 1})") from None
        return data.decode("utf-8", errors="replace")


class CharTokenizer(Tokenizer):
    """One token per character: the sorted unique characters of `text` get ids 0, 1, ..."""

    def __init__(self, text: str):
        if not isinstance(text, str):
            raise TypeError(f"text: expected a str, got {type(text).__name__}")
        if not text:
            raise ValueError("text: cannot build a character table from an empty text")
        self.chars = sorted(set(text))
        self.char_to_id = {ch: i for i, ch in enumerate(self.chars)}
        super().__init__({i: ch.encode("utf-8") for i, ch in enumerate(self.chars)})

    def encode(self, text: str) -> list[int]:
        try:
            return [self.char_to_id[ch] for ch in text]
        except KeyError as error:
            raise ValueError(f"text: character {error.args[0]!r} is not in the vocabulary") from None


class BPETokenizer(Tokenizer):
    """Byte-level BPE: text -> special tokens and GPT-2 pre-token chunks -> UTF-8 bytes -> merges.

    vocab: id -> bytes of every ordinary token (default: the 256 single bytes, id = byte value).
    merges: (id, id) -> id of the merged token, in the order the merges were learnt (their rank).
    special_tokens: text -> id of tokens that are matched before pre-tokenisation and never merged.
    `BPETokenizer()` alone is a plain byte tokenizer; `train` and `load` build real ones.
    """

    def __init__(
        self,
        vocab: dict[int, bytes] | None = None,
        merges: dict[tuple[int, int], int] | None = None,
        special_tokens: dict[str, int] | None = None,
    ):
        vocab = {b: bytes([b]) for b in range(256)} if vocab is None else vocab
        self.merges = merges or {}
        self.special_tokens = special_tokens or {}
        super().__init__({**vocab, **{i: s.encode("utf-8") for s, i in self.special_tokens.items()}})
        token_ids = {token: i for i, token in vocab.items()}
        self._byte_ids = [token_ids[bytes([b])] for b in range(256)]
        self._ranks = {pair: rank for rank, pair in enumerate(self.merges)}
        self._encode_chunk = functools.lru_cache(maxsize=ENCODE_CACHE_SIZE)(self._merge_chunk)

    # ---- training -------------------------------------------------------------------------------

    @classmethod
    def train(
        cls, text: str | Iterable[str], vocab_size: int, special_tokens: Iterable[str] = ()
    ) -> "BPETokenizer":
        """Learn merges until the vocabulary holds `vocab_size` tokens, special tokens included.

        text: one string, or an iterable of strings read as consecutive pieces of one text (an open
        file's lines, say); pieces should end at whitespace, as lines do.
        Among pairs of equal count, the merge taken is the one whose (bytes, bytes) is greatest.
        Merged tokens get ids 256, 257, ... in merge order and special tokens the last ids. The
        vocabulary ends up smaller if the corpus runs out of pairs.
        """
        special_tokens = _check_special_tokens(special_tokens)
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, int):
            raise TypeError(f"vocab_size: expected an int, got {type(vocab_size).__name__}")
        if vocab_size < 256 + len(special_tokens):
            raise ValueError(
                f"vocab_size: {vocab_size} is too small; it needs 256 byte tokens"
                f" + {len(special_tokens)} special tokens"
            )
        pieces = [text] if isinstance(text, str) else text
        chunk_counts = Counter()
        for chunks, is_special in _split_text(pieces, _special_pattern(special_tokens)):
            if not is_special:
                chunk_counts.update(chunks)
        if not chunk_counts:
            raise ValueError("text: the training corpus is empty (no text outside special tokens)")
        vocab, merges = _learn_merges(chunk_counts, vocab_size - len(special_tokens))
        specials = {s: len(vocab) + n for n, s in enumerate(special_tokens)}
        return cls(vocab, merges, specials)

    @classmethod
    def train_from_file(
        cls, path: str | os.PathLike, vocab_size: int, special_tokens: Iterable[str] = ()
    ) -> "BPETokenizer":
        """`train` on a UTF-8 text file, read line by line (never whole)."""
        with open(path, encoding="utf-8") as lines:
            return cls.train(lines, vocab_size, special_tokens)

    # ---- encoding -------------------------------------------------------------------------------

    def encode(self, text: str, allowed_special: str | Iterable[str] = "all") -> list[int]:
        """Token ids of `text`.

        allowed_special: "all" (default) or a collection of special tokens to recognise; "none" (or
        the text of any special token left out) is encoded as ordinary text. Where special tokens
        overlap, the longest match wins.
        """
        if not isinstance(text, str):
            raise TypeError(f"text: expected a str, got {type(text).__name__}")
        runs = self._encode_runs([text], self._allowed_special_pattern(allowed_special))
        return list(itertools.chain.from_iterable(runs))

    def encode_iterable(
        self, lines: Iterable[str], allowed_special: str | Iterable[str] = "all"
    ) -> Iterator[int]:
        """Stream the ids of the text made by the consecutive pieces `lines` (an open file, say).

        Holds one line at a time, and gives the same ids as `encode` of the whole text when the
        pieces end at whitespace, as lines do.
        """
        if isinstance(lines, str):
            raise TypeError("lines: expected an iterable of lines, got a single str (use encode)")
        runs = self._encode_runs(lines, self._allowed_special_pattern(allowed_special))
        return itertools.chain.from_iterable(runs)

    def _encode_runs(self, pieces: Iterable[str], special_pattern: regex.Pattern | None) -> Iterator[Iterable[int]]:
        """The ids of each run of `_split_text` (a special token, or pre-token chunks) of `pieces`."""
        for chunks, is_special in _split_text(pieces, special_pattern):
            if is_special:
                yield [self.special_tokens[chunks[0]]]
            else:
                yield itertools.chain.from_iterable(map(self._encode_chunk, chunks))

    def _merge_chunk(self, chunk: str) -> tuple[int, ...]:
        """Apply the merges to one pre-token chunk, lowest rank first, until none applies."""
        ids = [self._byte_ids[b] for b in chunk.encode("utf-8")]
        while len(ids) >= 2:
            pair = min(zip(ids, ids[1:]), key=lambda p: self._ranks.get(p, math.inf))
            if pair not in self._ranks:
                break
            ids = merge(ids, pair, self.merges[pair])
        return tuple(ids)

    def _allowed_special_pattern(self, allowed_special: str | Iterable[str]) -> regex.Pattern | None:
        if allowed_special == "all":
            return _special_pattern(self.special_tokens)
        if allowed_special == "none":
            return None
        allowed = _check_special_tokens(allowed_special, name="allowed_special")
        unknown = [s for s in allowed if s not in self.special_tokens]
        if unknown:
            raise ValueError(f"allowed_special: {unknown[0]!r} is not a special token of this tokenizer")
        return _special_pattern(allowed)

    # ---- GPT-2 files ----------------------------------------------------------------------------

    def save(self, directory: str | os.PathLike) -> None:
        """Write `vocab.json` and `merges.txt` (GPT-2's format) into `directory`, creating it if needed."""
        to_char = bytes_to_unicode()
        names = {i: "".join(to_char[b] for b in token) for i, token in self.vocab.items()}
        names.update({i: s for s, i in self.special_tokens.items()})  # specials are written as they are
        vocab_json = {name: i for i, name in sorted(names.items())}
        if len(vocab_json) != len(names):
            raise ValueError("special_tokens: a special token is spelled like an ordinary token")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "vocab.json"), "w", encoding="utf-8") as f:
            json.dump(vocab_json, f, ensure_ascii=False)
        with open(os.path.join(directory, "merges.txt"), "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n")
            f.writelines(f"{names[a]} {names[b]}\n" for a, b in self.merges)

    @classmethod
    def load(cls, directory: str | os.PathLike) -> "BPETokenizer":
        """Read `vocab.json` + `merges.txt` as written by `save`, HF `tokenizers` or GPT-2.

        Entries of vocab.json that are neither a single byte nor made by a merge are special tokens
        (as GPT-2's `<|endoftext|>`).
        """
        vocab_path = os.path.join(directory, "vocab.json")
        merges_path = os.path.join(directory, "merges.txt")
        names = _read_vocab_json(vocab_path)
        from_char = {c: b for b, c in bytes_to_unicode().items()}
        missing = [c for c in from_char if c not in names]
        if missing:
            raise ValueError(f"{vocab_path}: the single-byte token {missing[0]!r} is missing")
        merges = {}
        with open(merges_path, encoding="utf-8") as f:
            for line_number, line in enumerate(f, start=1):
                line = line.rstrip("\n")
                if line_number == 1 and line.startswith("#version"):
                    continue
                parts = line.split(" ")
                location = f"{merges_path}, line {line_number}"
                if len(parts) != 2 or not all(parts):
                    raise ValueError(f"{location}: expected two tokens separated by a space, got {line!r}")
                for token in (*parts, parts[0] + parts[1]):
                    if token not in names:
                        raise ValueError(f"{location}: token {token!r} is not in vocab.json")
                merges[names[parts[0]], names[parts[1]]] = names[parts[0] + parts[1]]
        ordinary = {*merges.values(), *(names[c] for c in from_char)}
        vocab, specials = {}, {}
        for name, i in names.items():
            if i in ordinary:
                vocab[i] = bytes(from_char[c] for c in name)
            else:
                specials[name] = i
        return cls(vocab, merges, specials)


def _learn_merges(
    chunk_counts: dict[str, int], vocab_size: int
) -> tuple[dict[int, bytes], dict[tuple[int, int], int]]:
    """Learn byte-pair merges over pre-token chunks weighted by their counts, until `vocab_size` tokens.

    Pairs are counted once; after each merge only the chunks holding the merged pair (found through
    the index pair -> chunks) are re-merged and their pair counts corrected. A heap of
    (-count, bytes order, pair) gives the next merge; entries whose count changed are skipped.
    Stops early if every chunk has become a single token.
    """
    words = [list(chunk.encode("utf-8")) for chunk in chunk_counts]
    counts = list(chunk_counts.values())
    vocab = {b: bytes([b]) for b in range(256)}
    # Sort key of each token, the reverse of its bytes' order, so the heap pops the greatest bytes first.
    order = {i: _reverse_order(token) for i, token in vocab.items()}

    pair_counts = Counter()
    where = defaultdict(set)
    for w, (word, count) in enumerate(zip(words, counts)):
        for pair in zip(word, word[1:]):
            pair_counts[pair] += count
            where[pair].add(w)
    heap = [(-count, order[a], order[b], (a, b)) for (a, b), count in pair_counts.items()]
    heapq.heapify(heap)

    merges = {}
    while len(vocab) < vocab_size and heap:
        neg_count, _, _, pair = heapq.heappop(heap)
        if pair_counts.get(pair) != -neg_count:
            continue  # stale entry: the pair's count changed after it was pushed
        new_id = len(vocab)
        vocab[new_id] = vocab[pair[0]] + vocab[pair[1]]
        order[new_id] = _reverse_order(vocab[new_id])
        merges[pair] = new_id

        changes = Counter()
        for w in where.pop(pair):
            word = words[w]
            merged = merge(word, pair, new_id)
            if len(merged) == len(word):
                continue  # the index is not pruned; this chunk lost the pair in an earlier merge
            for old in zip(word, word[1:]):
                changes[old] -= counts[w]
            for new in zip(merged, merged[1:]):
                changes[new] += counts[w]
                if new_id in new:  # the word's other pairs were there before, so already indexed
                    where[new].add(w)
            words[w] = merged
        for changed, change in changes.items():
            if change:
                pair_counts[changed] += change
                if pair_counts[changed]:
                    a, b = changed
                    heapq.heappush(heap, (-pair_counts[changed], order[a], order[b], changed))
                else:
                    del pair_counts[changed]
    return vocab, merges


def _split_text(pieces: Iterable[str], special_pattern: regex.Pattern | None) -> Iterator[tuple[list[str], bool]]:
    """Split the text made by `pieces` into runs: ([special token], True) or ([pre-token, ...], False).

    The last pre-token of each piece is held back and joined to the next piece, which may extend
    it (a run of blank lines, say); exact when pieces end at whitespace.
    """
    carry = ""
    for piece in pieces:
        if not isinstance(piece, str):
            raise TypeError(f"text: each piece (line) must be a str, got {type(piece).__name__}")
        parts = special_pattern.split(carry + piece) if special_pattern else [carry + piece]
        carry = ""
        for n, part in enumerate(parts):
            if n % 2:  # split() puts the captured special tokens at odd positions
                yield [part], True
                continue
            pretokens = _PRETOKEN_PATTERN.findall(part)
            if n == len(parts) - 1 and pretokens:
                carry = pretokens.pop()
            yield pretokens, False
    if carry:
        yield [carry], False


def _reverse_order(token: bytes) -> tuple[int, ...]:
    """A key that sorts byte strings from greatest to smallest (a prefix after its extensions)."""
    return (*(-b for b in token), 1)


def _check_special_tokens(special_tokens: Iterable[str], name: str = "special_tokens") -> tuple[str, ...]:
    if isinstance(special_tokens, str):
        raise TypeError(f"{name}: expected a collection of strings, not a single str {special_tokens!r}")
    tokens = tuple(special_tokens)
    for token in tokens:
        if not isinstance(token, str) or not token:
            raise ValueError(f"{name}: each special token must be a non-empty str, got {token!r}")
    if len(set(tokens)) != len(tokens):
        raise ValueError(f"{name}: special tokens must be distinct, got {list(tokens)}")
    return tokens


def _special_pattern(special_tokens: Iterable[str]) -> regex.Pattern | None:
    """A pattern whose split() isolates the special tokens, trying longer ones first (longest wins)."""
    tokens = sorted(special_tokens, key=len, reverse=True)
    return regex.compile("(" + "|".join(regex.escape(t) for t in tokens) + ")") if tokens else None


def _read_vocab_json(path: str) -> dict[str, int]:
    """vocab.json as {token name: id}, checked: a JSON object of names to the ids 0 .. N-1."""
    with open(path, encoding="utf-8") as f:
        try:
            names = json.load(f)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}, line {error.lineno}: not valid JSON ({error.msg})") from None
    if not isinstance(names, dict):
        raise ValueError(f"{path}: expected a JSON object mapping tokens to ids, got {type(names).__name__}")
    for name, i in names.items():
        if isinstance(i, bool) or not isinstance(i, int):
            raise ValueError(f"{path}: token {name!r} has id {i!r}, expected an int")
    if sorted(names.values()) != list(range(len(names))):
        raise ValueError(f"{path}: ids must be 0 .. {len(names) - 1}, each used once")
    return names
