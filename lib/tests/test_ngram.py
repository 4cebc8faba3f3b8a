"""ngram.py against hand-derived counts and probabilities, F.cross_entropy and brute-force counting."""

import math
from collections import Counter

import pytest
import torch
import torch.nn.functional as F

from minillm.ngram import (
    NGramModel,
    bigram_counts,
    bigram_nll,
    counts_to_probs,
    neural_bigram_loss,
    sample_bigram,
    train_neural_bigram,
)

IDS = [0, 1, 1, 2, 0, 1]  # pairs: 01 11 12 20 01


def test_bigram_counts_by_hand():
    expected = torch.tensor([[0, 2, 0], [0, 1, 1], [1, 0, 0]])
    assert torch.equal(bigram_counts(torch.tensor(IDS), 3), expected)
    assert bigram_counts(IDS, 4).shape == (4, 4), "the table covers the whole vocabulary"
    assert bigram_counts([2], 3).sum() == 0, "one token makes no pair"


def test_counts_to_probs_by_hand():
    counts = torch.tensor([[0, 2, 0], [0, 1, 1], [0, 0, 0]])
    expected = torch.tensor([[0, 1, 0], [0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    torch.testing.assert_close(counts_to_probs(counts), expected)
    # k = 1: (c + 1) / (total + 3)
    expected_k1 = torch.tensor([[1 / 5, 3 / 5, 1 / 5], [1 / 5, 2 / 5, 2 / 5], [1 / 3, 1 / 3, 1 / 3]])
    torch.testing.assert_close(counts_to_probs(counts, k=1.0), expected_k1)
    assert counts_to_probs(counts).dtype == torch.float32


def test_counts_to_probs_rows_sum_to_one_on_any_leading_shape():
    counts = torch.randint(0, 5, (2, 4, 7), generator=torch.Generator().manual_seed(0))
    counts[0, 1] = 0
    for k in (0.0, 0.5):
        torch.testing.assert_close(counts_to_probs(counts, k).sum(-1), torch.ones(2, 4))


def test_bigram_nll_equals_cross_entropy_and_hand_value():
    gen = torch.Generator().manual_seed(0)
    probs = torch.softmax(torch.randn(5, 5, generator=gen), dim=-1)
    ids = torch.randint(0, 5, (40,), generator=gen)
    expected = F.cross_entropy(probs.log()[ids[:-1]], ids[1:]).item()
    assert bigram_nll(probs, ids) == pytest.approx(expected, rel=1e-6)
    uniform = torch.full((4, 4), 0.25)
    assert bigram_nll(uniform, [0, 3, 2]) == pytest.approx(math.log(4))
    certain = counts_to_probs(bigram_counts(IDS, 3))
    # pairs 01 11 12 20 01 have probabilities 1, 1/2, 1/2, 1, 1
    assert bigram_nll(certain, IDS) == pytest.approx(2 * math.log(2) / 5)
    assert bigram_nll(certain, [0, 0]) == math.inf, "an unseen pair without smoothing costs infinitely many nats"


def test_sample_bigram_follows_a_deterministic_chain():
    cycle = torch.tensor([[0.0, 1, 0], [0, 0, 1], [1, 0, 0]])  # 0 -> 1 -> 2 -> 0
    assert sample_bigram(cycle, 2, 5, torch.Generator().manual_seed(0)) == [0, 1, 2, 0, 1]
    assert sample_bigram(cycle, 0, 0, torch.Generator()) == []


def test_sample_bigram_is_repeatable_and_has_the_right_frequencies():
    probs = torch.tensor([[0.9, 0.1], [0.5, 0.5]])
    first = sample_bigram(probs, 0, 5_000, torch.Generator().manual_seed(1))
    assert first == sample_bigram(probs, 0, 5_000, torch.Generator().manual_seed(1))
    # stationary distribution of this chain: pi_1 = 0.1 / (0.1 + 0.5) = 1/6
    assert sum(first) / len(first) == pytest.approx(1 / 6, abs=0.03)
    transitions = bigram_counts([0] + first, 2)
    torch.testing.assert_close(counts_to_probs(transitions), probs, atol=0.05, rtol=0)


def test_neural_bigram_loss_equals_one_hot_network_and_penalty():
    gen = torch.Generator().manual_seed(0)
    W = torch.randn(5, 5, generator=gen, dtype=torch.float64, requires_grad=True)
    ids = torch.randint(0, 5, (40,), generator=gen)
    logits = F.one_hot(ids[:-1], 5).double() @ W  # the network written out: a one-hot input times W
    expected = -logits.log_softmax(-1)[torch.arange(39), ids[1:]].mean() + 0.3 * (W**2).sum() / 25
    loss = neural_bigram_loss(W, ids, 0.3)
    torch.testing.assert_close(loss, expected)
    assert loss.dtype == torch.float64 and loss.dim() == 0
    (grad,) = torch.autograd.grad(loss, W)
    (expected_grad,) = torch.autograd.grad(expected, W)
    torch.testing.assert_close(grad, expected_grad)
    assert math.isclose(neural_bigram_loss(torch.zeros(3, 3), IDS).item(), math.log(3), rel_tol=1e-6)
    huge = torch.tensor([[1000.0, -1000.0], [0.0, 0.0]])
    assert math.isclose(neural_bigram_loss(huge, [0, 1]).item(), 2000.0, rel_tol=1e-6), "finite for huge logits"


def test_train_neural_bigram_is_gradient_descent_from_zero():
    ids = torch.randint(0, 4, (60,), generator=torch.Generator().manual_seed(1))
    W = torch.zeros(4, 4, requires_grad=True)
    optimizer = torch.optim.SGD([W], lr=2.0)
    for _ in range(7):
        optimizer.zero_grad()
        (F.cross_entropy(W[ids[:-1]], ids[1:]) + 0.1 * W.pow(2).mean()).backward()
        optimizer.step()
    learnt = train_neural_bigram(ids, 4, steps=7, lr=2.0, regularization=0.1)
    torch.testing.assert_close(learnt, W.detach())
    assert learnt.dtype == torch.float32 and not learnt.requires_grad
    torch.testing.assert_close(train_neural_bigram(ids, 4, steps=0, lr=1.0), torch.zeros(4, 4))


def test_trained_network_recovers_the_counted_probabilities():
    # A chain in which every pair occurs: the maximum-likelihood rows are all positive, so gradient descent
    # approaches them; the penalty pulls the rows towards uniform, as add-k does.
    ids = torch.tensor([0, 1, 2, 0, 0, 1, 1, 2, 2, 1, 0, 2, 1, 0, 1, 2, 0, 2, 2, 0] * 5)
    counted = counts_to_probs(bigram_counts(ids, 3))
    learnt = train_neural_bigram(ids, 3, steps=1000, lr=10.0).softmax(-1)
    torch.testing.assert_close(learnt, counted, atol=1e-4, rtol=0)
    assert math.isclose(bigram_nll(learnt, ids), bigram_nll(counted, ids), abs_tol=1e-6)
    smoothed = train_neural_bigram(ids, 3, steps=1000, lr=10.0, regularization=0.2).softmax(-1)
    assert (smoothed - 1 / 3).abs().max() < (counted - 1 / 3).abs().max(), "the penalty pulls towards uniform"


def test_neural_bigram_bad_input():
    with pytest.raises(ValueError, match="at least 2"):
        neural_bigram_loss(torch.zeros(3, 3), [1])
    with pytest.raises(ValueError, match="regularization"):
        neural_bigram_loss(torch.zeros(3, 3), [0, 1], regularization=-1.0)
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        neural_bigram_loss(torch.zeros(3, 3), [0, 3])


def brute_force_counts(ids, order):
    counts = Counter()
    for t in range(order - 1, len(ids)):
        counts[tuple(ids[t - order + 1 : t + 1])] += 1
    return counts


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_ngram_counts_equal_brute_force(order):
    ids = torch.randint(0, 4, (300,), generator=torch.Generator().manual_seed(order)).tolist()
    model = NGramModel(order, 4).fit(ids)
    expected = brute_force_counts(ids, order)
    contexts = {key[:-1] for key in expected} | {(0,) * (order - 1)}
    for context in contexts:
        row = [expected[context + (next_id,)] for next_id in range(4)]
        assert model.counts(list(context)).tolist() == row, f"counts after context {context}"


def test_order_two_equals_the_bigram_functions():
    gen = torch.Generator().manual_seed(3)
    train, val = torch.randint(0, 6, (500,), generator=gen), torch.randint(0, 6, (100,), generator=gen)
    model = NGramModel(2, 6, k=0.5).fit(train)
    probs = counts_to_probs(bigram_counts(train, 6), k=0.5)
    assert model.nll(val) == pytest.approx(bigram_nll(probs, val), rel=1e-6)
    for token in range(6):
        torch.testing.assert_close(model.probs([token]), probs[token])
    ours = model.sample([4], 50, torch.Generator().manual_seed(9))
    assert ours == sample_bigram(probs, 4, 50, torch.Generator().manual_seed(9))


def test_order_one_is_unigram_frequencies_and_uses_every_position():
    model = NGramModel(1, 3).fit(IDS)  # frequencies 2/6, 3/6, 1/6
    torch.testing.assert_close(model.probs([]), torch.tensor([2 / 6, 3 / 6, 1 / 6]))
    expected = -(2 * math.log(2 / 6) + 3 * math.log(3 / 6) + math.log(1 / 6)) / 6
    assert model.nll(IDS) == pytest.approx(expected)


def test_trigram_by_hand_smoothing_and_unseen_contexts():
    model = NGramModel(3, 3).fit(IDS)  # windows 011 112 120 201
    assert model.num_contexts == 4
    assert model.counts([0, 1]).tolist() == [0, 1, 0]
    assert model.counts([2, 2, 0, 1]).tolist() == [0, 1, 0], "only the last order - 1 tokens are the context"
    torch.testing.assert_close(model.probs([2, 2]), torch.full((3,), 1 / 3), msg="unseen context -> uniform")
    assert model.nll([0, 1, 1, 2]) == pytest.approx(0.0), "seen windows with one continuation each"
    assert model.nll([0, 1, 0]) == math.inf
    model.k = 1.0
    torch.testing.assert_close(model.probs([0, 1]), torch.tensor([1 / 4, 2 / 4, 1 / 4]))
    assert model.nll([0, 1, 0]) == pytest.approx(math.log(4))


def test_ngram_sampling_is_repeatable_and_continues_the_prompt():
    text = [0, 1, 2, 3] * 20
    model = NGramModel(3, 4).fit(text)
    assert model.sample([2, 3], 6, torch.Generator().manual_seed(0)) == [0, 1, 2, 3, 0, 1]
    smoothed = NGramModel(3, 4, k=1.0).fit(text)
    a = smoothed.sample([0, 1], 30, torch.Generator().manual_seed(5))
    assert a == smoothed.sample([0, 1], 30, torch.Generator().manual_seed(5))


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="order"):
        NGramModel(0, 5)
    with pytest.raises(ValueError, match="order"):
        NGramModel(20, 65)
    with pytest.raises(ValueError, match="k"):
        counts_to_probs(torch.ones(2, 2), k=-1.0)
    with pytest.raises(ValueError, match="ids must lie"):
        bigram_counts([0, 5], 3)
    with pytest.raises(TypeError, match="ids"):
        bigram_counts(torch.tensor([0.0, 1.0]), 3)
    with pytest.raises(ValueError, match="1-D"):
        bigram_counts(torch.zeros(2, 2, dtype=torch.long), 3)
    with pytest.raises(ValueError, match="at least 2"):
        bigram_nll(torch.full((2, 2), 0.5), [1])
    with pytest.raises(RuntimeError, match="fit"):
        NGramModel(2, 3).nll([0, 1, 2])
    model = NGramModel(3, 3).fit(IDS)
    with pytest.raises(ValueError, match="prompt"):
        model.sample([1], 5, torch.Generator())
    with pytest.raises(ValueError, match="context"):
        model.counts([1])
    with pytest.raises(ValueError, match="at least order"):
        NGramModel(4, 3).fit([0, 1])
