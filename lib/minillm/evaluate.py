"""A small evaluation harness: a registry of tasks, run against a library model and its tokenizer, results
written as JSON, and a plotly dashboard of results across checkpoints or models.

A `Task` is a name, a list of examples (dicts), a kind and a prompt format. The kind fixes the fields an
example needs and the metrics:
    "choice"       context, choices, gold   acc, acc_norm (log-likelihood of delimiter + choice given the
                                            prompt, see minillm.metrics)
    "exact_match"  prompt, answer           exact_match of a greedy completion (up to a newline), with or
                                            without the calculator tool (minillm.tools)
    "text"         text                     bits_per_byte and perplexity (per token) of the text

    register(Task("arith", "exact_match", evalsets.load("arithmetic")))
    record = evaluate(model, tokenizer, ["arith"], label="step 400", path="results/step400.json")
    dashboard([record, ...]).show()

Every example of a task is checked before any of them is scored: an empty task, a missing field, text the
tokenizer cannot encode or a prompt longer than the model's context raise a ValueError naming the task, the
example's index and the field.
"""

import dataclasses
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots
from tqdm.auto import tqdm

from minillm import evalsets, metrics, tools
from minillm.data import find_data_file

FIELDS = {"choice": ("context", "choices", "gold"), "exact_match": ("prompt", "answer"), "text": ("text",)}
METRICS = {"choice": ("acc", "acc_norm"), "exact_match": ("exact_match",), "text": ("bits_per_byte", "perplexity")}
PROMPT_FIELD = {"choice": "context", "exact_match": "prompt", "text": "text"}


@dataclass(frozen=True)
class Task:
    """name; kind: one of FIELDS; examples: a list of dicts with the kind's FIELDS.

    prompt: example -> the text the model is given (default: the example's context, prompt or text field).
    delimiter: put between the prompt and each choice ("choice"). max_new_tokens and use_tool: the greedy
    completion of "exact_match" (use_tool runs the calculator on <calc>...</calc> spans).
    """

    name: str
    kind: str
    examples: list
    prompt: Callable[[dict], str] | None = None
    delimiter: str = ""
    max_new_tokens: int = 64
    use_tool: bool = True

    def __post_init__(self):
        if self.kind not in FIELDS:
            raise ValueError(f"task {self.name!r}: kind must be one of {tuple(FIELDS)}, got {self.kind!r}")

    def format(self, example: dict) -> str:
        return self.prompt(example) if self.prompt else example[PROMPT_FIELD[self.kind]]


REGISTRY: dict[str, Task] = {}


def register(task: Task, replace: bool = False) -> Task:
    """Add `task` to the registry under its name (replace=True overwrites a task of the same name)."""
    if task.name in REGISTRY and not replace:
        raise ValueError(f"task {task.name!r} is registered already (pass replace=True to overwrite it)")
    REGISTRY[task.name] = task
    return task


def course_tasks(limit: int | None = None, text_chunks: int = 40) -> list[Task]:
    """The course's local tasks: the Shakespeare cloze, held-out arithmetic (with the tool) and bits per byte
    on `text_chunks` speeches of held-out Shakespeare; each with its first `limit` examples."""
    corpus = find_data_file("tinyshakespeare.txt").read_text(encoding="utf-8")
    speeches = [s for s in evalsets.held_out_text(corpus).split("\n\n")[1:] if s.strip()][:text_chunks]
    return [
        Task("shakespeare_cloze", "choice", evalsets.load("shakespeare_cloze", limit=limit),
             delimiter=evalsets.delimiter("shakespeare_cloze")),
        Task("arithmetic", "exact_match", evalsets.load("arithmetic", limit=limit)),
        Task("shakespeare_text", "text", [{"text": s + "\n"} for s in speeches[:limit]]),
    ]


# ---- checking examples before running ------------------------------------------------------------------


def _encode(tokenizer, task: Task, index: int, field: str, text: str) -> list[int]:
    try:
        return list(tokenizer.encode(text))
    except ValueError as error:
        raise ValueError(f"task {task.name!r}, example {index}, field {field!r}: cannot encode it ({error})") from None


def _check_examples(task: Task, tokenizer, block_size: int) -> list[dict]:
    """Token ids of every example of `task` (prompt, and choices or nothing), or a ValueError naming the
    task, the example and the field."""
    if not task.examples:
        raise ValueError(f"task {task.name!r} has no examples")
    encoded = []
    for i, example in enumerate(task.examples):
        if not isinstance(example, dict):
            raise ValueError(f"task {task.name!r}, example {i}: expected a dict, got {type(example).__name__}")
        for field in FIELDS[task.kind]:
            if field not in example:
                raise ValueError(f"task {task.name!r}, example {i}: missing field {field!r}")
        field = PROMPT_FIELD[task.kind]
        prompt = _encode(tokenizer, task, i, field, task.format(example))
        item = {"prompt": prompt}
        if task.kind == "text":
            if len(prompt) < 2:
                raise ValueError(f"task {task.name!r}, example {i}, field 'text': needs at least 2 tokens")
        elif task.kind == "choice":
            if not isinstance(example["gold"], int) or not 0 <= example["gold"] < len(example["choices"]):
                raise ValueError(f"task {task.name!r}, example {i}, field 'gold': {example['gold']!r} is not "
                                 f"the index of one of its {len(example['choices'])} choices")
            item["choices"] = [_encode(tokenizer, task, i, "choices", task.delimiter + c) for c in example["choices"]]
            needed = len(prompt) + max(len(c) for c in item["choices"]) - 1
            if needed > block_size or not prompt:
                raise ValueError(f"task {task.name!r}, example {i}, field {field!r}: the prompt and its longest "
                                 f"choice need {needed} positions; the model's context (block_size) is {block_size}")
        elif not 0 < len(prompt) < block_size:
            raise ValueError(f"task {task.name!r}, example {i}, field {field!r}: the prompt is {len(prompt)} tokens; "
                             f"the model's context (block_size) is {block_size}, with room for the answer")
        encoded.append(item)
    return encoded


# ---- running -------------------------------------------------------------------------------------------


def _score(model, tokenizer, task: Task, example: dict, item: dict) -> dict[str, float]:
    """Per-example statistics, summed over examples by `run_task`."""
    if task.kind == "choice":
        logprobs = metrics.choice_logprobs(model, item["prompt"], item["choices"])
        pred, pred_norm = metrics.choose(logprobs.tolist(), example["choices"])
        return {"acc": float(pred == example["gold"]), "acc_norm": float(pred_norm == example["gold"])}
    if task.kind == "exact_match":
        run = tools.generate_with_tools(tools.model_next_token(model), tokenizer, task.format(example),
                                        task.max_new_tokens, model.config.block_size, use_tool=task.use_tool)
        return {"exact_match": float(metrics.exact_match(run.text, str(example["answer"])))}
    ids = item["prompt"]
    nlls = metrics.sequence_nlls(model, ids)
    return {"nll": nlls.double().sum().item(), "tokens": len(ids) - 1,
            "bytes": sum(len(tokenizer.vocab[i]) for i in ids[1:])}


def run_task(model, tokenizer, task: Task, progress: bool = False) -> dict[str, float]:
    """{metric: value} of `model` on `task` (see METRICS), the model in eval mode. Checks every example first."""
    encoded = _check_examples(task, tokenizer, model.config.block_size)
    was_training = model.training
    model.eval()
    totals: dict[str, float] = {}
    for example, item in zip(task.examples, tqdm(encoded, desc=task.name, disable=not progress, leave=False)):
        for key, value in _score(model, tokenizer, task, example, item).items():
            totals[key] = totals.get(key, 0.0) + value
    model.train(was_training)
    if task.kind == "text":
        return {"bits_per_byte": totals["nll"] / (math.log(2) * totals["bytes"]),
                "perplexity": math.exp(totals["nll"] / totals["tokens"])}
    return {key: value / len(encoded) for key, value in totals.items()}


def evaluate(model, tokenizer, tasks, label: str, path=None, progress: bool = True) -> dict:
    """Run `tasks` (Task objects or registered names) and return the results record; write it to `path`
    as JSON when given. The record: {"label", "model": {"class", "parameters", "config"}, "time" (UTC, ISO
    8601), "seconds", "results": [{"task", "metric", "value", "n"}, ...]}."""
    tasks = [REGISTRY[t] if isinstance(t, str) and t in REGISTRY else t for t in tasks]
    unknown = [t for t in tasks if not isinstance(t, Task)]
    if unknown:
        raise ValueError(f"tasks: {unknown[0]!r} is not a Task nor a registered name (registered: {sorted(REGISTRY)})")
    started = time.perf_counter()
    results = []
    for task in tqdm(tasks, desc=f"evaluating {label}", disable=not progress):
        for metric, value in run_task(model, tokenizer, task, progress).items():
            results.append({"task": task.name, "metric": metric, "value": value, "n": len(task.examples)})
    record = {
        "label": label,
        "model": {"class": type(model).__name__, "parameters": sum(p.numel() for p in model.parameters()),
                  "config": dataclasses.asdict(model.config)},
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 3),
        "results": results,
    }
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record


def load_results(paths) -> list[dict]:
    """The records of JSON results files, in the order given."""
    return [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]


def report_card(record: dict) -> str:
    """The results of one record as a plain-text table."""
    lines = [f"{record['label']}: {record['model']['parameters']:,} parameters, {record['seconds']:.1f} s",
             f"{'task':<20} {'metric':<14} {'value':>9} {'n':>5}"]
    lines += [f"{r['task']:<20} {r['metric']:<14} {r['value']:>9.4f} {r['n']:>5}" for r in record["results"]]
    return "\n".join(lines)


def dashboard(records, title: str = "evaluation") -> go.Figure:
    """One panel per (task, metric), its value for each record in order (checkpoints or models on x)."""
    if not records:
        raise ValueError("records must not be empty")
    panels = list(dict.fromkeys((r["task"], r["metric"]) for record in records for r in record["results"]))
    columns = min(3, len(panels))
    figure = make_subplots(rows=math.ceil(len(panels) / columns), cols=columns,
                           subplot_titles=[f"{task}: {metric}" for task, metric in panels])
    for k, (task, metric) in enumerate(panels):
        points = [(rec["label"], r["value"]) for rec in records for r in rec["results"]
                  if (r["task"], r["metric"]) == (task, metric)]
        figure.add_trace(go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="lines+markers",
                                    name=f"{task}: {metric}", showlegend=False), row=k // columns + 1, col=k % columns + 1)
    figure.update_layout(title=title, height=300 * math.ceil(len(panels) / columns))
    return figure
