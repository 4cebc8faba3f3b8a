"""Metrics against references: PyTorch's cross-entropy, transformers' GPT-2 with random weights, the
lm-evaluation-harness definition of acc/acc_norm worked by hand, brute-force n-gram search."""

import math

import pytest
import torch
import torch.nn.functional as F
from transformers import GPT2Config, GPT2LMHeadModel

from minillm.generate import generate
from minillm.metrics import (
    NGramIndex,
    answer_scores,
    bits_per_byte,
    choice_logprobs,
    choose,
    distinct_n,
    exact_match,
    extract_answer,
    multiple_choice_accuracy,
    ngrams,
    normalize_number,
    perplexity,
    sequence_nlls,
    words,
)
from minillm.model import GPT, ModelConfig


def tiny_model(seed=0, block_size=16, vocab_size=29):
    torch.manual_seed(seed)
    config = ModelConfig.llama(vocab_size=vocab_size, block_size=block_size, n_layer=2, n_head=2, n_embd=32)
    model = GPT(config).eval()
    with torch.no_grad():  # larger weights than the init, so that the log-probabilities differ a lot
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(8)
    return model


# ---- perplexity and bits per byte ----------------------------------------------------------------------


def test_perplexity_is_exp_of_pytorch_cross_entropy():
    torch.manual_seed(0)
    logits, targets = torch.randn(50, 11, dtype=torch.float64) * 3, torch.randint(0, 11, (50,))
    nlls = F.cross_entropy(logits, targets, reduction="none")
    assert perplexity(nlls) == pytest.approx(math.exp(F.cross_entropy(logits, targets).item()), rel=1e-12)
    assert isinstance(perplexity(nlls), float)


def test_uniform_model_has_perplexity_vocab_size_and_bits_per_byte_by_hand():
    nlls = torch.full((8,), math.log(65.0))  # a uniform guess over 65 characters, one byte each
    assert perplexity(nlls) == pytest.approx(65.0, rel=1e-6)
    assert bits_per_byte(nlls, 8) == pytest.approx(math.log2(65.0), rel=1e-6)
    # 3 tokens of 2 nats spelling 4 bytes: 6 nats = 6 / ln 2 bits, over 4 bytes
    assert bits_per_byte([2.0, 2.0, 2.0], 4) == pytest.approx(6 / math.log(2) / 4)


def test_perplexity_bad_input():
    for bad in ([], torch.zeros(0), torch.zeros(2, 2)):
        with pytest.raises(ValueError, match="nlls"):
            perplexity(bad)
    with pytest.raises(TypeError, match="nlls"):
        perplexity(torch.tensor([1, 2]))
    for bad in (0, -3, 2.5):
        with pytest.raises(ValueError, match="n_bytes"):
            bits_per_byte([1.0], bad)


def test_sequence_nlls_equal_cross_entropy_and_windows_cover_every_token_once():
    model = tiny_model(block_size=8)
    torch.manual_seed(1)
    short = torch.randint(0, 29, (8,))
    expected = F.cross_entropy(model(short[None, :-1])[0][0], short[1:], reduction="none")
    torch.testing.assert_close(sequence_nlls(model, short), expected.detach())
    ids = torch.randint(0, 29, (30,))  # windows 0..8, 8..16, 16..24, 24..29
    windows = [ids[s : s + 9] for s in (0, 8, 16, 24)]
    by_hand = torch.cat([F.cross_entropy(model(w[None, :-1])[0][0], w[1:], reduction="none") for w in windows])
    nlls = sequence_nlls(model, ids, batch_size=3)
    assert nlls.shape == (29,)
    torch.testing.assert_close(nlls, by_hand.detach(), atol=1e-5, rtol=1e-5)
    with pytest.raises(ValueError, match="at least 2"):
        sequence_nlls(model, [3])


# ---- multiple choice -----------------------------------------------------------------------------------


def test_choice_logprobs_equal_transformers_gpt2():
    torch.manual_seed(0)
    hf = GPT2LMHeadModel(GPT2Config(vocab_size=41, n_positions=20, n_embd=32, n_layer=2, n_head=4)).eval()
    model = GPT.from_hf_gpt2(hf).eval()
    context, continuations = [5, 9, 2], [[7], [1, 30, 4], [40, 40, 0, 12]]
    with torch.no_grad():
        expected = []
        for c in continuations:
            ids = torch.tensor([context + c])
            log_probs = hf(ids).logits.double().log_softmax(-1)[0]
            expected.append(sum(log_probs[len(context) - 1 + j, t] for j, t in enumerate(c)))
    torch.testing.assert_close(choice_logprobs(model, context, continuations), torch.stack(expected), atol=1e-5, rtol=0)


def test_choice_logprobs_limits():
    model = tiny_model(block_size=8)
    assert choice_logprobs(model, [1] * 4, [[2] * 5]).shape == (1,)  # 4 + 5 - 1 = 8 positions fit
    with pytest.raises(ValueError, match="block_size=8"):
        choice_logprobs(model, [1] * 4, [[2] * 6])
    with pytest.raises(ValueError, match="context_ids"):
        choice_logprobs(model, [], [[2]])
    with pytest.raises(ValueError, match="continuations"):
        choice_logprobs(model, [1], [[2], []])


def test_acc_and_acc_norm_agree_with_lm_evaluation_harness_by_hand():
    # lm-evaluation-harness (multiple_choice tasks): acc = [argmax(lls) == gold],
    # acc_norm = [argmax(lls / len(choice)) == gold], the length of each choice string (ASCII here: bytes).
    choices = ["a cat", "the big dog barks"]  # 5 and 17 bytes
    lls = [-6.0, -10.2]  # per byte: -1.2 and -0.6
    assert choose(lls, choices) == (0, 1)  # the sum prefers the short choice, the normalised one the long
    items = [
        dict(logprobs=lls, choices=choices, gold=1),  # acc 0, acc_norm 1
        dict(logprobs=[-1.0, -3.0, -2.0], choices=["x", "yy", "zzz"], gold=0),  # per byte -1, -1.5, -0.67: 1, 0
        dict(logprobs=[-2.0, -2.0], choices=["ab", "cd"], gold=0),  # a tie goes to the first: 1, 1
    ]
    assert multiple_choice_accuracy(items) == {"acc": pytest.approx(2 / 3), "acc_norm": pytest.approx(2 / 3)}


def test_acc_norm_counts_bytes_not_characters():
    # "été" is 3 characters but 5 bytes: per byte -1.0 against -1.1 for "abcd"
    assert choose([-5.0, -4.4], ["été", "abcd"]) == (1, 0)


def test_choose_bad_input():
    with pytest.raises(ValueError, match="one log-probability per choice"):
        choose([-1.0], ["a", "b"])
    with pytest.raises(ValueError, match="choice 1 is empty"):
        choose([-1.0, -2.0], ["a", ""])
    with pytest.raises(ValueError, match="items"):
        multiple_choice_accuracy([])


# ---- answers scored by teacher forcing -------------------------------------------------------------------


def test_answer_scores_agree_with_greedy_decoding_and_cross_entropy():
    model = tiny_model(3)
    g = torch.Generator().manual_seed(3)
    rows, masks = [], []
    for prompt_len, answer_len in [(5, 3), (2, 1), (7, 4)]:  # right-padded to 11 tokens
        prompt = torch.randint(0, 29, (1, prompt_len), generator=g)
        ids = generate(model, prompt, answer_len, temperature=0)[0]  # the greedy answer
        rows.append(torch.cat([ids, torch.randint(0, 29, (11 - len(ids),), generator=g)]))
        masks.append(torch.tensor([0.0] * prompt_len + [1.0] * answer_len + [0.0] * (11 - len(ids))))
    ids, mask = torch.stack(rows), torch.stack(masks)
    inputs, targets, mask = ids[:, :-1], ids[:, 1:], mask[:, 1:]  # mask[t]: is targets[t] the answer's
    with torch.no_grad():
        logits = model(inputs)[0]
    correct, loss = answer_scores(logits, targets, mask)
    assert correct.dtype == torch.bool and correct.tolist() == [True, True, True], "greedy answers are exact matches"
    nll = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
    torch.testing.assert_close(loss, (nll * mask).sum(1) / mask.sum(1))
    wrong = targets.clone()
    wrong[0, 6] = (wrong[0, 6] + 1) % 29  # the last answer token of row 0
    wrong[1, 9] = (wrong[1, 9] + 1) % 29  # padding of row 1: not the answer
    assert answer_scores(logits, wrong, mask)[0].tolist() == [False, True, True]


def test_answer_scores_refuse_a_row_without_an_answer():
    with pytest.raises(ValueError, match="no answer token"):
        answer_scores(torch.zeros(2, 3, 5), torch.zeros(2, 3, dtype=torch.long), torch.tensor([[0.0, 1, 0], [0, 0, 0]]))


# ---- exact match ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("So 3 + 4 = 7. The answer is 7.", "7"),
        ("The answer is: -12, not 5", "-12"),
        ("the answer is 1,024 and 17 others", "1,024"),
        ("I think it's 8, or maybe 9", "9"),
        ("Natalia sold 48/2 = 24 clips.\n#### 72", "72"),
        ("The answer is $18.50.", "18.50"),
        ("41, then 42: the answer is unclear", "42"),
        ("no digits here", None),
        ("", None),
    ],
)
def test_extract_answer(text, expected):
    assert extract_answer(text) == expected


@pytest.mark.parametrize(
    "number, expected",
    [("1,024", "1024"), ("+5", "5"), ("\u22123", "-3"), ("-0", "0"), ("-0.00", "0"), ("3.50", "3.5"),
     ("3.0", "3"), ("007", "7"), ("0.25", "0.25"), ("-1,000,000.10", "-1000000.1"), (" 42 ", "42")],
)
def test_normalize_number(number, expected):
    assert normalize_number(number) == expected


def test_exact_match():
    assert exact_match("The answer is 1,000.", "1000")
    assert exact_match("it comes to +33.0", "33")
    assert not exact_match("The answer is 33, I guess 34", "34")  # the stated answer counts, not the last number
    assert not exact_match("no idea", "3")
    assert not exact_match("-33", "33")
    with pytest.raises(ValueError, match="not a number"):
        normalize_number("twelve")


# ---- diversity and contamination -----------------------------------------------------------------------


def test_distinct_n_by_hand():
    samples = [["a", "b", "a", "b"], ["a", "b", "c"]]
    assert distinct_n(samples, 1) == pytest.approx(3 / 7)
    assert distinct_n(samples, 2) == pytest.approx(3 / 5)  # ab ba ab | ab bc: ab, ba, bc; never "b a" across
    assert distinct_n(["abcabc"], 3) == pytest.approx(3 / 4)  # strings count characters
    assert distinct_n([[1, 2]], 3) == 0.0
    assert distinct_n([], 2) == 0.0
    with pytest.raises(ValueError, match="n must"):
        distinct_n(samples, 0)


def test_ngrams_and_words():
    assert ngrams([1, 2, 3], 2) == [(1, 2), (2, 3)]
    assert ngrams([1, 2, 3], 3) == [(1, 2, 3)]
    assert ngrams([1, 2], 3) == []
    assert words("O Romeo, Romeo! wherefore art thou Romeo?\nI'll") == [
        "o", "romeo", "romeo", "wherefore", "art", "thou", "romeo", "i'll"]


def test_ngram_index_overlap_equals_brute_force_search():
    text = open_corpus()[:20000]
    train = words(text)
    index = NGramIndex(train, n=5)
    joined = " " + " ".join(train) + " "
    item = words(text[5000:5200]) + ["zebra", "quantum"] + words(text[100:180])
    grams = ngrams(item, 5)
    brute = sum((" " + " ".join(g) + " ") in joined for g in grams) / len(grams)
    assert index.overlap(item) == pytest.approx(brute)
    assert 0 < index.overlap(item) < 1
    assert index.overlap(train[600:700]) == 1.0
    assert index.overlap(["a", "b"]) == 0.0  # shorter than n
    assert tuple(train[:5]) in index and len(index) == len(set(ngrams(train, 5)))


def test_overlap_counts_repeated_ngrams_each_time():
    index = NGramIndex(list("abcd"), n=2)  # ab bc cd
    assert index.overlap(list("ababx")) == pytest.approx(2 / 4)  # ab ba ab bx: ab, found twice


def open_corpus():
    from minillm.data import find_data_file

    return find_data_file("tinyshakespeare.txt").read_text(encoding="utf-8")
