"""The eval sets: shipped files equal what their seed builds, held-out text only, datasets loading, and the
hub benchmarks' field mapping on small local files shaped like them (no network)."""

import json

import pytest

from minillm import evalsets, tasks
from minillm.data import find_data_file
from minillm.metrics import NGramIndex, words


@pytest.fixture(scope="module")
def corpus():
    return find_data_file("tinyshakespeare.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(evalsets.SIZES))
def test_shipped_files_are_what_the_seed_builds_and_load_through_datasets(name):
    shipped = [json.loads(line) for line in find_data_file(f"eval/{name}.jsonl").read_text().splitlines()]
    assert shipped == evalsets.build(name)
    assert len(shipped) == evalsets.SIZES[name]
    assert evalsets.load(name) == shipped
    assert evalsets.load(name, limit=5) == shipped[:5]


def test_cloze_items_come_from_held_out_text(corpus):
    held_out = evalsets.held_out_text(corpus)
    assert corpus.endswith(held_out) and len(held_out) == len(corpus) - int(len(corpus) * 0.9)
    items = evalsets.load("shakespeare_cloze")
    for item in items:
        true_line = item["choices"][item["gold"]]
        assert item["context"].endswith("\n") and item["context"] + true_line + "\n" in held_out
        assert len(item["choices"]) == 4 and len(set(item["choices"])) == 4
    assert sorted({item["gold"] for item in items}) == [0, 1, 2, 3]
    training = NGramIndex(words(corpus[: len(corpus) - len(held_out)]), n=13)
    overlaps = [training.overlap(words(item["context"] + item["choices"][item["gold"]])) for item in items]
    assert sum(overlaps) / len(overlaps) < 0.01  # the held-out text is not in the training text


def test_make_cloze_is_seeded():
    text = "A:\nfirst line of verse\nsecond line of verse\nthird line of verse\n\nB:\nanother line here\nand more lines\n"
    one = evalsets.make_cloze(text, 2, n_choices=2, context_lines=1, seed=3)
    assert one == evalsets.make_cloze(text, 2, n_choices=2, context_lines=1, seed=3)
    for item in one:
        assert len(item["context"].split("\n")) == 2  # one line of context and the final newline
    with pytest.raises(ValueError, match="fewer than n=50"):
        evalsets.make_cloze(text, 50)


def test_arithmetic_set_is_the_test_split_with_exact_answers():
    rows = evalsets.load("arithmetic")
    expected = tasks.arithmetic(len(rows), "test", evalsets.SEED)
    assert [(r["prompt"], r["answer"], r["solution"]) for r in rows] == [(e.prompt, e.answer, e.solution) for e in expected]
    train_prompts = {e.prompt for e in tasks.arithmetic(2000, "train")}
    assert not train_prompts & {r["prompt"] for r in rows}


def write_json_lines(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def test_hellaswag_mapping(tmp_path):
    row = dict(ind=4, activity_label="Removing ice from car", ctx_a="Then, the man writes over the snow.",
               ctx_b="then", ctx="Then, the man writes over the snow. then", split="val", split_type="indomain",
               endings=[", the man wipes it [title] off.", " the man drives.", "a [step] dog runs.", "he sleeps."],
               label="3", source_id="x")
    [item] = evalsets.load("hellaswag", data_files=write_json_lines(tmp_path / "hellaswag.jsonl", [row]))
    assert item == {"context": "Removing ice from car: Then, the man writes over the snow. Then",
                    "choices": [", the man wipes it. off.", "the man drives.", "a dog runs.", "he sleeps."], "gold": 3}
    assert evalsets.delimiter("hellaswag") == " "


def test_arc_mapping(tmp_path):
    rows = [dict(id="Q1", question="Which is a gas?", answerKey="C",
                 choices={"text": ["rock", "water", "steam"], "label": ["A", "B", "C"]}),
            dict(id="Q2", question="2?", answerKey="1", choices={"text": ["yes", "no"], "label": ["1", "2"]})]
    items = evalsets.load("arc_easy", data_files=write_json_lines(tmp_path / "arc.jsonl", rows))
    assert items == [{"context": "Question: Which is a gas?\nAnswer:", "choices": ["rock", "water", "steam"], "gold": 2},
                     {"context": "Question: 2?\nAnswer:", "choices": ["yes", "no"], "gold": 0}]


def test_gsm8k_mapping(tmp_path):
    row = dict(question="Natalia sold 48 clips in April and half as many in May. How many in all?",
               answer="In May she sold 48/2 = <<48/2=24>>24 clips.\nIn all 48+24 = <<48+24=72>>72.\n#### 1,072")
    [item] = evalsets.load("gsm8k", data_files=write_json_lines(tmp_path / "gsm8k.jsonl", [row]))
    assert item["prompt"] == f"Question: {row['question']}\nAnswer:"
    assert item["answer"] == "1072" and item["solution"].endswith("<<48+24=72>>72.")


def test_unknown_set():
    with pytest.raises(ValueError, match="no eval set 'mmlu'"):
        evalsets.load("mmlu")
    with pytest.raises(ValueError, match="no local eval set"):
        evalsets.build("gsm8k")
