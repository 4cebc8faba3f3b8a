"""Verifiable rewards (week 09): exact checks of a completion against a synthetic task's answer.

A completion is what the model wrote after the prompt, in the format of minillm.tasks' solutions: the answer
alone ("9", "3, 4, 9") or a calculator trace then the answer ("<calc>3+4</calc><result>7</result>7"). The
answer is read with tasks.final_answer. Rewards are plain floats: 1.0 or 0.0, no learned judge.
"""

import re

from minillm.tasks import final_answer

_NUMBERS = r"-?\d+(?:, -?\d+)*"
FORMAT = re.compile(rf"(?:<calc>[^<>]+</calc><result>{_NUMBERS}</result>)?{_NUMBERS}")


def format_reward(completion: str) -> float:
    """1.0 if the completion is a well-formed solution: an optional calc/result trace, then numbers separated
    by ", " and nothing else (a trailing newline allowed); 0.0 otherwise."""
    return float(FORMAT.fullmatch(completion.removesuffix("\n")) is not None)


def correctness_reward(completion: str, answer: str) -> float:
    """1.0 if the completion's final answer (tasks.final_answer) is exactly `answer`, else 0.0."""
    if not isinstance(answer, str) or not answer:
        raise ValueError(f"answer: expected the task's non-empty answer text, got {answer!r}")
    return float(final_answer(completion) == answer)


def task_reward(completion: str, answer: str, format_weight: float = 0.1) -> float:
    """correctness + format_weight * format: a right answer earns 1 plus the format bonus, a tidy wrong one
    only the bonus, so early in training the model is pushed towards the format before it is often right."""
    return correctness_reward(completion, answer) + format_weight * format_reward(completion)


def win_rate(correct, baseline_correct) -> float:
    """Win rate of a model against a baseline by an exact judge, over the same prompts.

    correct, baseline_correct: sequences of bools (is each answer right). A prompt is a win when only the model
    is right, a loss when only the baseline is, a tie otherwise; win rate = (wins + ties / 2) / prompts, so 0.5
    means no difference.
    """
    if len(correct) != len(baseline_correct) or not correct:
        raise ValueError(f"correct, baseline_correct: expected two equally long non-empty sequences, "
                         f"got {len(correct)} and {len(baseline_correct)}")
    wins = sum(bool(a) and not b for a, b in zip(correct, baseline_correct))
    ties = sum(bool(a) == bool(b) for a, b in zip(correct, baseline_correct))
    return (wins + ties / 2) / len(correct)
