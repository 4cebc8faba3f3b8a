"""minillm.checks in a student's kernel (messages) and under the grader (records)."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from minillm.checks import check_close, check_equal, check_raises, check_true
from minillm.notebook import full_mode


def test_check_close_passes_and_fails_with_the_message():
    check_close(torch.tensor([1.0, 2.0]), [1.0, 2.0 + 1e-8], "close enough")
    with pytest.raises(AssertionError, match="did you normalise"):
        check_close(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 3.0]), "did you normalise?")
    with pytest.raises(AssertionError, match=r"shape \(2,\), expected \(1, 2\)"):
        check_close(np.ones(2), np.ones((1, 2)), "shape")
    with pytest.raises(AssertionError, match="got object"):
        check_close(object(), 1.0, "not a number")


def test_an_object_that_equals_everything_does_not_pass_check_equal():
    class Liar:
        def __eq__(self, other):
            return True

    with pytest.raises(AssertionError, match="plain values"):
        check_equal(Liar(), 3, "count")
    with pytest.raises(AssertionError, match="got 2, expected 3"):
        check_equal(np.int64(2), 3, "count")


def test_check_true_needs_a_real_true():
    check_true(torch.tensor(True), "tensor true")
    with pytest.raises(AssertionError):
        check_true(1, "an int is not True")
    with pytest.raises(AssertionError):
        check_true(torch.tensor([True, True]), "not a single bool")


def test_check_raises():
    check_raises(ValueError, int, "x", message="int('x') raises")
    with pytest.raises(AssertionError, match="no ValueError"):
        check_raises(ValueError, int, "3", message="should raise")
    with pytest.raises(AssertionError, match="raised ZeroDivisionError"):
        check_raises(ValueError, lambda: 1 / 0, message="wrong error")


def test_records_are_published_only_while_grading():
    code = ("from IPython.core.interactiveshell import InteractiveShell\n"
            "from minillm.checks import check_close, record_equal\n"
            "shell = InteractiveShell.instance()\n"
            "sent = []\n"
            "shell.display_pub.publish = lambda data, **kw: sent.append(data)\n"
            "check_close([1.0, 2.0], [1.0, 2.0], 'm')\n"
            "record_equal([1, 'a'], 'm')\n"
            "print(sent)\n")
    quiet = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"MINILLM_GRADING": "0"})
    assert quiet.stdout.strip() == "[]"
    loud = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"MINILLM_GRADING": "1"})
    assert "'kind': 'close'" in loud.stdout and "'shape': [2], 'data': [1.0, 2.0]" in loud.stdout
    assert "'kind': 'equal', 'value': [1, 'a']" in loud.stdout


def test_full_mode_is_forced_off_under_grading(monkeypatch):
    monkeypatch.delenv("MINILLM_TINY", raising=False)
    assert full_mode(True) and not full_mode(False)
    monkeypatch.setenv("MINILLM_TINY", "1")
    assert not full_mode(True)
    with pytest.raises(TypeError, match="FULL must be True or False"):
        full_mode("yes")


def test_check_close_says_where_the_worst_element_is():
    expected = torch.zeros(2, 3)
    actual = expected.clone()
    actual[1, 2] = 0.5
    with pytest.raises(AssertionError, match=r"largest difference 0.5 at index \(1, 2\): got 0.5, expected 0"):
        check_close(actual, expected, "m")
    with pytest.raises(AssertionError, match=r"largest difference 2 at index 1: got 3, expected 1"):
        check_close([1.0, 3.0], [1.0, 1.0], "m")
    with pytest.raises(AssertionError, match=r"largest difference 1: got 2, expected 1 \("):
        check_close(2.0, 1.0, "m")
    with pytest.raises(AssertionError, match=r"largest difference inf at index 0: got -inf, expected inf"):
        check_close([-float("inf")], [float("inf")], "m")


def test_nan_fails_check_close_with_its_position_and_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail the test
        with pytest.raises(AssertionError, match=r"NaN at index 2: got nan, expected 3"):
            check_close([1.0, 2.0, float("nan"), float("nan")], [1.0, 2.0, 3.0, 4.0], "m")
        with pytest.raises(AssertionError, match=r"NaN at index \(0, 1\)"):
            check_close(torch.tensor([[0.0, float("nan")]]), torch.zeros(1, 2), "m")
        with pytest.raises(AssertionError, match=r"NaN: got nan, expected nan"):
            check_close(float("nan"), float("nan"), "m")


def test_records_carry_their_message_and_hidden_ones_say_so():
    code = ("from IPython.core.interactiveshell import InteractiveShell\n"
            "from minillm.checks import check_equal, record_close\n"
            "shell = InteractiveShell.instance()\n"
            "sent = []\n"
            "shell.display_pub.publish = lambda data, **kw: sent.append(data)\n"
            "check_equal(3, 3, 'three a in banana')\n"
            "record_close(1.0, 'hidden: one')\n"
            "print([list(d.values())[0] for d in sent])\n")
    loud = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"MINILLM_GRADING": "1"})
    assert "'kind': 'equal', 'value': 3, 'message': 'three a in banana'}" in loud.stdout
    assert "'message': 'hidden: one', 'hidden': True" in loud.stdout
