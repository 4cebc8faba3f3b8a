"""Tool use: a safe calculator, and a generation loop that runs it when the model asks.

The calculator parses with Python's `ast` and evaluates only numbers, + - * / // % **, unary + and -, and
parentheses; anything else is rejected with a `CalculatorError` naming what was found. Sizes are bounded
before anything is computed: the text's length, the nesting depth, powers and every intermediate result, so
hostile input (`9**9**9`, `'a'*10**9`, `__import__('os')`) fails at once. Nothing is ever passed to eval.

The loop (`generate_with_tools`) is a small state machine over token ids, in the trace format of
minillm.tasks: while the model writes ordinary text it looks for "<calc>"; inside a call it looks for
"</calc>", then evaluates the expression and appends the tokens of "<result>VALUE</result>" (forced, not
sampled; VALUE is "error" when the calculator rejects the expression) and lets the model go on.
"""

import ast
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from minillm.generate import KVCache, next_token_logits, sample_next_token
from minillm.tasks import CALL, RESULT

MAX_LENGTH = 200  # characters of an expression
MAX_DEPTH = 30  # nesting of parentheses and operators
MAX_DIGITS = 100  # every intermediate result stays below 10 ** MAX_DIGITS in magnitude
ERROR = "error"  # the result text the model sees when a call is rejected

BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
REJECTED = {
    ast.Name: "names", ast.Call: "function calls", ast.Attribute: "attributes", ast.Subscript: "subscripts",
    ast.Compare: "comparisons", ast.BoolOp: "boolean operators", ast.Lambda: "lambdas",
}


class CalculatorError(ValueError):
    """The expression is not one the calculator accepts, or its value is out of bounds."""


def calculate(expression: str) -> int | float:
    """The value of an arithmetic expression such as "12+7*3" (int arithmetic stays exact; / gives a float)."""
    if not isinstance(expression, str):
        raise CalculatorError(f"expression must be a str, got {type(expression).__name__}")
    if len(expression) > MAX_LENGTH:
        raise CalculatorError(f"expression is {len(expression)} characters long, more than {MAX_LENGTH}")
    depth = 0
    for ch in expression:  # before parsing: Python's parser has its own, much higher, limits
        depth += (ch == "(") - (ch == ")")
        if depth > MAX_DEPTH:
            raise CalculatorError(f"parentheses nested more than {MAX_DEPTH} deep")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        raise CalculatorError(f"not an arithmetic expression: {expression!r} ({error.msg})") from None
    return _evaluate(tree.body, depth=0)


def _evaluate(node: ast.AST, depth: int) -> int | float:
    if depth > MAX_DEPTH:
        raise CalculatorError(f"expression nested more than {MAX_DEPTH} deep")
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = "strings" if isinstance(value, (str, bytes)) else f"{type(value).__name__} constants"
            raise CalculatorError(f"{kind} are not allowed: {value!r}")
        return _bounded(value)
    if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        return UNARY[type(node.op)](_evaluate(node.operand, depth + 1))
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        left, right = _evaluate(node.left, depth + 1), _evaluate(node.right, depth + 1)
        if isinstance(node.op, ast.Pow):
            _check_power(left, right)
        try:
            return _bounded(BINARY[type(node.op)](left, right))
        except ZeroDivisionError:
            raise CalculatorError("division by zero") from None
        except OverflowError:
            raise CalculatorError(f"result too large: {left!r} {type(node.op).__name__} {right!r}") from None
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        raise CalculatorError(f"the operator {type(node.op).__name__} is not allowed (only + - * / // % **)")
    what = REJECTED.get(type(node), f"{type(node).__name__} expressions")
    found = ast.unparse(node)[:40]
    raise CalculatorError(f"{what} are not allowed: {found!r} (only numbers, operators and parentheses)")


def _check_power(base: int | float, exponent: int | float) -> None:
    """Refuse a power whose result would exceed the bound, before computing it."""
    if abs(base) > 1 and exponent > 0 and exponent * math.log10(abs(base)) >= MAX_DIGITS:
        raise CalculatorError(f"power too large: {base!r} ** {exponent!r} has more than {MAX_DIGITS} digits")
    if base == 0 and exponent < 0:
        raise CalculatorError("division by zero: 0 to a negative power")


def _bounded(value) -> int | float:
    if isinstance(value, complex):
        raise CalculatorError(f"complex result {value!r}: a negative number to a fractional power")
    if (isinstance(value, float) and not math.isfinite(value)) or abs(value) >= 10**MAX_DIGITS:
        raise CalculatorError(f"result too large: more than {MAX_DIGITS} digits")
    return value


def format_result(value: int | float) -> str:
    """The text the model is shown for a value: "33", "-4", "3.5"."""
    return str(value)


def tool_result(expression: str) -> str:
    """The result text for one call: the formatted value, or ERROR when the calculator rejects it."""
    try:
        return format_result(calculate(expression))
    except CalculatorError:
        return ERROR


@dataclass
class ToolRun:
    """What a tool-using generation produced.

    ids: the new token ids (sampled and forced) after the prompt; text: their decoded text;
    calls: (expression, result text) per evaluated call; stop: why it ended, one of
    "stop" (the stop text appeared outside a call), "max_new_tokens", or "context" (the next token or a
    forced result would not fit in max_length tokens).
    """

    ids: list[int]
    text: str
    calls: list[tuple[str, str]] = field(default_factory=list)
    stop: str = "max_new_tokens"


def generate_with_tools(
    next_token: Callable[[list[int]], int],
    tokenizer,
    prompt: str,
    max_new_tokens: int,
    max_length: int,
    stop: str = "\n",
    use_tool: bool = True,
) -> ToolRun:
    """Generate after `prompt`, running the calculator on every closed <calc>...</calc> span.

    next_token(ids) -> the next token id after the whole sequence ids (prompt and new tokens); see
    model_next_token. tokenizer: encode(str) -> ids and decode(ids) -> str, able to encode the result
    text (markers, digits, "-", ".", ERROR). max_length: the most tokens the sequence may hold (the model's
    block_size). use_tool=False never intervenes: the model has to write any result itself. A call that is
    never closed simply runs into max_new_tokens; a malformed one gets the result ERROR.
    """
    if max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be >= 0, got {max_new_tokens}")
    if not stop:
        raise ValueError("stop must be a non-empty string")
    ids = list(tokenizer.encode(prompt))
    if not 0 < len(ids) <= max_length:
        raise ValueError(f"prompt is {len(ids)} tokens; it must be 1 to max_length={max_length}")
    n_prompt = len(ids)
    run = ToolRun(ids=[], text="")
    scan = 0  # where in the new text to look for the next marker
    in_call = False
    sampled = 0
    while True:
        if sampled == max_new_tokens:
            run.stop = "max_new_tokens"
            break
        if len(ids) == max_length:
            run.stop = "context"
            break
        ids.append(next_token(ids))
        sampled += 1
        text = tokenizer.decode(ids[n_prompt:])
        if not in_call:
            if stop in text[scan:]:
                run.stop = "stop"
                break
            start = text.find(CALL[0], scan)
            if use_tool and start >= 0:
                in_call, scan = True, start + len(CALL[0])
            continue
        end = text.find(CALL[1], scan)
        if end < 0:
            continue
        expression = text[scan:end]
        result = tool_result(expression)
        run.calls.append((expression, result))
        forced = tokenizer.encode(f"{RESULT[0]}{result}{RESULT[1]}")
        if len(ids) + len(forced) > max_length:
            run.stop = "context"
            break
        ids += forced
        in_call, scan = False, len(tokenizer.decode(ids[n_prompt:]))
    run.ids = ids[n_prompt:]
    run.text = tokenizer.decode(run.ids)
    return run


def model_next_token(model, temperature=0.0, top_k=None, top_p=None, generator=None):
    """A next_token(ids) -> int for generate_with_tools from a library model (eval mode), with a KV cache.

    The cache is kept while each call extends the previous sequence (forced tokens are fed in one pass)
    and rebuilt when it does not. Sampling as in minillm.generate.sample_next_token (0: greedy).
    """
    device = next(model.parameters()).device
    cache = KVCache(model.config.n_layer)
    seen: list[int] = []

    @torch.no_grad()
    def next_token(ids: list[int]) -> int:
        nonlocal seen
        if ids[: len(seen)] != seen:
            cache.clear()
        idx = torch.tensor([ids], device=device)
        logits = next_token_logits(model, idx, cache)
        seen = list(ids)
        if cache.length != len(ids):  # the window slid (the sequence outgrew block_size)
            cache.clear()
            seen = []
        return sample_next_token(logits, temperature, top_k, top_p, generator).item()

    return next_token
