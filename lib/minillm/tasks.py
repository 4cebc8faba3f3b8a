"""Synthetic, seeded, verifiable tasks: arithmetic with calculator calls, list operations, and fact lookups
over a made-up knowledge base.

Each task is a list of `Example`s. The text format (what the notebooks train on and score against):

    prompt    "12+7*3="                                   arithmetic: the expression, then "="
              "max(3, 9, 4)="                             list ops: an operation over numbers, then "="
    solution  "<calc>12+7*3</calc><result>33</result>33"  arithmetic and sum(...): a calculator call, the
                                                          result the calculator returns, then the answer
              "9"                                         max, min, len, sort: the answer alone
    answer    "33"                                        the exact expected answer text
    text      prompt + solution + "\\n"                    a training document; generation stops at "\\n"

A model that uses the tool writes the `<calc>...</calc>` span and the generation loop in `minillm.tools`
forces the `<result>...</result>` span; without the tool the model has to write the result digits itself.

Which split a problem belongs to is decided by the problem alone (a stable hash of its prompt, see
`split_of`), so the train and test examples of a task never overlap, whatever `n` and `seed`. The same
arguments give the same examples. Within one call the examples are distinct problems.
"""

import hashlib
import random
from dataclasses import dataclass

SPLITS = ("train", "test")
TEST_PERCENT = 20  # the share of all problems that belong to the test split
CALL, RESULT = ("<calc>", "</calc>"), ("<result>", "</result>")
LIST_OPS = ("max", "min", "sum", "sort", "len")
RELATIONS = {  # relation: (statement, question), with {subject} and {value} filled in
    "capital": ("The capital of {subject} is {value}.", "What is the capital of {subject}?"),
    "river": ("The river {value} flows through {subject}.", "Which river flows through {subject}?"),
    "provinces": ("{subject} has {value} provinces.", "How many provinces does {subject} have?"),
    "trade": ("The people of {subject} trade {value}.", "What do the people of {subject} trade?"),
}
GOODS = ("salt", "copper", "wool", "amber", "tin", "silk", "honey", "glass", "timber", "spices", "iron", "wine")


@dataclass(frozen=True)
class Example:
    prompt: str  # what the model is given, e.g. "12+7*3="
    answer: str  # the exact expected answer, e.g. "33"
    solution: str  # the target after the prompt, e.g. "<calc>12+7*3</calc><result>33</result>33"

    @property
    def text(self) -> str:
        """A training document: prompt, solution and the end-of-answer newline."""
        return self.prompt + self.solution + "\n"


def calc_trace(expression: str, value: str) -> str:
    """The solution text for an answer worked out by the calculator: call, result, answer."""
    return f"{CALL[0]}{expression}{CALL[1]}{RESULT[0]}{value}{RESULT[1]}{value}"


def final_answer(completion: str) -> str:
    """The answer a completion gives: its text after the last "</result>" (all of it if none), up to "\\n"."""
    after = completion.rsplit(RESULT[1], 1)[-1]
    return after.split("\n", 1)[0].strip()


def split_of(prompt: str) -> str:
    """The split a problem belongs to: "test" for about TEST_PERCENT% of prompts, by a stable hash."""
    digest = hashlib.sha256(prompt.encode()).digest()
    return "test" if int.from_bytes(digest[:8], "big") % 100 < TEST_PERCENT else "train"


def arithmetic(
    n: int,
    split: str = "train",
    seed: int = 0,
    max_operand: int = 99,
    terms: tuple[int, int] = (2, 3),
    ops: str = "+-*",
) -> list[Example]:
    """`n` integer expressions of `terms[0]` to `terms[1]` operands in 0..max_operand joined by `ops`.

    Python's precedence applies (* before + and -); answers may be negative.
    """
    if not set(ops) <= set("+-*") or not ops:
        raise ValueError(f"ops must be a non-empty selection of '+-*', got {ops!r}")
    low, high = terms
    if not 1 <= low <= high:
        raise ValueError(f"terms must be (low, high) with 1 <= low <= high, got {terms!r}")
    _check_bound("max_operand", max_operand)

    def draw(rng: random.Random) -> Example:
        operands = [rng.randint(0, max_operand) for _ in range(rng.randint(low, high))]
        signs = [rng.choice(ops) for _ in operands[1:]]
        expression = str(operands[0]) + "".join(f"{s}{x}" for s, x in zip(signs, operands[1:]))
        value = str(_evaluate(operands, signs))
        return Example(prompt=f"{expression}=", answer=value, solution=calc_trace(expression, value))

    return _sample(draw, n, split, seed, "arithmetic")


def list_ops(
    n: int,
    split: str = "train",
    seed: int = 0,
    max_value: int = 99,
    length: tuple[int, int] = (2, 5),
    ops: tuple[str, ...] = LIST_OPS,
) -> list[Example]:
    """`n` problems such as "max(3, 9, 4)=" -> "9", over `length[0]` to `length[1]` numbers in 0..max_value.

    Answers: max, min, sum and len a number; sort the numbers in ascending order, as "3, 4, 9".
    sum is worked out with a calculator call; the others are answered directly.
    """
    if not ops or not set(ops) <= set(LIST_OPS):
        raise ValueError(f"ops must be a non-empty selection of {LIST_OPS}, got {ops!r}")
    low, high = length
    if not 1 <= low <= high:
        raise ValueError(f"length must be (low, high) with 1 <= low <= high, got {length!r}")
    _check_bound("max_value", max_value)
    answer_of = {"max": max, "min": min, "sum": sum, "len": len, "sort": lambda xs: ", ".join(map(str, sorted(xs)))}

    def draw(rng: random.Random) -> Example:
        op = rng.choice(ops)
        values = [rng.randint(0, max_value) for _ in range(rng.randint(low, high))]
        answer = str(answer_of[op](values))
        solution = calc_trace("+".join(map(str, values)), answer) if op == "sum" else answer
        return Example(prompt=f"{op}({', '.join(map(str, values))})=", answer=answer, solution=solution)

    return _sample(draw, n, split, seed, "list_ops")


@dataclass(frozen=True)
class Fact:
    """One made-up fact: subject "Zorn", relation "capital", value "Vell"."""

    subject: str
    relation: str
    value: str

    @property
    def text(self) -> str:
        """The statement, e.g. "The capital of Zorn is Vell."."""
        return RELATIONS[self.relation][0].format(subject=self.subject, value=self.value)

    @property
    def question(self) -> str:
        """The question it answers, e.g. "What is the capital of Zorn?"."""
        return RELATIONS[self.relation][1].format(subject=self.subject, value=self.value)


def knowledge_base(n_subjects: int, seed: int = 0) -> list[Fact]:
    """`n_subjects` made-up places, each with one fact per relation in RELATIONS (n_subjects * 4 facts).

    Names are random syllables ("Vel", "Zorimak"), distinct across subjects and values, so no pretraining text
    can hold these facts: a model knows them only by reading them. The same arguments give the same facts.
    """
    if not isinstance(n_subjects, int) or n_subjects < 0:
        raise ValueError(f"n_subjects must be a non-negative integer, got {n_subjects!r}")
    rng = random.Random(f"knowledge_base/{seed}")
    used: set[str] = set()

    def name() -> str:
        while True:
            syllables = [rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(1, 3))]
            word = ("".join(syllables) + rng.choice(("", "n", "r", "sh", "k"))).capitalize()
            if len(word) > 2 and word not in used:
                used.add(word)
                return word

    facts = []
    for _ in range(n_subjects):
        subject = name()
        values = {"capital": name(), "river": name(), "provinces": str(rng.randint(2, 30)),
                  "trade": rng.choice(GOODS)}
        facts += [Fact(subject, relation, values[relation]) for relation in RELATIONS]
    return facts


def fact_questions(facts: list[Fact], split: str = "train") -> list[Example]:
    """The question of each fact whose subject belongs to `split`, answered by the fact's value.

    The split is decided by the subject (split_of), so every question about a test subject is held out
    together: a model trained on the train questions has never seen a test subject's facts.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    return [Example(prompt=f.question, answer=f.value, solution=f.value) for f in facts if split_of(f.subject) == split]


def _evaluate(operands: list[int], signs: list[str]) -> int:
    """The value of operands joined by signs, products first (Python's precedence for + - *)."""
    total, product = 0, operands[0]
    sign = 1
    for s, x in zip(signs, operands[1:]):
        if s == "*":
            product *= x
        else:
            total += sign * product
            sign, product = (1 if s == "+" else -1), x
    return total + sign * product


def _check_bound(name: str, value: int) -> None:
    if not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _sample(draw, n: int, split: str, seed: int, task: str) -> list[Example]:
    """`n` distinct examples of `split`, drawn with a generator seeded by (task, split, seed)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    rng = random.Random(f"{task}/{split}/{seed}")
    examples: dict[str, Example] = {}
    for _ in range(50 * n + 1000):
        if len(examples) == n:
            break
        example = draw(rng)
        if split_of(example.prompt) == split:
            examples.setdefault(example.prompt, example)
    if len(examples) < n:
        raise ValueError(f"{task}: could not find n={n} distinct {split} problems; widen the ranges")
    return list(examples.values())
