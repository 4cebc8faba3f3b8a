"""Verifiable rewards against the synthetic tasks' own answers, and the exact judge's win rate by hand."""

import pytest

from minillm import tasks
from minillm.rewards import correctness_reward, format_reward, task_reward, win_rate


def test_every_task_solution_is_well_formed_and_correct():
    examples = tasks.arithmetic(50, seed=1) + tasks.list_ops(50, seed=1)
    for ex in examples:
        assert format_reward(ex.solution) == 1.0 and format_reward(ex.solution + "\n") == 1.0
        assert correctness_reward(ex.solution, ex.answer) == 1.0
        assert task_reward(ex.solution, ex.answer, format_weight=0.25) == 1.25


@pytest.mark.parametrize("completion,tidy,right", [
    ("<calc>3+4</calc><result>7</result>7", 1.0, 1.0),
    ("<calc>3+4</calc><result>7</result>8", 1.0, 0.0),  # the answer after the trace is the one that counts
    ("7 ", 0.0, 1.0),                                   # final_answer strips, the format does not allow a space
    ("the answer is 7", 0.0, 0.0),
    ("-7", 1.0, 0.0),
    ("3, 4, 9", 1.0, 0.0),
    ("", 0.0, 0.0),
    ("<calc>3+4</calc>7", 0.0, 0.0),                  # no </result>: the whole text is the answer
])
def test_format_and_correctness_by_hand(completion, tidy, right):
    assert format_reward(completion) == tidy
    assert correctness_reward(completion, "7") == right


def test_bad_answers_and_the_win_rate():
    with pytest.raises(ValueError, match="answer"):
        correctness_reward("7", "")
    assert win_rate([True, True, False, False], [False, True, True, False]) == 0.5
    assert win_rate([True, True, True], [False, False, True]) == pytest.approx(5 / 6)
    with pytest.raises(ValueError, match="equally long"):
        win_rate([True], [True, False])
