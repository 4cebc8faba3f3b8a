"""Checks for notebook test cells: a teaching message for the student, a data record for the grader.

Every autograded test cell in the course is written with these checks instead of bare ``assert``:

    check_close(softmax(x), torch.softmax(x, -1), "rows must sum to 1: did you normalise over the last axis?")

In a student's kernel a failing check raises ``AssertionError`` with the message, nothing more.

Under the autograder (environment variable ``MINILLM_GRADING=1``) each check also publishes the value it
examined as a display output of MIME type ``RECORD_MIME``. The grader never trusts what the kernel says
about pass or fail (student code shares the kernel with the tests and can patch anything there); it
compares these records, outside the sandbox, with the records of the instructor's solution on the same
inputs. Forging a record therefore takes the right answer.

Record kinds: ``close`` (numbers or arrays, compared with the solution's tolerances), ``equal`` (exact
values: ints, strings, token ids), ``true`` (a property that must hold). Each record carries its check's
message: the grader shows the solution's copy of it to the student when the values differ, so a hidden
record's message names the case it tests (never its answer).

Hidden tests use ``record_close`` / ``record_equal``: they publish the student's value and compare nothing
in the kernel. A visible check hands its expected value to code the student could have patched; a hidden
test must not, or a patched check could publish the expected value as its own.
"""

import math
import os

import numpy as np
import torch

RECORD_MIME = "application/vnd.minillm.check+json"
MAX_RECORD_ELEMENTS = 200_000


def check_close(actual, expected, message, *, atol=1e-6, rtol=1e-5):
    """Assert that ``actual`` equals ``expected`` within tolerances; shapes must match exactly.

    Both may be tensors, arrays, numbers or (nested) lists of numbers.
    """
    actual_array = _as_float_array(actual, message)
    _publish("close", actual_array, message, atol=atol, rtol=rtol)
    expected_array = _as_float_array(expected, "the expected value")
    if actual_array.shape != expected_array.shape:
        raise AssertionError(f"{message}\n  shape {actual_array.shape}, expected {expected_array.shape}")
    if not np.allclose(actual_array, expected_array, atol=atol, rtol=rtol, equal_nan=False):
        raise AssertionError(f"{message}\n  {_worst(actual_array, expected_array, atol, rtol)}")


def _worst(actual, expected, atol, rtol):
    """Where ``actual`` is furthest from ``expected`` (NaN first), in words."""
    nan = np.isnan(actual)
    with np.errstate(invalid="ignore"):  # inf - inf
        difference = np.abs(actual - expected)
    if nan.any():
        where = np.unravel_index(np.argmax(nan), actual.shape)
        what = "NaN"
    else:
        difference = np.where(np.isnan(difference), np.inf, difference)  # infinities of opposite signs
        where = np.unravel_index(np.argmax(difference), actual.shape)
        what = f"largest difference {difference[where]:.3g}"
    where = tuple(int(i) for i in where)
    at = f" at index {where[0] if len(where) == 1 else where}" if where else ""
    return (f"{what}{at}: got {actual[where]:.6g}, expected {expected[where]:.6g} "
            f"(atol={atol}, rtol={rtol})")


def check_equal(actual, expected, message):
    """Assert exact equality of plain values: ints, strings, bools, lists/tuples/dicts of them."""
    actual_plain = _as_plain(actual, message)
    _publish("equal", actual_plain, message)
    expected_plain = _as_plain(expected, "the expected value")
    if actual_plain != expected_plain:
        raise AssertionError(f"{message}\n  got {_short(actual_plain)}, expected {_short(expected_plain)}")


def check_true(condition, message):
    """Assert that a property holds (``condition`` must be exactly ``True``, a bool or 0-d bool tensor)."""
    if isinstance(condition, np.bool_) or (
        isinstance(condition, torch.Tensor) and condition.dtype == torch.bool and condition.numel() == 1
    ):
        condition = bool(condition.item())
    holds = type(condition) is bool and condition
    _publish("true", holds, message)
    if not holds:
        raise AssertionError(message)


def check_raises(exception_type, function, *args, message, **kwargs):
    """Assert that ``function(*args, **kwargs)`` raises ``exception_type``."""
    try:
        function(*args, **kwargs)
    except exception_type:
        raised = True
    except Exception as error:  # the wrong kind of error teaches too
        _publish("true", False, message)
        raise AssertionError(f"{message}\n  raised {type(error).__name__}: {error}") from None
    else:
        raised = False
    _publish("true", raised, message)
    if not raised:
        raise AssertionError(f"{message}\n  no {exception_type.__name__} was raised")


def record_close(actual, message, *, atol=1e-6, rtol=1e-5):
    """Hidden test: publish ``actual`` to be compared with the solution's value within tolerances.

    ``message`` names the case for the student (it is shown when the values differ; the code is not)."""
    _publish("close", _as_float_array(actual, message), message, hidden=True, atol=atol, rtol=rtol)


def record_equal(actual, message):
    """Hidden test: publish ``actual`` (plain values) to be compared exactly with the solution's value.

    ``message`` names the case for the student (it is shown when the values differ; the code is not)."""
    _publish("equal", _as_plain(actual, message), message, hidden=True)


def _as_float_array(value, what):
    if isinstance(value, torch.Tensor):
        array = value.detach().to("cpu", torch.float64).numpy()
    elif isinstance(value, np.ndarray) or _is_number(value) or isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise AssertionError(f"{what}\n  expected numbers, got {type(value).__name__}") from None
    else:
        raise AssertionError(f"{what}\n  expected a tensor, an array or a number, got {type(value).__name__}")
    if array.size > MAX_RECORD_ELEMENTS:
        raise AssertionError(f"{what}\n  {array.size} elements is more than a test should compare")
    return array


def _as_plain(value, what):
    if isinstance(value, torch.Tensor):
        value = value.tolist()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, np.generic):
        value = value.item()
    if type(value) in (bool, int, str, type(None)):
        return value
    if type(value) is float:
        if not math.isfinite(value):
            return repr(value)
        return value
    if type(value) in (list, tuple):
        return [_as_plain(item, what) for item in value]
    if type(value) is dict:
        return {str(_as_plain(key, what)): _as_plain(item, what) for key, item in value.items()}
    raise AssertionError(f"{what}\n  expected plain values (int, str, list, ...), got {type(value).__name__}")


def _is_number(value):
    return type(value) in (bool, int, float) or isinstance(value, np.generic)


def _short(value, limit=200):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _publish(kind, value, message, **details):
    """Publish a record for the grader; does nothing outside grading or outside IPython."""
    if os.environ.get("MINILLM_GRADING") != "1":
        return
    from IPython.display import display

    if isinstance(value, np.ndarray):
        value = {"shape": list(value.shape), "data": [_finite_or_text(x) for x in value.ravel().tolist()]}
    display({RECORD_MIME: {"kind": kind, "value": value, "message": str(message)[:500], **details}}, raw=True)


def _finite_or_text(x):
    return x if math.isfinite(x) else repr(x)
