"""Speculative decoding: the acceptance rule by hand, the output distribution equal to the target's by exact
enumeration, greedy equal to the target's greedy tokens and to transformers' assisted generation."""

import itertools
import math

import pytest
import torch
from transformers import GPT2Config, GPT2LMHeadModel

from minillm.generate import generate
from minillm.model import GPT, ModelConfig
from minillm.speculative import (
    acceptance,
    probabilities,
    sequence_distribution,
    speculative_generate,
    step_outcomes,
    verify,
)


def random_gpt(vocab_size, n_layer=2, n_embd=16, seed=0, block_size=64, scale=3.0):
    torch.manual_seed(seed)
    config = ModelConfig.gpt2(vocab_size=vocab_size, block_size=block_size, n_layer=n_layer, n_head=2, n_embd=n_embd)
    model = GPT(config).double().eval()
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(scale)
    return model


def next_probs(model, temperature=1.0):
    @torch.no_grad()
    def probs(ids):
        return probabilities(model(torch.tensor([list(ids)]))[0][0, -1], temperature)
    return probs


def target_distribution(probs, prompt, n_tokens, vocab_size):
    joint = {}
    for seq in itertools.product(range(vocab_size), repeat=n_tokens):
        joint[seq] = math.prod(probs(tuple(prompt) + seq[:i])[t].item() for i, t in enumerate(seq))
    return joint


def test_acceptance_by_hand():
    p = torch.tensor([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], dtype=torch.float64)
    q = torch.tensor([[0.9, 0.1, 0.0], [0.2, 0.6, 0.2]], dtype=torch.float64)
    accept, residual = acceptance(p, q, torch.tensor([0, 2]))
    torch.testing.assert_close(accept, torch.tensor([0.5 / 0.9, 1.0], dtype=torch.float64))
    torch.testing.assert_close(residual, torch.tensor([[0, 1, 0], [0, 0, 1]], dtype=torch.float64))
    same, residual = acceptance(p[:2], p[:1], torch.tensor([1]))
    torch.testing.assert_close(same, torch.ones(1, dtype=torch.float64))
    torch.testing.assert_close(residual, p[:1])  # never used, but a distribution all the same


def test_step_outcomes_by_hand():
    p = torch.tensor([[0.5, 0.5], [0.25, 0.75]], dtype=torch.float64)
    q = torch.tensor([[0.9, 0.1]], dtype=torch.float64)
    outcomes = step_outcomes(p, q, torch.tensor([0]))
    assert outcomes.keys() == {(1,), (0, 0), (0, 1)}
    assert math.isclose(outcomes[(1,)], 4 / 9) and math.isclose(outcomes[(0, 0)], 5 / 9 * 0.25)
    assert math.isclose(outcomes[(0, 1)], 5 / 9 * 0.75)


@pytest.mark.parametrize("k, n_tokens", [(1, 3), (2, 3), (3, 2)])
def test_output_distribution_equals_the_targets_exactly(k, n_tokens):
    target, draft = random_gpt(3, seed=0), random_gpt(3, n_layer=1, seed=1)
    prompt = (2, 0)
    ours = sequence_distribution(next_probs(target), next_probs(draft), prompt, n_tokens, k)
    exact = target_distribution(next_probs(target), prompt, n_tokens, 3)
    assert ours.keys() <= exact.keys()
    for seq, prob in exact.items():
        assert math.isclose(ours.get(seq, 0.0), prob, rel_tol=1e-10, abs_tol=1e-14), seq


def wrong_ratio(p, q, draft):  # min(1, q/p): a plausible slip
    accept, residual = acceptance(p, q, draft)
    rows = torch.arange(draft.numel())
    return torch.clamp(q[rows, draft] / p[rows, draft], max=1.0), residual


def resample_from_p(p, q, draft):
    accept, _ = acceptance(p, q, draft)
    return accept, p[:-1]


@pytest.mark.parametrize("rule", [wrong_ratio, resample_from_p])
def test_wrong_rules_change_the_distribution(rule):
    target, draft = random_gpt(3, seed=0), random_gpt(3, n_layer=1, seed=1)
    ours = sequence_distribution(next_probs(target), next_probs(draft), (2, 0), 2, 2, rule=rule)
    exact = target_distribution(next_probs(target), (2, 0), 2, 3)
    assert max(abs(ours.get(s, 0.0) - prob) for s, prob in exact.items()) > 1e-3


def test_verify_samples_the_outcomes_of_step_outcomes():
    g = torch.Generator().manual_seed(0)
    p = torch.softmax(torch.randn(3, 4, generator=g, dtype=torch.float64), -1)
    q = torch.softmax(torch.randn(2, 4, generator=g, dtype=torch.float64), -1)
    draft = torch.tensor([1, 3])
    outcomes = step_outcomes(p, q, draft)
    assert math.isclose(sum(outcomes.values()), 1.0)
    n = 8000
    counts = {}
    for _ in range(n):
        key = tuple(verify(p, q, draft, g))
        counts[key] = counts.get(key, 0) + 1
    assert counts.keys() <= outcomes.keys()
    for key, prob in outcomes.items():
        assert abs(counts.get(key, 0) / n - prob) < 4 * math.sqrt(prob * (1 - prob) / n) + 1e-3, key


def test_all_accepted_gives_the_bonus_token_and_disjoint_supports_reject():
    p = torch.tensor([[0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=torch.float64)
    assert verify(p, p[:2], torch.tensor([1, 2])) == [1, 2, 0]
    q = torch.tensor([[1, 0, 0], [1, 0, 0]], dtype=torch.float64)
    assert verify(p, q, torch.tensor([0, 0])) == [1]


@pytest.mark.parametrize("k", [1, 3, 5])
def test_greedy_speculative_equals_the_targets_greedy_tokens(k):
    target, draft = random_gpt(23, seed=0), random_gpt(23, n_layer=1, n_embd=8, seed=3)
    prompt = [1, 5, 7]
    run = speculative_generate(target, draft, prompt, 30, k=k, temperature=0)
    expected = generate(target, torch.tensor([prompt]), 30, temperature=0)[0, 3:].tolist()
    assert run.ids == expected
    assert run.target_calls < 30 and 0 <= run.accepted <= run.proposed


def test_a_draft_equal_to_the_target_is_always_accepted():
    target = random_gpt(23)
    run = speculative_generate(target, target, [1, 2], 20, k=4, temperature=1.0,
                               generator=torch.Generator().manual_seed(0))
    assert run.acceptance_rate == 1.0 and run.target_calls == 4 and len(run.ids) == 20


def test_sampled_runs_follow_the_targets_distribution():
    """The glue (caches cropped after rejections, p rows lined up with the drafts) checked by frequencies."""
    target, draft = random_gpt(3, seed=0, block_size=16), random_gpt(3, n_layer=1, seed=1, block_size=16)
    exact = target_distribution(next_probs(target), (2, 0), 2, 3)
    g, n, counts = torch.Generator().manual_seed(0), 1000, {}
    for _ in range(n):
        key = tuple(speculative_generate(target, draft, [2, 0], 2, k=2, temperature=1.0, generator=g).ids)
        counts[key] = counts.get(key, 0) + 1
    for key, prob in exact.items():
        assert abs(counts.get(key, 0) / n - prob) < 4 * math.sqrt(prob * (1 - prob) / n) + 1e-3, key


def test_greedy_equals_transformers_assisted_generation():
    torch.manual_seed(0)
    models = []
    for n_layer, n_embd in ((3, 32), (1, 16)):
        hf = GPT2LMHeadModel(GPT2Config(vocab_size=41, n_positions=64, n_embd=n_embd, n_layer=n_layer, n_head=4,
                                        bos_token_id=0, eos_token_id=0)).eval()
        with torch.no_grad():
            for p in hf.parameters():
                p.normal_(0, 0.3)
        models.append(hf)
    prompt = torch.tensor([[4, 9, 2, 33]])
    expected = models[0].generate(prompt, assistant_model=models[1], max_new_tokens=25, do_sample=False,
                                  pad_token_id=0, eos_token_id=None)[0, 4:].tolist()
    target, draft = (GPT.from_hf_gpt2(m).eval() for m in models)
    assert speculative_generate(target, draft, prompt[0].tolist(), 25, k=4, temperature=0).ids == expected


def test_stop_token_and_bad_input():
    target, draft = random_gpt(23), random_gpt(23, n_layer=1, seed=3)
    free = speculative_generate(target, draft, [1, 2], 20, k=3, temperature=0).ids
    stopped = speculative_generate(target, draft, [1, 2], 20, k=3, temperature=0, stop_id=free[5])
    assert stopped.ids == free[:free.index(free[5]) + 1]
    with pytest.raises(ValueError, match="vocabulary"):
        speculative_generate(target, random_gpt(29), [1], 5)
    with pytest.raises(ValueError, match="prompt"):
        speculative_generate(target, draft, [], 5)
    with pytest.raises(ValueError, match="block_size=64"):
        speculative_generate(target, draft, [1] * 60, 5, k=4)
    with pytest.raises(ValueError, match="k"):
        speculative_generate(target, draft, [1], 5, k=0)
