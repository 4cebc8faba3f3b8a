"""Tests for minillm.tokenizer.

References: hand-derived values, a textbook BPE trainer written here (recounts every pair after every
merge), and HF `tokenizers` (ByteLevel BPE trained here, offline; its files loaded as GPT-2's would be).

Where HF differs from us, by design:
- ties: among pairs of equal count HF merges the pair with the smallest token ids (its ids follow its
  alphabet's character order); we merge the pair whose (bytes, bytes) is greatest. Merges agree up to the
  first tie the two rules break differently; our rule is tested by hand and against the textbook trainer.
- special tokens: HF's trainer counts pairs inside special tokens found in the training text; we cut them
  out first. HF comparisons of training therefore use text without special tokens.
"""

import io
import itertools
import json
import os
from collections import Counter
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer as HFTokenizer
from tokenizers import decoders, models, pre_tokenizers, trainers

from minillm import tokenizer as tokenizer_module
from minillm.tokenizer import GPT2_SPLIT_PATTERN, BPETokenizer, CharTokenizer, bytes_to_unicode, merge

SHAKESPEARE = Path(__file__).resolve().parents[2] / "data" / "tinyshakespeare.txt"
VARIED_TEXT = (
    "Hello, World! don't I'll WE'RE 'S they've 12345 3.14 日本語のテキスト 👍🏽 e\u0301 café\t tabs\r\n"
    "  \n\n   spaces   end   \u00a0nbsp  ¿qué? ΑΒΓ 𝔘𝔫𝔦 <|endoftext|>x<|endoftext|>\n"
)
FROM_CHAR = {c: b for b, c in bytes_to_unicode().items()}


@pytest.fixture(scope="module")
def corpus() -> str:
    return SHAKESPEARE.read_text(encoding="utf-8")[:60_000]


@pytest.fixture(scope="module")
def trained(corpus) -> BPETokenizer:
    return BPETokenizer.train(corpus, 400, special_tokens=["<|endoftext|>", "<|pad|>"])


def train_hf(text: str, vocab_size: int, special_tokens=()) -> HFTokenizer:
    """HF ByteLevel BPE with GPT-2's settings: all 256 bytes, no prefix space, every pair counts."""
    hf = HFTokenizer(models.BPE())
    hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    hf.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=list(special_tokens),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        min_frequency=0,
        show_progress=False,
    )
    hf.train_from_iterator([text], trainer)
    return hf


def hf_merges(hf: HFTokenizer, directory) -> list[tuple[bytes, bytes]]:
    os.makedirs(directory, exist_ok=True)
    hf.model.save(str(directory))
    lines = (Path(directory) / "merges.txt").read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(bytes(FROM_CHAR[c] for c in name) for name in line.split(" ")) for line in lines]


def merges_as_bytes(tok: BPETokenizer) -> list[tuple[bytes, bytes]]:
    return [(tok.vocab[a], tok.vocab[b]) for a, b in tok.merges]


def textbook_bpe(text: str, n_merges: int) -> list[tuple[tuple[bytes, bytes], Counter]]:
    """Reference trainer: recount all pairs of all pre-tokens before each merge; ties go to the greatest
    (bytes, bytes). Returns each merged pair with the pair counts it was chosen from."""
    chunk_counts = Counter(regex.findall(GPT2_SPLIT_PATTERN, text))
    words = {chunk: [bytes([b]) for b in chunk.encode()] for chunk in chunk_counts}
    steps = []
    for _ in range(n_merges):
        counts = Counter()
        for chunk, word in words.items():
            for pair in zip(word, word[1:]):
                counts[pair] += chunk_counts[chunk]
        if not counts:
            break
        best = max(counts, key=lambda pair: (counts[pair], pair))
        steps.append((best, counts))
        words = {chunk: merge(word, best, best[0] + best[1]) for chunk, word in words.items()}  # merge(): tested below
    return steps


# ---- building blocks ----------------------------------------------------------------------------


def test_bytes_to_unicode_is_gpt2_alphabet():
    table = bytes_to_unicode()
    assert sorted(table) == list(range(256))
    assert set(table.values()) == set(pre_tokenizers.ByteLevel.alphabet()), "must match HF's ByteLevel alphabet"
    assert table[ord(" ")] == "Ġ" and table[ord("\n")] == "Ċ" and table[ord("a")] == "a"


def test_merge_replaces_pairs_left_to_right_without_overlap():
    assert merge([1, 2, 3, 1, 2], (1, 2), 9) == [9, 3, 9]
    assert merge([5, 5, 5], (5, 5), 7) == [7, 5], "overlapping pairs: only the leftmost of 'a a a' merges"
    assert merge([5, 5, 5, 5], (5, 5), 7) == [7, 7]
    assert merge([1], (1, 2), 9) == [1]
    assert merge([], (1, 2), 9) == []


# ---- CharTokenizer --------------------------------------------------------------------------------


def test_char_tokenizer_hand_derived():
    tok = CharTokenizer("hello world")
    assert tok.chars == [" ", "d", "e", "h", "l", "o", "r", "w"]
    assert tok.vocab_size == 8
    assert tok.encode("hello") == [3, 2, 4, 4, 5]
    assert tok.decode([7, 5, 6, 4, 1]) == "world"


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.text(min_size=1))
def test_char_tokenizer_round_trip(text):
    tok = CharTokenizer(text)
    assert tok.decode(tok.encode(text)) == text


def test_char_tokenizer_errors():
    tok = CharTokenizer("abc")
    with pytest.raises(ValueError, match="character 'z'"):
        tok.encode("abz")
    with pytest.raises(ValueError, match="ids: unknown token id 3"):
        tok.decode([0, 3])
    with pytest.raises(ValueError, match="text"):
        CharTokenizer("")
    with pytest.raises(TypeError, match="text"):
        CharTokenizer(["a", "b"])


# ---- training: tie rule, incremental counts, HF --------------------------------------------------


def test_ties_merge_the_greatest_byte_pair():
    # (c, d) and (a, b) both occur once; (b"c", b"d") is the greater pair. (HF merges (a, b) here.)
    tok = BPETokenizer.train("cd ab", 257)
    assert merges_as_bytes(tok) == [(b"c", b"d")]
    # Pre-tokens "xa", " xa", " ba", " ba": (x, a), (" ", b) and (b, a) all occur twice; (x, a) is greatest.
    tok = BPETokenizer.train("xa xa ba ba", 257)
    assert merges_as_bytes(tok) == [(b"x", b"a")]


def test_ties_compare_whole_byte_strings():
    # After (a, b) (count 5), (ab, c) and (a, d) both occur twice; b"ab" > b"a", so (ab, c) wins:
    # a byte string sorts after its prefixes.
    tok = BPETokenizer.train("abc\nabc\nad\nad\nab\nab\nab", 258)
    assert merges_as_bytes(tok) == [(b"a", b"b"), (b"ab", b"c")]


def test_more_frequent_pair_beats_greater_pair():
    tok = BPETokenizer.train("ab ab ab zz", 257)
    assert merges_as_bytes(tok) == [(b"a", b"b")]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.text(alphabet="ab c\n'é😀1", min_size=1, max_size=60), st.integers(1, 25))
def test_training_matches_textbook_bpe(text, n_merges):
    """Incremental counts and the tie rule give exactly the textbook trainer's merges."""
    expected = [pair for pair, _ in textbook_bpe(text, n_merges)]
    assert merges_as_bytes(BPETokenizer.train(text, 256 + n_merges)) == expected


def first_difference(hf_list, ours_list) -> int:
    return next((i for i, (h, o) in enumerate(zip(hf_list, ours_list)) if h != o), min(len(hf_list), len(ours_list)))


@pytest.fixture(scope="module")
def merges_60(corpus, tmp_path_factory):
    """The first 60 merges learnt on the corpus by HF and by us, as byte pairs."""
    hf = hf_merges(train_hf(corpus, 256 + 60), tmp_path_factory.mktemp("hf60"))
    return hf, merges_as_bytes(BPETokenizer.train(corpus, 256 + 60))


def test_training_agrees_with_hf_until_their_tie_rules_differ(corpus, merges_60):
    hf, ours = merges_60
    steps = textbook_bpe(corpus, len(ours))
    assert ours == [pair for pair, _ in steps]
    differ = first_difference(hf, ours)
    assert differ >= 10, "HF and ours should agree on the first, untied merges of Shakespeare"
    if differ < len(ours):
        counts = steps[differ][1]
        assert counts[hf[differ]] == counts[ours[differ]], "HF and ours may only differ on a tie"
        assert hf[differ] < ours[differ], "on a tie ours takes the greater byte pair"


def test_trained_encodings_agree_with_hf_where_merges_agree(corpus, merges_60, tmp_path):
    agree = first_difference(*merges_60)
    hf = train_hf(corpus, 256 + agree)
    ours = BPETokenizer.train(corpus, 256 + agree)
    assert merges_as_bytes(ours) == hf_merges(hf, tmp_path)
    for text in [corpus[-2000:], VARIED_TEXT]:
        hf_tokens = [bytes(FROM_CHAR[c] for c in t) for t in hf.encode(text).tokens]
        assert [ours.vocab[i] for i in ours.encode(text)] == hf_tokens


def test_training_touches_only_chunks_holding_the_merged_pair(monkeypatch):
    """No recount: adding many chunks that never hold a merged pair adds no merge work."""
    calls = Counter()

    def counting_merge(ids, pair, new_id):
        calls["merge"] += 1
        return merge(ids, pair, new_id)

    monkeypatch.setattr(tokenizer_module, "merge", counting_merge)
    base = "low lower lowest newer wider slow flow " * 20
    # 676 distinct chunks "AB", "AC", ... separated by newlines: each of their pairs occurs once.
    upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    bystanders = "\n".join(a + b for a in upper for b in upper)

    small = BPETokenizer.train(base, 256 + 12)
    work_small = calls.pop("merge")
    large = BPETokenizer.train(base + "\n" + bystanders, 256 + 12)
    work_large = calls.pop("merge")

    assert merges_as_bytes(small) == merges_as_bytes(large)
    assert work_large == work_small, (
        f"training on 676 extra untouched chunks re-merged {work_large - work_small} more chunks: "
        "only chunks that hold the merged pair should be visited"
    )
    unique_base_chunks = len(set(regex.findall(GPT2_SPLIT_PATTERN, base)))
    assert work_small <= 12 * unique_base_chunks


def test_special_tokens_are_never_merged_across():
    tok = BPETokenizer.train("aXYb aXYb aXYb aXYb", 256 + 6 + 1, special_tokens=["XY"])
    merged = [tok.vocab[i] for i in tok.merges.values()]
    assert merged and not any(b"X" in t or b"Y" in t for t in merged), merged
    assert tok.special_tokens == {"XY": tok.vocab_size - 1}
    assert tok.encode("aXYb") == [ord("a"), tok.special_tokens["XY"], ord("b")]


def test_training_gives_the_requested_vocab_size(trained):
    assert trained.vocab_size == 400
    assert trained.special_tokens == {"<|endoftext|>": 398, "<|pad|>": 399}
    assert sorted(trained.vocab) == list(range(400))
    assert len(set(trained.vocab.values())) == 400, "no two tokens may stand for the same bytes"


def test_train_from_file_and_iterable_equal_train_on_text(tmp_path):
    text = "First line\n\n  indented  \n\n\nlast, no newline <|endoftext|> more"
    path = tmp_path / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    whole = BPETokenizer.train(text, 300, ["<|endoftext|>"])
    from_file = BPETokenizer.train_from_file(path, 300, ["<|endoftext|>"])
    from_lines = BPETokenizer.train(text.splitlines(keepends=True), 300, ["<|endoftext|>"])
    assert from_file.merges == whole.merges == from_lines.merges
    assert from_file.special_tokens == whole.special_tokens


# ---- encoding ---------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text())
def test_round_trip_any_text(trained, text):
    assert trained.decode(trained.encode(text)) == text


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(["<|endoftext|>", "<|pad|>", "<|", "|>"]))))
def test_round_trip_with_special_tokens(trained, parts):
    text = "".join(parts)
    for allowed in ["all", "none", ["<|pad|>"]]:
        assert trained.decode(trained.encode(text, allowed_special=allowed)) == text


def test_special_tokens_in_encode(trained):
    eot, pad = trained.special_tokens["<|endoftext|>"], trained.special_tokens["<|pad|>"]
    ids = trained.encode("a<|endoftext|><|pad|>")
    assert ids == [ord("a"), eot, pad]
    assert eot not in trained.encode("a<|endoftext|>", allowed_special="none")
    assert trained.encode("<|pad|><|endoftext|>", allowed_special=["<|pad|>"])[0] == pad
    assert eot not in trained.encode("<|pad|><|endoftext|>", allowed_special=["<|pad|>"])


def test_overlapping_special_tokens_longest_wins(tmp_path):
    specials = ["<|a|>", "<|a|><|b|>"]
    tok = BPETokenizer.train("some text to learn from", 256 + 2, specials)
    a, ab = tok.special_tokens["<|a|>"], tok.special_tokens["<|a|><|b|>"]
    text = "x<|a|><|b|>y<|a|>z<|a|><|a|><|b|>"
    ids = tok.encode(text)
    assert ids == [ord("x"), ab, ord("y"), a, ord("z"), a, ab]
    only_a = tok.encode(text, allowed_special=["<|a|>"])
    assert ab not in only_a and only_a.count(a) == 4
    # HF matches added tokens leftmost-longest too: same ids once its files are loaded.
    hf = train_hf("some text to learn from", 256 + 2 + 4, specials)
    hf.model.save(str(tmp_path))
    assert BPETokenizer.load(tmp_path).encode(text) == hf.encode(text).ids


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.text(alphabet=st.sampled_from("ab \n\t'é1<|>") | st.characters(codec="utf-8"), max_size=15), max_size=12))
def test_streaming_equals_whole_text(trained, parts):
    text = "".join(parts)
    lines = text.splitlines(keepends=True)
    assert list(trained.encode_iterable(lines)) == trained.encode(text)
    assert list(trained.encode_iterable(io.StringIO(text, newline=""))) == trained.encode(text)


def test_streaming_from_a_file_is_lazy(trained, corpus, tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text(corpus + "<|endoftext|>\n", encoding="utf-8")
    with open(path, encoding="utf-8") as f:
        assert list(trained.encode_iterable(f)) == trained.encode(corpus + "<|endoftext|>\n")
    endless = itertools.cycle(["To be, or not to be\n", "\n", "  that is the question\n"])
    first = list(itertools.islice(trained.encode_iterable(endless), 1000))
    assert len(first) == 1000, "encode_iterable must yield ids without reading all its input"


# ---- GPT-2 files ------------------------------------------------------------------------------------


def test_save_load_round_trip(trained, tmp_path):
    trained.save(tmp_path)
    lines = (tmp_path / "merges.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#version: 0.2" and len(lines) == 1 + len(trained.merges)
    vocab_json = json.loads((tmp_path / "vocab.json").read_text(encoding="utf-8"))
    assert vocab_json["Ġ"] == ord(" ") and vocab_json["<|endoftext|>"] == 398
    loaded = BPETokenizer.load(tmp_path)
    assert loaded.merges == trained.merges and list(loaded.merges) == list(trained.merges)
    assert loaded.vocab == trained.vocab
    assert loaded.special_tokens == trained.special_tokens
    assert loaded.encode(VARIED_TEXT) == trained.encode(VARIED_TEXT)


def test_loaded_merges_apply_in_file_order_not_id_order(tmp_path):
    vocab = {c: b for b, c in bytes_to_unicode().items()}
    vocab.update({"bc": 256, "ab": 257})  # ids need not follow the merge order
    write_files(tmp_path, json.dumps(vocab), "#version: 0.2\na b\nb c\n")
    tok = BPETokenizer.load(tmp_path)
    assert tok.encode("abc") == [257, ord("c")], "merge 'a b' comes first in merges.txt, so it applies first"
    assert tok.encode("bc") == [256]


@pytest.fixture(scope="module")
def hf_pair(corpus, tmp_path_factory):
    """HF's tokenizer and ours loaded from its vocab.json + merges.txt, as GPT-2's files would load."""
    hf = train_hf(corpus, 500, ["<|endoftext|>"])
    directory = tmp_path_factory.mktemp("hf")
    hf.model.save(str(directory))
    return hf, BPETokenizer.load(directory)


def test_loading_hf_files_reproduces_hf_ids(hf_pair, corpus):
    hf, ours = hf_pair
    assert ours.special_tokens == {"<|endoftext|>": 0}, "HF puts special tokens first"
    assert ours.vocab_size == hf.get_vocab_size()
    for text in [VARIED_TEXT, corpus[:5000], "", " ", "\n\n\n", "<|endoftext|>"]:
        ids = ours.encode(text)
        assert ids == hf.encode(text).ids
        assert ours.decode(ids) == hf.decode(ids, skip_special_tokens=False) == text


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text())
def test_loading_hf_files_reproduces_hf_ids_on_any_text(hf_pair, text):
    hf, ours = hf_pair
    assert ours.encode(text) == hf.encode(text).ids


# ---- bad input --------------------------------------------------------------------------------------


def test_training_errors(tmp_path):
    with pytest.raises(ValueError, match="text: the training corpus is empty"):
        BPETokenizer.train("", 300)
    with pytest.raises(ValueError, match="text: the training corpus is empty"):
        BPETokenizer.train("<|e|><|e|>", 300, ["<|e|>"])
    with pytest.raises(ValueError, match="text: the training corpus is empty"):
        BPETokenizer.train([], 300)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(ValueError, match="text: the training corpus is empty"):
        BPETokenizer.train_from_file(empty, 300)
    with pytest.raises(ValueError, match="vocab_size"):
        BPETokenizer.train("abc", 257, ["<|a|>", "<|b|>"])
    with pytest.raises(TypeError, match="vocab_size"):
        BPETokenizer.train("abc", 300.0)
    with pytest.raises(TypeError, match="special_tokens"):
        BPETokenizer.train("abc", 300, "<|endoftext|>")
    with pytest.raises(ValueError, match="special_tokens"):
        BPETokenizer.train("abc", 300, ["<|a|>", "<|a|>"])
    with pytest.raises(ValueError, match="special_tokens"):
        BPETokenizer.train("abc", 300, [""])
    with pytest.raises(TypeError, match="text"):
        BPETokenizer.train(["abc", 5], 300)


def test_encode_decode_errors(trained):
    with pytest.raises(ValueError, match="ids: unknown token id 400"):
        trained.decode([1, 2, 400])
    with pytest.raises(ValueError, match="ids: unknown token id -1"):
        trained.decode([-1])
    with pytest.raises(TypeError, match="text"):
        trained.encode(b"bytes")
    with pytest.raises(ValueError, match="surrogates not allowed"):  # a lone surrogate has no UTF-8 bytes
        trained.encode("a\ud800")
    with pytest.raises(ValueError, match="allowed_special: '<|nope|>'"):
        trained.encode("x", allowed_special=["<|nope|>"])
    with pytest.raises(ValueError, match="allowed_special: '<|nope|>'"):
        trained.encode_iterable(["x\n"], allowed_special=["<|nope|>"])
    with pytest.raises(TypeError, match="lines"):
        trained.encode_iterable("one string\n")
    with pytest.raises(TypeError, match="text"):
        list(trained.encode_iterable(["a\n", 3]))


def write_files(directory, vocab_text: str, merges_text: str):
    os.makedirs(directory, exist_ok=True)
    (Path(directory) / "vocab.json").write_text(vocab_text, encoding="utf-8")
    (Path(directory) / "merges.txt").write_text(merges_text, encoding="utf-8")


@pytest.mark.parametrize(
    "vocab_change, merges_text, message",
    [
        (None, "#version: 0.2\nĠ t\nt h e\n", r"merges.txt, line 3: expected two tokens"),
        (None, "#version: 0.2\nĠ t\nq zz\n", r"merges.txt, line 3: token 'zz' is not in vocab.json"),
        (None, "#version: 0.2\nĠ t\n\n", r"merges.txt, line 3: expected two tokens"),
        (lambda v: v.pop("Ġt"), "#version: 0.2\nĠ t\n", r"merges.txt, line 2: token 'Ġt' is not in vocab.json"),
        (lambda v: v.update(xyz=v.pop("a")), "#version: 0.2\n", r"vocab.json: the single-byte token 'a' is missing"),
        (lambda v: v.update(a="7"), "#version: 0.2\n", r"vocab.json: token 'a' has id '7'"),
        (lambda v: v.update(a=0), "#version: 0.2\n", r"vocab.json: ids must be 0 \.\. 256"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path, vocab_change, merges_text, message):
    vocab = {c: b for b, c in bytes_to_unicode().items()}
    vocab["Ġt"] = 256
    if vocab_change:
        vocab_change(vocab)
    write_files(tmp_path, json.dumps(vocab), merges_text)
    with pytest.raises(ValueError, match=message):
        BPETokenizer.load(tmp_path)


def test_invalid_json_names_file_and_line(tmp_path):
    write_files(tmp_path, '{"a": 0,\n "b": }', "#version: 0.2\n")
    with pytest.raises(ValueError, match=r"vocab.json, line 2: not valid JSON"):
        BPETokenizer.load(tmp_path)
    write_files(tmp_path, "[1, 2]", "#version: 0.2\n")
    with pytest.raises(ValueError, match=r"vocab.json: expected a JSON object"):
        BPETokenizer.load(tmp_path)
