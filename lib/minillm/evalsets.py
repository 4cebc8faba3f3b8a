"""The course's evaluation sets, made from a seed and shipped under data/eval/, and hub benchmarks mapped onto
the same fields, all loaded through Hugging Face `datasets`.

Two shapes of example:
    choice sets   {"context": str, "choices": [str, ...], "gold": int}   scored by log-likelihood
    answer sets   {"prompt": str, "answer": str, ...}                     scored by exact match

Local sets (`python -m minillm.evalsets` writes them; the same seed gives the same files):
    shakespeare_cloze  a few lines of a speech from the held-out end of tinyshakespeare.txt (the last
                       HELD_OUT_FRACTION, which no course notebook trains on), the true next line and
                       distractor lines from elsewhere in that held-out text
    arithmetic         the test split of minillm.tasks.arithmetic, with exact answers
Hub sets (need a network; `data_files=` reads local JSON files shaped like them instead):
    hellaswag (Rowan/hellaswag), arc_easy (allenai/ai2_arc, ARC-Easy), gsm8k (openai/gsm8k, main),
    mapped as lm-evaluation-harness formats them. A choice set's continuation is scored after
    `delimiter(name)`: "" for the cloze (its context ends with a newline), " " for the hub sets.
"""

import json
import random
import re
from pathlib import Path

from minillm import tasks
from minillm.data import find_data_file, train_val_split

HELD_OUT_FRACTION = 0.1  # the end of the corpus that training never sees (train_val_split's validation part)
SIZES = {"shakespeare_cloze": 300, "arithmetic": 200}
SEED = 0


def held_out_text(text: str) -> str:
    """The last HELD_OUT_FRACTION of the corpus: train_val_split's validation part."""
    return train_val_split(text, HELD_OUT_FRACTION)[1]


def make_cloze(text: str, n: int, n_choices: int = 4, context_lines: int = 3, seed: int = SEED) -> list[dict]:
    """`n` cloze items from `text` (use `held_out_text`): the `context_lines` lines before a line of verse
    (fewer at the start of a speech, whose first line is the speaker's name), then that line among `n_choices`
    lines, the others drawn from the verse of the whole text. Contexts end with a newline."""
    lines = text.split("\n")

    def is_verse(line):  # a line of a speech, not a speaker's name ("ROMEO:") or a blank
        return len(line) >= 10 and not line.endswith(":")

    verse = sorted({line for line in lines if is_verse(line)})
    targets = [i for i in range(1, len(lines)) if is_verse(lines[i]) and is_verse(lines[i - 1])]
    if len(targets) < n:
        raise ValueError(f"text has {len(targets)} lines that could be cloze targets, fewer than n={n}")
    rng = random.Random(seed)
    items = []
    for i in sorted(rng.sample(targets, n)):
        start = i
        while start > 0 and lines[start - 1] and i - start < context_lines:  # back to the speech's start
            start -= 1
        distractors = rng.sample([line for line in verse if line != lines[i]], n_choices - 1)
        gold = rng.randrange(n_choices)
        choices = distractors[:gold] + [lines[i]] + distractors[gold:]
        items.append({"context": "\n".join(lines[start:i]) + "\n", "choices": choices, "gold": gold})
    return items


def make_arithmetic(n: int, seed: int = SEED) -> list[dict]:
    """`n` held-out arithmetic problems (minillm.tasks.arithmetic, test split) as prompt/answer/solution."""
    return [{"prompt": e.prompt, "answer": e.answer, "solution": e.solution} for e in tasks.arithmetic(n, "test", seed)]


def build(name: str) -> list[dict]:
    """The local set `name` made from its seed, as it is shipped."""
    if name == "shakespeare_cloze":
        text = find_data_file("tinyshakespeare.txt").read_text(encoding="utf-8")
        return make_cloze(held_out_text(text), SIZES[name])
    if name == "arithmetic":
        return make_arithmetic(SIZES[name])
    raise ValueError(f"name: no local eval set {name!r}; local sets are {sorted(SIZES)}")


def write_jsonl(rows: list[dict], path) -> None:
    """One JSON object per line, UTF-8."""
    Path(path).write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


# ---- hub benchmarks: their fields -> ours -----------------------------------------------------------


def _hellaswag_text(text: str) -> str:
    # WikiHow contexts carry markers such as " [title]" and "[step]"; lm-evaluation-harness removes them so
    text = text.strip().replace(" [title]", ". ")
    return re.sub(r"\[.*?\]", "", text).replace("  ", " ")


def from_hellaswag(row: dict) -> dict:
    ctx = row["ctx_a"] + " " + row["ctx_b"].capitalize()
    return {
        "context": _hellaswag_text(row["activity_label"] + ": " + ctx),
        "choices": [_hellaswag_text(ending) for ending in row["endings"]],
        "gold": int(row["label"]),
    }


def from_arc(row: dict) -> dict:
    labels = list(row["choices"]["label"])
    return {
        "context": f"Question: {row['question']}\nAnswer:",
        "choices": list(row["choices"]["text"]),
        "gold": labels.index(row["answerKey"]),
    }


def from_gsm8k(row: dict) -> dict:
    reasoning, _, answer = row["answer"].rpartition("####")
    return {"prompt": f"Question: {row['question']}\nAnswer:", "answer": answer.strip().replace(",", ""),
            "solution": reasoning.strip()}


HUB = {  # name: (hub path, configuration, split, mapping)
    "hellaswag": ("Rowan/hellaswag", None, "validation", from_hellaswag),
    "arc_easy": ("allenai/ai2_arc", "ARC-Easy", "test", from_arc),
    "gsm8k": ("openai/gsm8k", "main", "test", from_gsm8k),
}
DELIMITERS = {"shakespeare_cloze": "", "hellaswag": " ", "arc_easy": " "}


def delimiter(name: str) -> str:
    """What goes between a choice set's context and each choice when it is scored."""
    return DELIMITERS[name]


def load(name: str, data_files=None, limit: int | None = None) -> list[dict]:
    """Examples of eval set `name` (a local set, or a hub set, see HUB) as a list of dicts in our fields.

    Local sets: data/eval/<name>.jsonl through `datasets`' JSON loader (built from the seed when the file is
    absent, e.g. on Colab). Hub sets: downloaded through `datasets.load_dataset` (needs a network), or read
    from `data_files` (local JSON files with the hub's fields). `limit`: the first `limit` examples.
    """
    from datasets import load_dataset  # imported here: a slow import that only loading needs

    if name in SIZES:
        try:
            path = data_files or find_data_file(f"eval/{name}.jsonl")
        except FileNotFoundError:
            rows = build(name)
        else:
            rows = load_dataset("json", data_files=str(path), split="train").to_list()
    elif name in HUB:
        path, config, split, mapping = HUB[name]
        if data_files is None:
            dataset = load_dataset(path, config, split=split)
        else:
            dataset = load_dataset("json", data_files=data_files, split="train")
        rows = [mapping(row) for row in dataset]
    else:
        raise ValueError(f"name: no eval set {name!r}; there are {sorted(SIZES) + sorted(HUB)}")
    return rows[:limit] if limit is not None else rows


def main() -> None:
    """Write every local set to data/eval/ in the repository."""
    folder = Path(__file__).resolve().parents[2] / "data" / "eval"
    folder.mkdir(parents=True, exist_ok=True)
    for name in SIZES:
        rows = build(name)
        write_jsonl(rows, folder / f"{name}.jsonl")
        print(f"{folder / name}.jsonl: {len(rows)} examples")


if __name__ == "__main__":
    main()
