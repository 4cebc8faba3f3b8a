"""The calculator agrees with Python's arithmetic and refuses everything else; the tool loop's state machine."""

import time

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from minillm import tasks
from minillm.generate import generate
from minillm.model import GPT, ModelConfig
from minillm.tokenizer import BPETokenizer, CharTokenizer
from minillm.tools import (
    ERROR,
    MAX_DIGITS,
    CalculatorError,
    calculate,
    generate_with_tools,
    model_next_token,
)

OPERATORS = ["+", "-", "*", "/", "//", "%", "**"]


@st.composite
def expressions(draw, depth=3):
    """(text, value by Python's own operators, largest magnitude on the way) of a random expression."""
    if depth == 0 or draw(st.booleans()):
        number = draw(st.integers(0, 60) | st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)))
        return str(number), number, abs(number)
    if draw(st.integers(0, 5)) == 0:
        text, value, big = draw(expressions(depth - 1))
        return f"-({text})", -value, big
    op = draw(st.sampled_from(OPERATORS))
    left, right = draw(expressions(depth - 1)), draw(expressions(depth - 1))
    if op == "**":
        right = (str(draw(st.integers(0, 3))),) * 2  # small integer exponents
        right = (right[0], int(right[0]), 0)
    try:
        value = eval(f"({left[0]}){op}({right[0]})", {"__builtins__": {}})  # Python, on text built here
    except ZeroDivisionError:
        value = None
    assume(value is not None and not isinstance(value, complex))
    return f"({left[0]}){op}({right[0]})", value, max(left[2], right[2], abs(value))


@settings(max_examples=400, deadline=None)
@given(expressions())
def test_calculator_agrees_with_python(case):
    text, value, biggest = case
    assume(biggest < 10**MAX_DIGITS)
    result = calculate(text)
    assert result == value and type(result) is type(value), text


@pytest.mark.parametrize(
    "text, value",
    [("12+7*3", 33), ("2**10", 1024), ("-3**2", -9), ("(-3)**2", 9), ("7/2", 3.5), ("7//2", 3), ("-7//2", -4),
     ("-7%3", 2), ("2**-1", 0.5), ("+5", 5), (" 1 + 2 ", 3), ("1.5e3*2", 3000.0), ("((((1))))", 1)],
)
def test_calculator_by_hand(text, value):
    assert calculate(text) == value


@pytest.mark.parametrize(
    "text, words",
    [
        ("__import__('os')", "function calls"),
        ("x+1", "names"),
        ("(1).real", "attributes"),
        ("[1][0]", "subscripts"),
        ("'a'*10**9", "strings"),
        ("10**9*'a'", "strings"),
        ("9**9**9", "power too large"),
        ("2**400", "power too large"),
        ("10.0**400", "power too large"),
        ("1e999", "too large"),
        ("(10**60)*(10**60)", "too large"),
        ("1/0", "division by zero"),
        ("5%0", "division by zero"),
        ("0**-1", "division by zero"),
        ("(-8)**0.5", "complex"),
        ("1<2", "comparisons"),
        ("True+1", "bool"),
        ("1j", "complex"),
        ("1 if 1 else 2", "IfExp"),
        ("~5", "Invert"),
        ("1 & 3", "BitAnd"),
        ("(" * 40 + "1" + ")" * 40, "nested"),
        ("-" * 100 + "1", "nested"),
        ("1+" * 150 + "1", "characters long"),
        ("1+", "not an arithmetic expression"),
        ("", "not an arithmetic expression"),
        ("import os", "not an arithmetic expression"),
    ],
)
def test_calculator_rejects_with_a_clear_error_and_quickly(text, words):
    start = time.perf_counter()
    with pytest.raises(CalculatorError, match=words):
        calculate(text)
    assert time.perf_counter() - start < 0.5, "rejected before computing anything big"


def test_calculator_never_runs_what_it_rejects(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(CalculatorError):
        calculate(f"open({str(marker)!r}, 'w')")
    assert not marker.exists()
    with pytest.raises(CalculatorError, match="must be a str"):
        calculate(12)


def test_calculator_answers_every_task_trace():
    for e in tasks.arithmetic(200, seed=1) + tasks.list_ops(200, seed=1):
        if e.solution.startswith("<calc>"):
            expression = e.solution[len("<calc>") : e.solution.index("</calc>")]
            assert str(calculate(expression)) == e.answer


# The tool loop. A scripted next_token plays the model where a test needs exact control of the tokens.
CHARS = "0123456789+-*/=()<>calcresultorx \n"
TOKENIZER = CharTokenizer(CHARS)


class Script:
    """next_token that writes `text` one character at a time, whatever was forced in between."""

    def __init__(self, text, tokenizer=TOKENIZER):
        self.tokens = tokenizer.encode(text)
        self.seen = []

    def __call__(self, ids):
        self.seen.append(list(ids))
        return self.tokens[len(self.seen) - 1]


def test_loop_runs_the_calculator_and_the_model_goes_on():
    script = Script("<calc>12+7*3</calc>33\n")
    run = generate_with_tools(script, TOKENIZER, "12+7*3=", max_new_tokens=50, max_length=64)
    assert run.text == "<calc>12+7*3</calc><result>33</result>33\n"
    assert run.calls == [("12+7*3", "33")] and run.stop == "stop"
    assert TOKENIZER.decode(script.seen[-1]) == "12+7*3=<calc>12+7*3</calc><result>33</result>33"
    assert len(script.seen) == len("<calc>12+7*3</calc>33\n"), "forced tokens are not sampled"


def test_loop_without_the_tool_never_intervenes():
    run = generate_with_tools(Script("<calc>1+1</calc>3\n"), TOKENIZER, "1+1=", 50, 64, use_tool=False)
    assert run.text == "<calc>1+1</calc>3\n" and run.calls == []


def test_two_calls_and_a_malformed_one():
    script = Script("<calc>2*3</calc>6 <calc>1+x</calc>0 <calc>9-10</calc>-1\n")
    run = generate_with_tools(script, TOKENIZER, "=", 100, 128)
    assert run.calls == [("2*3", "6"), ("1+x", ERROR), ("9-10", "-1")]
    assert f"<calc>1+x</calc><result>{ERROR}</result>0" in run.text and run.stop == "stop"


def test_an_unclosed_call_runs_into_the_limit():
    run = generate_with_tools(Script("<calc>1+2\n3+4+5+6"), TOKENIZER, "=", 15, 64)
    assert run.stop == "max_new_tokens" and run.calls == [] and len(run.ids) == 15
    assert run.text == "<calc>1+2\n3+4+5"


def test_a_result_that_does_not_fit_the_context_stops_cleanly():
    script = Script("<calc>10**50</calc>\n")
    run = generate_with_tools(script, TOKENIZER, "=", 100, max_length=40)
    assert run.stop == "context" and run.calls == [("10**50", "1" + "0" * 50)]
    assert run.text == "<calc>10**50</calc>", "nothing of the result is appended"
    run = generate_with_tools(Script("12345678"), TOKENIZER, "=", 100, max_length=5)
    assert run.stop == "context" and run.text == "1234"


def test_bad_arguments():
    with pytest.raises(ValueError, match="prompt"):
        generate_with_tools(Script(""), TOKENIZER, "=" * 10, 5, max_length=4)
    with pytest.raises(ValueError, match="max_new_tokens"):
        generate_with_tools(Script(""), TOKENIZER, "=", -1, 8)


def tiny_model(vocab_size, block_size=48, **overrides):
    torch.manual_seed(0)
    config = ModelConfig.llama(vocab_size=vocab_size, block_size=block_size, n_layer=2, n_head=4, n_kv_head=2,
                               n_embd=32, **overrides)
    model = GPT(config).eval()
    with torch.no_grad():  # logits far from uniform, so that greedy choices are clear
        for p in model.parameters():
            p.mul_(8) if p.dim() == 2 else None
    return model


def test_model_next_token_with_no_call_is_greedy_generate():
    model = tiny_model(TOKENIZER.vocab_size)
    prompt = "12+7="
    run = generate_with_tools(model_next_token(model), TOKENIZER, prompt, 30, 48, stop="\x00", use_tool=False)
    expected = generate(model, torch.tensor([TOKENIZER.encode(prompt)]), 30, temperature=0)[0, len(prompt) :]
    assert run.ids == expected.tolist()


@pytest.mark.parametrize("preset", ["gpt2", "llama"])
def test_after_a_forced_result_the_cached_model_continues_as_the_uncached_one(preset):
    """A real model writes after a call that a script opens and closes: each of its greedy tokens after the
    forced result must be the argmax of the uncached model on the whole sequence so far."""
    model = tiny_model(TOKENIZER.vocab_size) if preset == "llama" else GPT(ModelConfig.gpt2(
        vocab_size=TOKENIZER.vocab_size, block_size=48, n_layer=2, n_head=2, n_embd=32)).eval()
    model_step, script = model_next_token(model), Script("<calc>6*7</calc>")

    def next_token(ids):
        return script(ids) if len(script.seen) < len(script.tokens) else model_step(ids)

    run = generate_with_tools(next_token, TOKENIZER, "6*7=", 40, 48, stop="\x00")
    assert run.calls == [("6*7", "42")] and run.text.startswith("<calc>6*7</calc><result>42</result>")
    ids = TOKENIZER.encode("6*7=") + run.ids
    first_model_token = len("6*7=<calc>6*7</calc><result>42</result>")
    with torch.no_grad():
        for t in range(first_model_token, len(ids)):
            logits = model(torch.tensor([ids[:t]]))[0][0, -1]
            assert ids[t] == logits.argmax().item(), f"position {t}"
    assert run.stop == "context" and len(ids) == 48, "the model fills the context"


@pytest.mark.parametrize("special", [(), ("<calc>", "</calc>", "<result>", "</result>")])
def test_loop_with_a_bpe_tokenizer(special):
    """Markers as several merged tokens, or as one special token each: the loop reads text, not ids."""
    text = "".join(e.text for e in tasks.arithmetic(300, seed=2))
    bpe = BPETokenizer.train(text, vocab_size=300, special_tokens=special)
    assert (len(bpe.encode("<calc>")) == 1) == bool(special)
    completion = "<calc>12+7*3</calc>33\n"
    run = generate_with_tools(Script(completion, bpe), bpe, "12+7*3=", 50, 64)
    assert run.calls == [("12+7*3", "33")]
    assert run.text == "<calc>12+7*3</calc><result>33</result>33\n"
