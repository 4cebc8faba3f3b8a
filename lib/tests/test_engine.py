"""The engine against the plain generation loop (same tokens, row by row) and transformers' generate; the
calculator forced into the stream; the streaming detokeniser against Python's incremental UTF-8 decoder."""

import codecs

import pytest
import torch
import torch.nn as nn
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import GPT2Config, GPT2LMHeadModel

from minillm.chat import chat_tokenizer
from minillm.engine import Engine, Utf8Stream, utf8_incomplete_tail
from minillm.generate import generate
from minillm.model import GPT, ModelConfig
from minillm.tokenizer import CharTokenizer

CHARS = "abcdefg\n"


def random_gpt(vocab_size, block_size=48, seed=0, scale=3.0):
    torch.manual_seed(seed)
    config = ModelConfig.gpt2(vocab_size=vocab_size, block_size=block_size, n_layer=2, n_head=2, n_embd=16)
    model = GPT(config).double().eval()
    with torch.no_grad():  # logits far from uniform, so that greedy has no near-ties
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(scale)
    return model


class Scripted(nn.Module):
    """A model that wants to write `script` (byte ids), one token per new position, whatever came before.

    An entry of script may be a tuple of ids: equal logits on each (a fair draw when sampling). It reads the sequence so far back from the KV cache (it stores the token ids as its "keys"), so it sees
    exactly what the engine fed it, forced tokens included.
    """

    def __init__(self, prompt_len, script, vocab_size=260, block_size=128):
        super().__init__()
        self.config = ModelConfig.gpt2(vocab_size=vocab_size, block_size=block_size, n_layer=1, n_head=1, n_embd=4)
        self.dummy = nn.Parameter(torch.zeros(1))
        self.prompt_len, self.script = prompt_len, script

    def forward(self, idx, kv_cache=None):
        B, T = idx.shape
        seen, _ = kv_cache.update(0, idx[:, None, :, None].double(), idx[:, None, :, None].double())
        logits = torch.zeros(B, T, self.config.vocab_size)
        for t in range(T):
            position = seen.size(2) - T + t + 1 - self.prompt_len  # index of the token to predict
            logits[:, t, self.script[min(position, len(self.script) - 1)]] = 50.0  # a tuple: a tie, sampled
        return logits, None


def test_greedy_equals_the_plain_loop_and_every_row_is_the_same():
    model = random_gpt(23)
    tokenizer = CharTokenizer("abcdefghijklmnopqrstuvw")
    prompt = [3, 1, 4, 1, 5]
    completions = Engine(model, tokenizer).generate(prompt, n=3, max_new_tokens=20, temperature=0)
    expected = generate(model, torch.tensor([prompt]), 20, temperature=0)[0, len(prompt):].tolist()
    for completion in completions:
        assert completion.ids == expected
        assert completion.stop == "max_new_tokens"
        assert completion.text == tokenizer.decode(expected)


def test_sampling_equals_the_plain_loop_row_by_row_and_rows_stop_independently():
    tokenizer = CharTokenizer(CHARS)
    stop_id = tokenizer.encode("\n")[0]
    model = random_gpt(len(CHARS), seed=1, scale=1.0)
    prompt = tokenizer.encode("abc")
    n, max_new = 6, 30
    completions = Engine(model, tokenizer, stop_id=stop_id).generate(
        prompt, n=n, max_new_tokens=max_new, temperature=1.0, generator=torch.Generator().manual_seed(5))
    plain = generate(model, torch.tensor([prompt] * n), max_new, temperature=1.0,
                     generator=torch.Generator().manual_seed(5))[:, len(prompt):].tolist()
    lengths = set()
    for completion, row in zip(completions, plain):
        cut = row.index(stop_id) + 1 if stop_id in row else max_new
        assert completion.ids == row[:cut]
        assert completion.stop == ("end" if stop_id in row else "max_new_tokens")
        lengths.add(cut)
    assert len(lengths) > 2, "the seed should give rows of several lengths"


def test_greedy_equals_transformers_generate_with_an_end_token():
    config = GPT2Config(vocab_size=37, n_positions=40, n_embd=32, n_layer=2, n_head=4, bos_token_id=0, eos_token_id=0)
    torch.manual_seed(0)
    hf = GPT2LMHeadModel(config).eval()
    with torch.no_grad():
        for p in hf.parameters():
            p.normal_(0, 0.3)
    model = GPT.from_hf_gpt2(hf).eval()
    tokenizer = CharTokenizer("abcdefghijklmnopqrstuvwxyz0123456789!")
    prompt = [5, 17, 2, 30]
    free = hf.generate(torch.tensor([prompt]), max_new_tokens=30, do_sample=False, pad_token_id=0)[0, 4:].tolist()
    stop_id = free[7]  # a token greedy decoding does reach: HF and the engine must both stop there
    expected = hf.generate(torch.tensor([prompt]), max_new_tokens=30, do_sample=False, eos_token_id=stop_id,
                           pad_token_id=0)[0, 4:].tolist()
    (completion,) = Engine(model, tokenizer, stop_id=stop_id).generate(prompt, max_new_tokens=30, temperature=0)
    assert completion.ids == expected[:expected.index(stop_id) + 1]
    assert completion.stop == "end"


def test_the_calculator_result_is_forced_not_sampled():
    tokenizer = chat_tokenizer()
    end = tokenizer.special_tokens["<|end|>"]
    prompt = tokenizer.encode("12+7*3=")
    wants = tokenizer.encode("<calc>12+7*3</calc><result>99</result>99") + [end]  # a model that gets it wrong
    engine = Engine(Scripted(len(prompt), wants), tokenizer, stop_id=end)
    (completion,) = engine.generate(prompt, max_new_tokens=60, temperature=0)
    assert completion.text == "<calc>12+7*3</calc><result>33</result>99<|end|>"
    assert completion.calls == [("12+7*3", "33")]
    assert completion.stop == "end"
    (without,) = Engine(Scripted(len(prompt), wants), tokenizer, stop_id=end, use_tool=False).generate(
        prompt, max_new_tokens=60, temperature=0)
    assert without.text == "<calc>12+7*3</calc><result>99</result>99<|end|>" and without.calls == []


def test_rows_in_different_tool_states_each_get_their_own_forced_tokens():
    tokenizer = chat_tokenizer()
    prompt = tokenizer.encode("3*4=")
    first = (tokenizer.encode("<")[0], tokenizer.encode("x")[0])  # a coin flip: open the call or not
    wants = [first] + tokenizer.encode("calc>3*4</calc>") + tokenizer.encode("!")
    engine = Engine(Scripted(len(prompt), wants), tokenizer)
    completions = engine.generate(prompt, n=8, max_new_tokens=40, temperature=1.0,
                                  generator=torch.Generator().manual_seed(0))
    texts = {c.text for c in completions}
    assert texts == {"<calc>3*4</calc><result>12</result>" + "!" * 5, "xcalc>3*4</calc>" + "!" * 24}
    for c in completions:
        assert c.calls == ([("3*4", "12")] if c.text.startswith("<") else [])


def test_a_malformed_call_gets_the_result_error():
    tokenizer = chat_tokenizer()
    prompt = tokenizer.encode("3*4=")
    wants = tokenizer.encode("<calc>3*</calc>") + [tokenizer.special_tokens["<|end|>"]]
    (bad,) = Engine(Scripted(len(prompt), wants), tokenizer, stop_id=wants[-1]).generate(prompt, temperature=0)
    assert bad.calls == [("3*", "error")] and bad.text == "<calc>3*</calc><result>error</result><|end|>"


def test_a_call_that_never_closes_stops_the_row():
    tokenizer = chat_tokenizer()
    prompt = tokenizer.encode("1+1=")
    wants = tokenizer.encode("<calc>" + "1+" * 400)
    (completion,) = Engine(Scripted(len(prompt), wants, block_size=1000), tokenizer).generate(
        prompt, max_new_tokens=900, temperature=0)
    assert completion.stop == "unclosed_call"
    assert len(completion.ids) < 300


def test_context_limit_and_bad_prompts():
    model = random_gpt(23, block_size=10)
    tokenizer = CharTokenizer("abcdefghijklmnopqrstuvw")
    engine = Engine(model, tokenizer)
    (completion,) = engine.generate([1, 2, 3, 4], max_new_tokens=50, temperature=0)
    assert completion.stop == "context" and len(completion.ids) == 6
    with pytest.raises(ValueError, match="empty"):
        engine.generate([], max_new_tokens=5)
    with pytest.raises(ValueError, match="block_size=10"):
        engine.generate(list(range(10)), max_new_tokens=5)
    with pytest.raises(ValueError, match="no model"):
        Engine(None, tokenizer)
    (zero,) = engine.generate([1], max_new_tokens=0)
    assert zero.ids == [] and zero.stop == "max_new_tokens"


def test_prefill_runs_once_and_decode_one_token_per_row():
    model = random_gpt(23)
    calls = []
    model.register_forward_hook(lambda module, args, kwargs, out: calls.append(tuple(args[0].shape)),
                                with_kwargs=True)
    Engine(model, CharTokenizer("abcdefghijklmnopqrstuvw")).generate([1, 2, 3], n=4, max_new_tokens=5)
    assert calls == [(1, 3)] + [(4, 1)] * 4


def test_stream_yields_the_text_of_generate_and_never_half_a_character():
    tokenizer = chat_tokenizer()
    text = "héllo 日本 🙂"
    prompt = tokenizer.encode("x")
    wants = tokenizer.encode(text) + [tokenizer.special_tokens["<|end|>"]]
    engine = Engine(Scripted(len(prompt), wants), tokenizer, stop_id=wants[-1])
    pieces = list(engine.stream(prompt, max_new_tokens=40, temperature=0))
    assert "".join(pieces) == text
    assert all("\ufffd" not in piece for piece in pieces)
    assert pieces[:6] == list("héllo ")
    assert engine.last.stop == "end" and engine.last.text == text + "<|end|>"


def test_stream_flushes_an_unfinished_character_at_the_end():
    tokenizer = chat_tokenizer()
    prompt = tokenizer.encode("x")
    wants = tokenizer.encode("ab") + list("日".encode())[:2]
    engine = Engine(Scripted(len(prompt), wants), tokenizer)
    pieces = list(engine.stream(prompt, max_new_tokens=4, temperature=0))
    assert pieces == ["a", "b", "\ufffd"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=4), max_size=20))
def test_utf8_stream_equals_pythons_incremental_decoder(chunks):
    vocab = dict(enumerate(chunks))
    stream = Utf8Stream(type("T", (), {"vocab": vocab})())
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    ours = "".join(stream.push(i) for i in vocab) + stream.flush()
    theirs = "".join(decoder.decode(chunk) for chunk in chunks) + decoder.decode(b"", final=True)
    assert ours == theirs == b"".join(chunks).decode("utf-8", errors="replace")


@given(st.text(max_size=30), st.data())
def test_utf8_stream_never_splits_a_character_of_valid_text(text, data):
    raw = text.encode()
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(raw) - 1)), max_size=10)))
    chunks = [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)]) if raw[a:b]]
    stream = Utf8Stream(type("T", (), {"vocab": dict(enumerate(chunks))})())
    pieces = [stream.push(i) for i in range(len(chunks))] + [stream.flush()]
    assert "".join(pieces) == text
    assert all("\ufffd" not in piece for piece in pieces if "\ufffd" not in text)


def test_incomplete_tail_by_hand():
    assert utf8_incomplete_tail(b"") == 0
    assert utf8_incomplete_tail("日".encode()[:1]) == 1
    assert utf8_incomplete_tail("日".encode()[:2]) == 2
    assert utf8_incomplete_tail("日".encode()) == 0
    assert utf8_incomplete_tail(b"a" + "🙂".encode()[:3]) == 3
    assert utf8_incomplete_tail(b"\x80\x80") == 0
    with pytest.raises(ValueError, match="unknown token id"):
        Utf8Stream(chat_tokenizer()).push(999)
