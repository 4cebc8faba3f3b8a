"""Generation: the KV cache changes nothing but speed; sampling filters, streaming and beam search."""

import itertools
import math
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn

from minillm.generate import (
    KVCache,
    beam_search,
    generate,
    next_token_logits,
    sample_next_token,
    stream,
    top_k_filter,
    top_p_filter,
)
from minillm.model import GPT, ModelConfig


def tiny_model(preset="gpt2", seed=0, **overrides):
    torch.manual_seed(seed)
    sizes = dict(vocab_size=23, block_size=12, n_layer=2, n_head=4, n_embd=32)
    model = GPT(getattr(ModelConfig, preset)(**{**sizes, **overrides})).eval()
    with torch.no_grad():  # larger weights than the init, so that the logits are far from uniform
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(10)
    return model


class BigramTable(nn.Module):
    """A hand-built language model: the next token's probabilities depend on the last token only."""

    def __init__(self, probs):
        super().__init__()
        self.config = SimpleNamespace(n_layer=1, block_size=8)
        self.log_probs = torch.tensor(probs).log()

    def forward(self, idx, kv_cache=None):
        return self.log_probs[idx], None


def sequence_log_prob(table, tokens):
    return sum(table.log_probs[a, b].item() for a, b in itertools.pairwise(tokens))


@pytest.mark.parametrize("preset, overrides", [("gpt2", {}), ("llama", dict(n_kv_head=2))])
def test_cached_logits_equal_uncached_logits_at_every_step(preset, overrides):
    model = tiny_model(preset, **overrides)
    idx = torch.randint(0, 23, (2, 5))
    cache = KVCache(model.config.n_layer)
    with torch.no_grad():
        for step in range(12):  # past block_size=12: the window slides
            cached = next_token_logits(model, idx, cache)
            uncached = model(idx[:, -12:])[0][:, -1]
            torch.testing.assert_close(cached, uncached, atol=1e-5, rtol=1e-5, msg=f"step {step}")
            idx = torch.cat([idx, cached.argmax(-1, keepdim=True)], dim=1)


@pytest.mark.parametrize("use_cache", [True, False])
def test_greedy_is_the_argmax_loop(use_cache):
    model = tiny_model("llama")
    prompt = torch.randint(0, 23, (2, 4))
    expected = prompt
    with torch.no_grad():
        for _ in range(15):
            next_token = model(expected[:, -12:])[0][:, -1].argmax(-1, keepdim=True)
            expected = torch.cat([expected, next_token], dim=1)
    assert torch.equal(generate(model, prompt, 15, temperature=0, use_cache=use_cache), expected)


def test_sampling_is_repeatable_with_a_generator_and_the_same_with_or_without_cache():
    model = tiny_model()
    prompt = torch.randint(0, 23, (3, 2))
    runs = [
        generate(model, prompt, 14, top_k=10, top_p=0.9, generator=torch.Generator().manual_seed(7), use_cache=c)
        for c in (True, False, True)
    ]
    assert torch.equal(runs[0], runs[1]) and torch.equal(runs[0], runs[2])
    other_seed = generate(model, prompt, 14, generator=torch.Generator().manual_seed(8))
    assert not torch.equal(runs[0], other_seed)


def test_streaming_yields_the_tokens_of_generate():
    model = tiny_model("llama")
    prompt = torch.randint(0, 23, (1, 3))
    for kwargs in (dict(temperature=0), dict(temperature=0.8, top_p=0.95)):
        streamed = list(stream(model, prompt, 10, generator=torch.Generator().manual_seed(1), **kwargs))
        generated = generate(model, prompt, 10, generator=torch.Generator().manual_seed(1), **kwargs)
        assert all(isinstance(token, int) for token in streamed)
        assert streamed == generated[0, 3:].tolist()


def test_top_k_never_picks_outside_the_top_k():
    logits = torch.randn(1, 50).expand(2000, 50)
    top3 = set(logits[0].topk(3).indices.tolist())
    drawn = sample_next_token(logits, temperature=2.0, top_k=3, generator=torch.Generator().manual_seed(0))
    assert set(drawn.tolist()) == top3
    assert torch.isfinite(top_k_filter(logits[:1], 3)).sum() == 3


def test_top_p_keeps_the_smallest_set_with_enough_mass():
    probs = torch.tensor([[0.15, 0.5, 0.05, 0.3]])  # sorted: 0.5 (id 1), 0.3 (id 3), 0.15 (id 0), 0.05 (id 2)
    for p, kept in [(0.4, {1}), (0.7, {1, 3}), (0.9, {0, 1, 3}), (1.0, {0, 1, 2, 3})]:
        filtered = top_p_filter(probs.log(), p)
        assert set(torch.isfinite(filtered[0]).nonzero().flatten().tolist()) == kept, f"p={p}"
    drawn = sample_next_token(probs.log().expand(1000, 4), top_p=0.7, generator=torch.Generator().manual_seed(0))
    assert set(drawn.tolist()) == {1, 3}


def test_top_p_on_a_large_vocabulary_keeps_exactly_the_nucleus():
    torch.manual_seed(0)
    logits = 3 * torch.randn(4, 50257)
    assert torch.equal(top_p_filter(logits, 1.0), logits), "p = 1 keeps every token"
    for p in (0.5, 0.999):  # reference: how many sorted float64 probabilities start before the mass reaches p
        probs = torch.softmax(logits.double(), dim=-1).sort(dim=-1, descending=True).values
        kept = (probs.cumsum(dim=-1) - probs < p).sum(dim=-1)
        assert torch.equal(torch.isfinite(top_p_filter(logits, p)).sum(dim=-1), kept), p


def test_temperature_zero_and_near_zero_are_greedy():
    logits = torch.randn(5, 30)
    assert torch.equal(sample_next_token(logits, temperature=0), logits.argmax(-1))
    assert torch.equal(sample_next_token(logits, temperature=1e-4, generator=torch.Generator()), logits.argmax(-1))


def test_beam_width_one_is_greedy():
    model = tiny_model("llama", n_kv_head=1)
    prompt = torch.randint(0, 23, (1, 3))
    assert torch.equal(beam_search(model, prompt, 8, beam_width=1), generate(model, prompt, 8, temperature=0))


def test_beam_search_finds_the_sequence_greedy_misses():
    # from 0: 1 is likelier than 2, but every continuation of 1 is poor while 2 is almost surely followed by 3
    table = BigramTable([[0.0, 0.6, 0.4, 0.0], [0.34, 0.33, 0.0, 0.33], [0.01, 0.0, 0.0, 0.99], [0.25] * 4])
    prompt = torch.tensor([[0]])
    greedy = generate(table, prompt, 2, temperature=0)[0].tolist()
    beam = beam_search(table, prompt, 2, beam_width=2)[0].tolist()
    assert greedy == [0, 1, 0]
    assert beam == [0, 2, 3]
    assert sequence_log_prob(table, beam) == pytest.approx(math.log(0.4 * 0.99))
    assert sequence_log_prob(table, beam) > sequence_log_prob(table, greedy)


def test_length_penalty_decides_between_short_and_long_answers():
    eos = 3  # from 0: stop at once (0.55) or go 1 -> 2 -> eos: 0.45 * 0.9 * 0.9
    table = BigramTable([[0.0, 0.45, 0.0, 0.55], [0.05, 0.0, 0.9, 0.05], [0.05, 0.05, 0.0, 0.9], [0.25] * 4])
    prompt = torch.tensor([[0]])
    assert beam_search(table, prompt, 6, beam_width=2, length_penalty=0.0, eos_id=eos)[0].tolist() == [0, 3]
    assert beam_search(table, prompt, 6, beam_width=2, length_penalty=2.0, eos_id=eos)[0].tolist() == [0, 1, 2, 3]


def test_exhaustive_beam_search_on_a_gpt_finds_the_most_likely_pair():
    model = tiny_model(vocab_size=6)
    prompt = torch.randint(0, 6, (1, 4))
    pairs = torch.tensor(list(itertools.product(range(6), repeat=2)))  # all 36 continuations
    sequences = torch.cat([prompt.expand(36, 4), pairs], dim=1)
    with torch.no_grad():
        log_probs = model(sequences[:, :-1])[0].log_softmax(-1)[:, -2:]
    scores = log_probs.gather(-1, pairs[:, :, None]).sum(dim=(1, 2))
    assert torch.equal(beam_search(model, prompt, 2, beam_width=6), sequences[scores.argmax()][None])


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(temperature=-1.0), "temperature"),
        (dict(top_k=0), "top_k"),
        (dict(top_p=0.0), "top_p"),
        (dict(max_new_tokens=-1), "max_new_tokens"),
    ],
)
def test_bad_sampling_arguments(kwargs, words):
    model = tiny_model()
    with pytest.raises(ValueError, match=words):
        generate(model, torch.zeros(1, 2, dtype=torch.long), **{"max_new_tokens": 3, **kwargs})


def test_one_prompt_only_for_stream_and_beam_search():
    model = tiny_model()
    two_prompts = torch.zeros(2, 2, dtype=torch.long)
    with pytest.raises(ValueError, match="one prompt"):
        next(stream(model, two_prompts, 3))
    with pytest.raises(ValueError, match="one prompt"):
        beam_search(model, two_prompts, 3)
    with pytest.raises(ValueError, match="beam_width"):
        beam_search(model, two_prompts[:1], 3, beam_width=0)
