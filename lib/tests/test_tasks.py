"""Task generators: seeded, verifiable by an independent route, and train/test never overlap."""

import re

import numpy as np
import pytest

from minillm import tasks
from minillm.tasks import Example, arithmetic, final_answer, list_ops, split_of

GENERATORS = [arithmetic, list_ops]


def python_value(expression: str) -> int:
    """The independent route for arithmetic: Python itself, on text that is digits and + - * only."""
    assert re.fullmatch(r"\d+([-+*]\d+)*", expression), expression
    return eval(expression, {"__builtins__": {}})  # trusted text: the pattern above holds


def numpy_answer(prompt: str) -> str:
    op, args = re.fullmatch(r"(\w+)\(([\d, ]+)\)=", prompt).groups()
    values = np.array([int(v) for v in args.split(", ")])
    if op == "sort":
        return ", ".join(str(v) for v in np.sort(values))
    return str({"max": values.max(), "min": values.min(), "sum": values.sum(), "len": values.size}[op])


@pytest.mark.parametrize("generate", GENERATORS)
def test_same_seed_same_examples_other_seed_other_examples(generate):
    assert generate(50, seed=3) == generate(50, seed=3)
    assert generate(50, "test", seed=3) == generate(50, "test", seed=3)
    assert generate(50, seed=3) != generate(50, seed=4)
    assert generate(20, seed=3) == generate(50, seed=3)[:20], "a longer list starts with the shorter one"


@pytest.mark.parametrize("generate", GENERATORS)
def test_train_and_test_never_overlap_whatever_n_and_seed(generate):
    train = {e.prompt for seed in range(3) for e in generate(400, "train", seed=seed)}
    test = {e.prompt for seed in range(3) for e in generate(400, "test", seed=seed)}
    assert len(test) > 400 and len(train) > 400
    assert not train & test
    assert all(split_of(p) == "test" for p in test) and all(split_of(p) == "train" for p in train)


def test_split_is_a_property_of_the_problem_and_about_a_fifth_is_test():
    prompts = [f"{a}+{b}=" for a in range(100) for b in range(100)]
    share = sum(split_of(p) == "test" for p in prompts) / len(prompts)
    assert abs(share - tasks.TEST_PERCENT / 100) < 0.02
    assert split_of("12+7*3=") == split_of("12+7*3="), "stable"


@pytest.mark.parametrize("seed", range(4))
def test_arithmetic_answers_agree_with_python(seed):
    examples = arithmetic(300, "test", seed=seed, terms=(1, 4))
    assert len({e.prompt for e in examples}) == 300, "distinct problems"
    for e in examples:
        expression = e.prompt.removesuffix("=")
        assert e.prompt == expression + "="
        assert e.answer == str(python_value(expression))
        assert e.solution == f"<calc>{expression}</calc><result>{e.answer}</result>{e.answer}"
        assert e.text == e.prompt + e.solution + "\n"
    assert any(e.answer.startswith("-") for e in examples), "subtraction can go below zero"


def test_arithmetic_respects_its_ranges():
    examples = arithmetic(200, max_operand=9, terms=(3, 3), ops="*")
    for e in examples:
        operands = e.prompt.removesuffix("=").split("*")
        assert len(operands) == 3 and all(0 <= int(x) <= 9 for x in operands)


@pytest.mark.parametrize("seed", range(4))
def test_list_ops_answers_agree_with_numpy(seed):
    examples = list_ops(300, "train", seed=seed)
    assert {e.prompt.split("(")[0] for e in examples} == set(tasks.LIST_OPS)
    for e in examples:
        assert e.answer == numpy_answer(e.prompt), e
        if e.prompt.startswith("sum("):
            terms = e.prompt[4:-2].replace(", ", "+")
            assert e.solution == f"<calc>{terms}</calc><result>{e.answer}</result>{e.answer}"
            assert str(python_value(terms)) == e.answer
        else:
            assert e.solution == e.answer


def test_example_is_frozen():
    e = Example("1+1=", "2", "2")
    with pytest.raises(AttributeError):
        e.answer = "3"


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: arithmetic(5, split="val"), "split"),
        (lambda: arithmetic(-1), "n"),
        (lambda: arithmetic(5, ops="/"), "ops"),
        (lambda: arithmetic(5, terms=(3, 2)), "terms"),
        (lambda: arithmetic(5, max_operand=0), "max_operand"),
        (lambda: list_ops(5, ops=("mean",)), "ops"),
        (lambda: list_ops(5, length=(0, 2)), "length"),
    ],
)
def test_bad_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_too_small_a_problem_space_says_so():
    with pytest.raises(ValueError, match="distinct"):
        arithmetic(50, "test", max_operand=2, terms=(1, 1))  # only 0, 1, 2 exist
    assert arithmetic(0) == []


def test_final_answer_reads_after_the_last_result():
    for e in arithmetic(20) + list_ops(20):
        assert final_answer(e.solution + "\n" + "junk") == e.answer
    assert final_answer("<calc>1+1</calc><result>2</result> 3 \n4") == "3"
    assert final_answer("<calc>1+1</calc><result>2</result>") == ""
    assert final_answer("-12") == "-12"


def test_knowledge_base_states_and_asks_each_fact_by_hand():
    fact = tasks.Fact("Zorn", "river", "Amsel")
    assert fact.text == "The river Amsel flows through Zorn."
    assert fact.question == "Which river flows through Zorn?"
    assert tasks.Fact("Zorn", "provinces", "4").question == "How many provinces does Zorn have?"


def test_knowledge_base_is_seeded_with_distinct_names_and_every_relation():
    facts = tasks.knowledge_base(200, seed=3)
    assert facts == tasks.knowledge_base(200, seed=3) and facts != tasks.knowledge_base(200, seed=4)
    assert len(facts) == 200 * len(tasks.RELATIONS)
    subjects = [f.subject for f in facts if f.relation == "capital"]
    names = subjects + [f.value for f in facts if f.relation in ("capital", "river")]
    assert len(set(names)) == len(names) == 600, "subjects, capitals and rivers share no name"
    for subject in subjects[:5]:
        assert sorted(f.relation for f in facts if f.subject == subject) == sorted(tasks.RELATIONS)
    assert tasks.knowledge_base(0) == []


def test_fact_questions_hold_out_whole_subjects():
    facts = tasks.knowledge_base(300)
    train, test = tasks.fact_questions(facts, "train"), tasks.fact_questions(facts, "test")
    assert len(train) + len(test) == len(facts) and 0.1 < len(test) / len(facts) < 0.3
    subject_of = {f.question: f.subject for f in facts}
    assert not {subject_of[e.prompt] for e in train} & {subject_of[e.prompt] for e in test}
    fact = facts[0]
    (example,) = [e for e in train + test if e.prompt == fact.question]
    assert example.answer == fact.value and example.text == f"{fact.question}{fact.value}\n"


def test_bm25_finds_the_fact_that_answers_each_question():
    from minillm.retrieval import BM25, tokenize

    facts = tasks.knowledge_base(100)
    index = BM25([tokenize(f.text) for f in facts])
    for i, fact in enumerate(facts):
        assert int(index.scores(tokenize(fact.question)).argmax()) == i, fact.question


@pytest.mark.parametrize("call, name", [(lambda: tasks.knowledge_base(-1), "n_subjects"),
                                        (lambda: tasks.fact_questions([], "val"), "split")])
def test_bad_knowledge_base_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()
