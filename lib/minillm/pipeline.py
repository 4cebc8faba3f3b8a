"""Week 12: the whole path as resumable stages: tokenizer -> pretraining -> SFT -> (GRPO) -> evaluation -> chat.

    python -m minillm.pipeline --out data/checkpoints/mine --seed 0      # the shipped checkpoint: --out .../chat-small

Each stage is a folder under `out` (STAGES, in order). A finished stage holds its files and, written last,
`stage.json` = {"config": the settings it was made with, "metrics": what it measured}. `resume_or_run` is the
whole idea: a stage whose stage.json exists and records the same config is skipped (its metrics are read
back); one that records another config, or cannot be read, is a ValueError naming the file, and nothing stored
is ever overwritten. A stage runs in `<name>.partial` and is renamed when done, so an interrupted run leaves no
half stage behind: run the command again and it resumes at the first unfinished stage.

    tokenizer  byte-level with the chat's special tokens (minillm.chat.chat_tokenizer), a BPE trained on the
               corpus (week 02) with them, or a learner's own saved tokenizer           tokenizer/ (vocab, merges)
    pretrain   next-token prediction on the training part of tinyshakespeare (minillm.train.train)   model.pt
    sft        the chat format's SFT loss on arithmetic with calculator traces and list problems, with replay
               (minillm.tasks, minillm.posttrain.train_sft)                                          model.pt
    grpo       only when grpo_steps > 0: minillm.posttrain.train_grpo on the same tasks              model.pt
    eval       every trained stage through the week-05 harness (Shakespeare cloze and bits per byte) and
               held-out task accuracy answered through minillm.engine.Engine with the calculator
    chat       the last trained model, ready to chat: model.pt, model.json (its ModelConfig), tokenizer/,
               and its chat session figures (accuracy, time to first token, tokens/s)

`load_chat_model(path)` loads a chat folder (a pipeline's `out`, or its chat/ folder); with no path, the shipped
checkpoint `data/checkpoints/chat-small`, found the way minillm.data.find_data_file finds data.
Runs are deterministic given the seed on one device and thread count (the shipped one: CPU, OMP_NUM_THREADS=1).
"""

import argparse
import dataclasses
import functools
import json
import math
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

from minillm import chat, evalsets, evaluate, posttrain, tasks
from minillm.data import find_data_file, random_batches, train_val_split
from minillm.engine import Engine
from minillm.model import GPT, ModelConfig
from minillm.tokenizer import BPETokenizer
from minillm.train import AdamW, cosine_schedule, param_groups, train

STAGES = ("tokenizer", "pretrain", "sft", "grpo", "eval", "chat")
TRAINED = ("pretrain", "sft", "grpo")
STAGE_FILE = "stage.json"
REPLAY_LENGTH = 64  # tokens per replayed window of pretraining text in SFT, about a conversation's length
SHIPPED = "chat-small"  # data/checkpoints/<SHIPPED>: the course's own starting point
SHIPPED_FILES = ("chat/stage.json", "chat/model.pt", "chat/model.json", "chat/tokenizer/vocab.json",
                 "chat/tokenizer/merges.txt", "tokenizer/stage.json", "pretrain/stage.json", "sft/stage.json",
                 "eval/stage.json")  # what a Colab session fetches (the report card's records included)
REPOSITORY, BRANCH = "https://github.com/llm-from-scratch/course", "main"  # as the notebooks' set-up cell


@dataclass(frozen=True)
class PipelineConfig:
    """Every setting of a run. tokenizer: "bytes", "bpe" (trained on the corpus to vocab_size tokens) or the
    folder of a saved BPETokenizer (week 02) that has the chat's special tokens (minillm.chat.SPECIAL_TOKENS).
    n_sft conversations are two thirds arithmetic, one third list problems, mixed with sft_replay windows of
    REPLAY_LENGTH tokens of the pretraining text trained on every token (replay, week 07: without it SFT forgets
    the Shakespeare); n_eval held-out questions per task."""

    seed: int = 0
    tokenizer: str = "bytes"
    vocab_size: int = 512
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 64
    block_size: int = 256  # the week-05 cloze needs up to 209 byte tokens
    pretrain_steps: int = 300
    pretrain_batch: int = 8
    pretrain_lr: float = 3e-3
    n_sft: int = 20000
    sft_replay: int = 5000
    sft_steps: int = 1500
    sft_batch: int = 32
    sft_lr: float = 3e-3
    grpo_steps: int = 0
    grpo_lr: float = 3e-4
    n_eval: int = 100
    eval_text_chunks: int = 20

    def __post_init__(self):
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.type is int and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < (0 if f.name in ("seed", "grpo_steps") else 1)):
                raise ValueError(f"{f.name}: expected an int >= {0 if f.name in ('seed', 'grpo_steps') else 1}, "
                                 f"got {value!r}")
            if f.type is float and not (isinstance(value, (int, float)) and value > 0):
                raise ValueError(f"{f.name}: expected a positive number, got {value!r}")
        if self.tokenizer not in ("bytes", "bpe") and not (Path(self.tokenizer) / "vocab.json").is_file():
            raise ValueError(f"tokenizer: expected 'bytes', 'bpe' or a folder with a saved tokenizer (vocab.json, "
                             f"merges.txt), got {self.tokenizer!r}")

    @classmethod
    def tiny(cls, seed: int = 0) -> "PipelineConfig":
        """A run of seconds (tests, the notebook's tiny mode): every stage, GRPO included, a few steps each."""
        return cls(seed=seed, n_layer=1, n_head=2, n_embd=16, pretrain_steps=4, pretrain_batch=4,
                   n_sft=60, sft_replay=20, sft_steps=4, sft_batch=4, grpo_steps=1, n_eval=3, eval_text_chunks=2)


# Which settings each stage depends on; a stage records its own and every earlier stage's.
STAGE_FIELDS = {
    "tokenizer": ("tokenizer", "vocab_size"),
    "pretrain": ("seed", "n_layer", "n_head", "n_embd", "block_size", "pretrain_steps", "pretrain_batch",
                 "pretrain_lr"),
    "sft": ("n_sft", "sft_replay", "sft_steps", "sft_batch", "sft_lr"),
    "grpo": ("grpo_steps", "grpo_lr"),
    "eval": ("n_eval", "eval_text_chunks"),
    "chat": (),
}


def stage_config(config: PipelineConfig, stage: str) -> dict:
    """The settings `stage` is made from: its own and those of every stage before it (a plain dict)."""
    fields = [f for s in STAGES[:STAGES.index(stage) + 1] for f in STAGE_FIELDS[s]]
    return {"stage": stage, **{f: getattr(config, f) for f in fields}}


# ---- resumable stages ----------------------------------------------------------------------------------


def read_stage(folder) -> dict:
    """The {"config", "metrics"} record of a finished stage folder; ValueError naming the file if unreadable."""
    record = Path(folder) / STAGE_FILE
    try:
        stored = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{record}: not a readable stage record ({error}); delete {Path(folder)} to make the "
                         f"stage again") from None
    if not isinstance(stored, dict) or set(stored) != {"config", "metrics"}:
        raise ValueError(f"{record}: expected a JSON object with the keys 'config' and 'metrics'; delete "
                         f"{Path(folder)} to make the stage again")
    return stored


def resume_or_run(folder, config: dict, run) -> dict:
    """The metrics of the stage in `folder`, made by run(folder) -> metrics (a JSON-able dict) unless stored.

    folder/stage.json present: the same config -> its metrics (run is not called); another config or an
    unreadable file -> ValueError naming the file (and the first setting that differs). Absent: run writes its
    files into a fresh `<folder>.partial` (any older one is removed: it is an unfinished run), stage.json is
    written last and the folder renamed to `folder`, so a stage is either complete or absent. The metrics returned
are always the stored ones, read back from their JSON.
    """
    folder = Path(folder)
    if folder.exists():
        stored = read_stage(folder)
        if stored["config"] != config:
            keys = sorted(set(stored["config"]) | set(config))
            key = next(k for k in keys if stored["config"].get(k) != config.get(k))
            raise ValueError(f"{folder / STAGE_FILE}: made with {key}={stored['config'].get(key)!r}, this run asks "
                             f"{key}={config.get(key)!r}; use another output folder, or delete {folder} and the "
                             f"stages after it to make them again")
        return stored["metrics"]
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    record = json.dumps({"config": config, "metrics": run(partial)}, indent=1)
    (partial / STAGE_FILE).write_text(record + "\n", encoding="utf-8")
    partial.rename(folder)
    return json.loads(record)["metrics"]  # as a later run reads it back (tuples become lists)


# ---- files: weights, model config, tokenizer -----------------------------------------------------------


def save_model(folder, model: GPT) -> None:
    """model.pt (the state dict, torch.save) and model.json (its ModelConfig) in folder."""
    folder = Path(folder)
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, folder / "model.pt")
    (folder / "model.json").write_text(json.dumps(dataclasses.asdict(model.config), indent=1) + "\n",
                                       encoding="utf-8")


def load_model(folder, device="cpu") -> GPT:
    """The GPT saved by save_model in folder, in eval mode; ValueError naming the file that is missing or bad."""
    folder = Path(folder)
    config_path, weights_path = folder / "model.json", folder / "model.pt"
    try:
        config = ModelConfig(**json.loads(config_path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, TypeError) as error:
        raise ValueError(f"{config_path}: not a readable model config ({error})") from None
    try:
        state = torch.load(weights_path, map_location="cpu", weights_only=True)
        model = GPT(config)
        model.load_state_dict(state)
    except Exception as error:  # torch raises several kinds for a truncated or foreign file
        raise ValueError(f"{weights_path}: cannot load these weights into a GPT of {config_path} ({error})") from None
    return model.to(device).eval()


def make_tokenizer(config: PipelineConfig, text: str) -> BPETokenizer:
    """The run's tokenizer (see PipelineConfig.tokenizer); it always has the chat's special tokens."""
    if config.tokenizer == "bytes":
        return chat.chat_tokenizer()
    if config.tokenizer == "bpe":
        return BPETokenizer.train(text, config.vocab_size, special_tokens=chat.SPECIAL_TOKENS)
    return load_tokenizer(config.tokenizer)


def load_tokenizer(folder) -> BPETokenizer:
    """A saved BPETokenizer (vocab.json + merges.txt); ValueError naming the folder if it lacks the chat tokens."""
    try:
        tokenizer = BPETokenizer.load(folder)
    except (OSError, ValueError) as error:
        raise ValueError(f"tokenizer {folder}: cannot load it ({error})") from None
    missing = [t for t in chat.SPECIAL_TOKENS if t not in tokenizer.special_tokens]
    if missing:
        raise ValueError(f"tokenizer {folder}: it has no special token {missing[0]!r}; train it with "
                         f"special_tokens=minillm.chat.SPECIAL_TOKENS")
    return tokenizer


# ---- measuring a chat model ----------------------------------------------------------------------------


def chat_session(model, tokenizer, examples, max_new_tokens: int = 48) -> dict:
    """Ask each example's prompt as a user turn, answer greedily through the Engine with the calculator.

    examples: objects or dicts with `prompt` and `answer`. Returns {"accuracy", "n", "ttft_ms" (median time to
    the first streamed text), "tokens_per_s" (median over answers), "answers": [[prompt, text], ...]}."""
    end = tokenizer.special_tokens[chat.END]
    engine = Engine(model, tokenizer, stop_id=end)
    right, first, rates, answers = 0, [], [], []
    for example in examples:
        prompt_text, answer = (example["prompt"], example["answer"]) if isinstance(example, dict) else \
            (example.prompt, example.answer)
        prompt = chat.encode_prompt(tokenizer, [{"role": "user", "content": prompt_text}])
        start, pieces = time.perf_counter(), []
        for piece in engine.stream(prompt, max_new_tokens, temperature=0):
            if not pieces:
                first.append(time.perf_counter() - start)
            pieces.append(piece)
        rates.append(len(engine.last.ids) / (time.perf_counter() - start))
        text = "".join(pieces)
        right += tasks.final_answer(text) == str(answer)
        answers.append([prompt_text, text])
    median = lambda xs: sorted(xs)[len(xs) // 2] if xs else float("nan")  # noqa: E731
    return {"accuracy": right / max(len(answers), 1), "n": len(answers), "ttft_ms": 1000 * median(first),
            "tokens_per_s": median(rates), "answers": answers}


def held_out(config: PipelineConfig) -> dict:
    """The held-out questions of each task: the week-05 arithmetic set and the list problems' test split."""
    return {"arithmetic": evalsets.load("arithmetic", limit=config.n_eval),
            "list_ops": tasks.list_ops(config.n_eval, "test", seed=0)}


def evaluate_stage(model, tokenizer, config: PipelineConfig, label: str) -> dict:
    """A week-05 results record of model: the harness's cloze and bits per byte, and held-out chat accuracy."""
    harness = [t for t in evaluate.course_tasks(limit=config.n_eval, text_chunks=config.eval_text_chunks)
               if t.kind != "exact_match"]  # its arithmetic prompts are not chat turns: asked below as chat
    record = evaluate.evaluate(model, tokenizer, harness, label=label, progress=False)
    for name, examples in held_out(config).items():
        session = chat_session(model, tokenizer, examples)
        record["results"].append({"task": f"{name} (chat)", "metric": "accuracy", "value": session["accuracy"],
                                  "n": session["n"]})
    return record


# ---- the stages ----------------------------------------------------------------------------------------


def _shakespeare_parts() -> tuple[str, str]:
    """The training part and the held-out part of tinyshakespeare (the week-05 harness's split)."""
    text = find_data_file("tinyshakespeare.txt").read_text(encoding="utf-8")
    return train_val_split(text, evalsets.HELD_OUT_FRACTION)


def _corpus_ids(tokenizer):
    """Token ids of the training part and of the held-out part of tinyshakespeare (1-D tensors)."""
    return [torch.tensor(tokenizer.encode(part, allowed_special="none")) for part in _shakespeare_parts()]


def _sft_rows(tokenizer, config: PipelineConfig):
    n_arithmetic = 2 * config.n_sft // 3
    examples = (tasks.arithmetic(n_arithmetic, "train", seed=config.seed)
                + tasks.list_ops(config.n_sft - n_arithmetic, "train", seed=config.seed))
    return [chat.encode_chat(tokenizer, posttrain.conversation(e), config.block_size) for e in examples], examples


def _rounded(values, digits: int = 4) -> list[float]:
    return [round(float(v), digits) for v in values]


def _stage_tokenizer(config, folder):
    started = time.perf_counter()
    train_text, val_text = _shakespeare_parts()
    tokenizer = make_tokenizer(config, train_text)
    tokenizer.save(folder / "tokenizer")
    sample = val_text[:20000]
    return {"vocab_size": len(tokenizer.vocab), "bytes_per_token": len(sample.encode()) / len(tokenizer.encode(sample)),
            "seconds": round(time.perf_counter() - started, 2)}


def _stage_pretrain(config, out, folder):
    started = time.perf_counter()
    tokenizer = BPETokenizer.load(out / "tokenizer" / "tokenizer")
    train_ids, val_ids = _corpus_ids(tokenizer)
    torch.manual_seed(config.seed)
    model = GPT(ModelConfig.llama(vocab_size=len(tokenizer.vocab), block_size=config.block_size,
                                  n_layer=config.n_layer, n_head=config.n_head, n_embd=config.n_embd))
    generator = torch.Generator().manual_seed(config.seed)
    batch = lambda ids: random_batches(ids, config.pretrain_batch, config.block_size, generator)  # noqa: E731
    optimizer = AdamW(param_groups(model, 0.1), lr=config.pretrain_lr)
    schedule = functools.partial(cosine_schedule, max_lr=config.pretrain_lr, warmup_steps=max(1, config.pretrain_steps // 10),
                                 total_steps=config.pretrain_steps, min_lr=config.pretrain_lr / 10)
    log = train(model, optimizer, lambda: batch(train_ids), config.pretrain_steps, lr_schedule=schedule,
                max_grad_norm=1.0, get_val_batch=lambda: batch(val_ids), eval_every=max(1, config.pretrain_steps // 5),
                eval_batches=4, progress=sys.stderr.isatty())
    save_model(folder, model)
    return {"loss": _rounded(log.losses), "val_steps": log.val_steps, "val_loss": _rounded(log.val_losses),
            "seconds": round(time.perf_counter() - started, 2)}


def _stage_sft(config, out, folder):
    started = time.perf_counter()
    tokenizer = BPETokenizer.load(out / "tokenizer" / "tokenizer")
    model = load_model(out / "pretrain")
    rows, _ = _sft_rows(tokenizer, config)
    train_ids = _corpus_ids(tokenizer)[0]
    starts = torch.randint(len(train_ids) - REPLAY_LENGTH, (config.sft_replay,),
                           generator=torch.Generator().manual_seed(config.seed))
    rows += [(train_ids[s:s + REPLAY_LENGTH].tolist(), [1] * REPLAY_LENGTH) for s in starts.tolist()]
    schedule = functools.partial(cosine_schedule, max_lr=config.sft_lr, warmup_steps=max(1, config.sft_steps // 15),
                                 total_steps=config.sft_steps, min_lr=config.sft_lr / 10)
    torch.manual_seed(config.seed)
    log = posttrain.train_sft(model, rows, config.sft_steps, batch_size=config.sft_batch, lr=config.sft_lr,
                              pad_id=tokenizer.special_tokens[chat.END], seed=config.seed,
                              progress=sys.stderr.isatty(), lr_schedule=schedule)
    save_model(folder, model)
    return {"loss": _rounded(log["loss"]), "seconds": round(time.perf_counter() - started, 2)}


def _stage_grpo(config, out, folder):
    started = time.perf_counter()
    tokenizer = BPETokenizer.load(out / "tokenizer" / "tokenizer")
    model = load_model(out / "sft")
    _, examples = _sft_rows(tokenizer, config)
    log = posttrain.train_grpo(model, tokenizer, examples, config.grpo_steps, lr=config.grpo_lr, max_new_tokens=48,
                               seed=config.seed, progress=sys.stderr.isatty())
    save_model(folder, model)
    return {**{k: _rounded(v) for k, v in log.items()}, "seconds": round(time.perf_counter() - started, 2)}


def _trained(config: PipelineConfig) -> list[str]:
    return [s for s in TRAINED if s != "grpo" or config.grpo_steps > 0]


def _stage_eval(config, out, folder):
    tokenizer = BPETokenizer.load(out / "tokenizer" / "tokenizer")
    return {"records": [evaluate_stage(load_model(out / s), tokenizer, config, s) for s in _trained(config)]}


def _stage_chat(config, out, folder):
    last = _trained(config)[-1]
    tokenizer = BPETokenizer.load(out / "tokenizer" / "tokenizer")
    model = load_model(out / last)
    save_model(folder, model)
    tokenizer.save(folder / "tokenizer")
    session = chat_session(model, tokenizer, held_out(config)["arithmetic"])
    return {"from": last, "parameters": model.num_parameters(), **session, "answers": session["answers"][:5]}


def run_pipeline(out, config: PipelineConfig = PipelineConfig(), stage_runner=resume_or_run, log=print) -> dict:
    """Run (or resume) every stage into the folder out -> {stage: metrics}. stage_runner: resume_or_run or a
    function with its contract (the notebook's exercise). log: called with a line per stage (None: quiet)."""
    out = Path(out)
    runs = {"tokenizer": lambda f: _stage_tokenizer(config, f)}
    runs.update({s: functools.partial(globals()[f"_stage_{s}"], config, out) for s in STAGES[1:]})
    results = {}
    for stage in STAGES:
        if stage == "grpo" and config.grpo_steps == 0:
            continue
        started = time.perf_counter()
        results[stage] = stage_runner(out / stage, stage_config(config, stage), runs[stage])
        if log:
            log(f"{stage:<10} {time.perf_counter() - started:7.1f} s  {out / stage}")
    return results


# ---- loading a chat model and reading a run ------------------------------------------------------------


def checkpoint_folder(name: str) -> Path:
    """data/checkpoints/<name> in the folder the course data is found in (next to tinyshakespeare.txt): where
    a run called name goes, e.g. a learner's own, "mine"."""
    return find_data_file("tinyshakespeare.txt").parent / "checkpoints" / name


def find_checkpoint(name: str):
    """The chat folder of data/checkpoints/<name> where the course data lives (minillm.data.find_data_file's
    search), or None when there is none."""
    try:
        return find_data_file(f"checkpoints/{name}/chat/{STAGE_FILE}").parent
    except FileNotFoundError:
        return None


def fetch_shipped(folder=Path("data") / "checkpoints" / SHIPPED) -> Path:
    """Download the shipped checkpoint's chat folder and stage records from the course repository into folder
    (as the notebooks' Colab set-up cell fetches the data) -> its chat folder. Only load_chat_model calls it,
    and only on Colab."""
    import urllib.request

    for name in SHIPPED_FILES:
        target = Path(folder) / name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                urllib.request.urlretrieve(f"{REPOSITORY}/raw/{BRANCH}/data/checkpoints/{SHIPPED}/{name}",
                                           target.with_suffix(".part"))
            except OSError as error:
                raise RuntimeError(f"downloading the shipped checkpoint's {name} failed ({error}); try again") from None
            target.with_suffix(".part").rename(target)
    return Path(folder) / "chat"


def load_chat_model(path=None, device="cpu"):
    """(model, tokenizer) of a chat checkpoint: a pipeline's output folder or its chat/ folder (or any folder
    with model.pt, model.json and tokenizer/). None: the shipped data/checkpoints/chat-small (on Colab,
    downloaded by fetch_shipped the first time)."""
    if path is None:
        path = find_checkpoint(SHIPPED)
        if path is None and "google.colab" in sys.modules:
            path = fetch_shipped()
        if path is None:
            find_data_file(f"checkpoints/{SHIPPED}/chat/{STAGE_FILE}")  # raises, listing where it looked
    folder = Path(path)
    if (folder / "chat").is_dir():
        folder = folder / "chat"
    if not (folder / "model.pt").is_file():
        raise FileNotFoundError(f"path: {folder} holds no chat checkpoint (model.pt, model.json, tokenizer/); make one "
                                f"with python -m minillm.pipeline --out FOLDER")
    return load_model(folder, device), load_tokenizer(folder / "tokenizer")


def read_run(out) -> dict:
    """{stage: metrics} of the finished stages of the run in folder out."""
    return {s: read_stage(Path(out) / s)["metrics"] for s in STAGES if (Path(out) / s / STAGE_FILE).exists()}


def stage_table(metrics: dict) -> str:
    """The report card's table: every trained stage's evaluation (rows: task and metric), then the chat figures."""
    records = metrics["eval"]["records"]
    labels = [r["label"] for r in records]
    rows = list(dict.fromkeys((r["task"], r["metric"]) for rec in records for r in rec["results"]))
    values = {(rec["label"], r["task"], r["metric"]): r["value"] for rec in records for r in rec["results"]}
    lines = [f"{'task':<22} {'metric':<14}" + "".join(f"{label:>10}" for label in labels)]
    lines += [f"{task:<22} {metric:<14}" + "".join(f"{values.get((label, task, metric), math.nan):>10.4g}"
                                                   for label in labels) for task, metric in rows]
    if "chat" in metrics:
        c = metrics["chat"]
        lines.append(f"chat ({c['from']}): held-out arithmetic {c['accuracy']:.1%} of {c['n']}, time to first token "
                     f"{c['ttft_ms']:.1f} ms, {c['tokens_per_s']:.0f} tokens/s")
    return "\n".join(lines)


def training_figure(metrics: dict) -> go.Figure:
    """The training curves of every trained stage: pretraining loss (and validation), SFT loss, GRPO reward."""
    panels = [s for s in TRAINED if s in metrics]
    figure = make_subplots(rows=1, cols=len(panels), subplot_titles=[f"{s}" for s in panels])
    for col, stage in enumerate(panels, start=1):
        m = metrics[stage]
        curves = [("reward", m["reward"]), ("accuracy", m["accuracy"])] if stage == "grpo" else [("loss", m["loss"])]
        for name, ys in curves:
            figure.add_trace(go.Scatter(y=ys, name=f"{stage} {name}", mode="lines"), row=1, col=col)
        if stage == "pretrain":
            figure.add_trace(go.Scatter(x=m["val_steps"], y=m["val_loss"], name="pretrain val loss",
                                        mode="lines+markers"), row=1, col=col)
        figure.update_xaxes(title_text="step", row=1, col=col)
    figure.update_layout(title="training, stage by stage", height=340)
    return figure


def report_card(metrics: dict):
    """(table, training figure, evaluation dashboard) of a run's metrics ({stage: metrics}, see read_run)."""
    return (stage_table(metrics), training_figure(metrics),
            evaluate.dashboard(metrics["eval"]["records"], title="evaluation after each stage"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="folder of the run (its stages go in subfolders)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tiny", action="store_true", help="a seconds-long run of every stage (for trying it out)")
    parser.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE", help="other PipelineConfig settings")
    args = parser.parse_args(argv)
    config = PipelineConfig.tiny(args.seed) if args.tiny else PipelineConfig(seed=args.seed)
    for item in args.set:
        name, _, value = item.partition("=")
        if not hasattr(config, name):
            parser.error(f"--set {item}: no setting {name!r}; see minillm.pipeline.PipelineConfig")
        config = dataclasses.replace(config, **{name: type(getattr(config, name))(value)})
    started = time.perf_counter()
    metrics = run_pipeline(args.out, config)
    print(stage_table(metrics))
    print(f"wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
