"""The whole path as resumable stages: a finished stage is skipped, a changed or broken one is an error naming
its file and nothing stored is overwritten, an interrupted one leaves nothing behind, a seed gives the same
weights; and the shipped checkpoint answers held-out arithmetic through the engine with the calculator."""

import dataclasses
import json

import pytest
import torch

from minillm import pipeline, tasks
from minillm.chat import chat_tokenizer
from minillm.evalsets import load
from minillm.pipeline import PipelineConfig, load_chat_model, load_model, resume_or_run, run_pipeline

TINY = PipelineConfig.tiny()


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    return out, run_pipeline(out, TINY, log=None)


def counting_runner(calls):
    def runner(folder, config, run):
        def counted(f):
            calls.append(folder.name)
            return run(f)
        return resume_or_run(folder, config, counted)
    return runner


def files_of(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_stage_is_stored_and_a_second_run_skips_them_all(tiny_run):
    out, metrics = tiny_run
    assert list(metrics) == list(pipeline.STAGES)
    for stage in pipeline.STAGES:
        stored = json.loads((out / stage / "stage.json").read_text())
        assert stored["config"] == pipeline.stage_config(TINY, stage) and stored["metrics"] == metrics[stage]
    assert len(metrics["sft"]["loss"]) == TINY.sft_steps and len(metrics["pretrain"]["loss"]) == TINY.pretrain_steps
    assert [r["label"] for r in metrics["eval"]["records"]] == ["pretrain", "sft", "grpo"]
    before, calls = files_of(out), []
    assert run_pipeline(out, TINY, stage_runner=counting_runner(calls), log=None) == metrics
    assert calls == [] and files_of(out) == before


def test_a_missing_stage_is_made_again_from_the_stored_ones(tiny_run, tmp_path):
    out, metrics = tiny_run
    copy = tmp_path / "copy"
    for path, data in files_of(out).items():
        (copy / path).parent.mkdir(parents=True, exist_ok=True)
        (copy / path).write_bytes(data)
    for stage in ("eval", "chat"):
        for path in sorted((copy / stage).rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        (copy / stage).rmdir()
    calls = []
    again = run_pipeline(copy, TINY, stage_runner=counting_runner(calls), log=None)
    assert calls == ["eval", "chat"] and again["sft"] == metrics["sft"]
    assert (copy / "chat" / "model.pt").read_bytes() == (out / "chat" / "model.pt").read_bytes()


def test_another_config_is_an_error_naming_the_file_and_nothing_is_overwritten(tiny_run):
    out, _ = tiny_run
    before = files_of(out)
    with pytest.raises(ValueError, match=r"sft/stage\.json: made with sft_steps=4, this run asks sft_steps=5"):
        run_pipeline(out, dataclasses.replace(TINY, sft_steps=5), log=None)
    with pytest.raises(ValueError, match=r"pretrain/stage\.json: made with seed=0, this run asks seed=1"):
        run_pipeline(out, dataclasses.replace(TINY, seed=1), log=None)
    assert files_of(out) == before


def test_a_corrupt_or_half_written_stage_is_an_error_naming_the_file(tmp_path):
    folder = tmp_path / "stage"
    resume_or_run(folder, {"a": 1}, lambda f: {"ok": 1})
    for text in ("{not json", json.dumps({"config": {"a": 1}}), "[]"):
        (folder / "stage.json").write_text(text)
        with pytest.raises(ValueError, match=r"stage/stage\.json"):
            resume_or_run(folder, {"a": 1}, lambda f: pytest.fail("must not run over a stored stage"))
        assert (folder / "stage.json").read_text() == text
    (folder / "stage.json").unlink()
    with pytest.raises(ValueError, match=r"stage/stage\.json: not a readable stage record"):
        resume_or_run(folder, {"a": 1}, lambda f: pytest.fail("must not run over a stored stage"))


def test_corrupt_weights_and_foreign_tokenizers_are_errors_naming_the_file(tiny_run, tmp_path):
    out, _ = tiny_run
    folder = tmp_path / "chat"
    folder.mkdir()
    for name in ("model.pt", "model.json"):
        (folder / name).write_bytes((out / "chat" / name).read_bytes())
    (folder / "model.pt").write_bytes((out / "chat" / "model.pt").read_bytes()[:1000])
    with pytest.raises(ValueError, match=r"chat/model\.pt: cannot load"):
        load_model(folder)
    (folder / "model.json").write_text(json.dumps({"n_layer": 1, "no_such_setting": 3}))
    with pytest.raises(ValueError, match=r"chat/model\.json: not a readable model config"):
        load_model(folder)
    plain = tmp_path / "plain"
    pipeline.BPETokenizer().save(plain)
    with pytest.raises(ValueError, match=r"has no special token '<\|system\|>'"):
        pipeline.load_tokenizer(plain)
    with pytest.raises(FileNotFoundError, match="holds no chat checkpoint"):
        load_chat_model(tmp_path / "nothing")


def test_an_interrupted_stage_leaves_nothing_and_runs_again(tmp_path):
    folder = tmp_path / "stage"

    def crash(f):
        (f / "half.bin").write_bytes(b"12")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        resume_or_run(folder, {"a": 1}, crash)
    assert not folder.exists() and (tmp_path / "stage.partial" / "half.bin").exists()

    def finish(f):
        assert list(f.iterdir()) == [], "a fresh folder, the half-written files gone"
        (f / "done.bin").write_bytes(b"3")
        return {"x": [1.5]}

    assert resume_or_run(folder, {"a": 1}, finish) == {"x": [1.5]}
    assert sorted(p.name for p in folder.iterdir()) == ["done.bin", "stage.json"]
    assert not (tmp_path / "stage.partial").exists()
    assert resume_or_run(folder, {"a": 1}, crash) == {"x": [1.5]}


def test_a_seed_gives_the_same_weights_and_another_seed_others(tiny_run, tmp_path):
    out, metrics = tiny_run
    again = run_pipeline(tmp_path / "again", TINY, log=None)
    other = run_pipeline(tmp_path / "other", dataclasses.replace(TINY, seed=1), log=None)
    assert again["sft"]["loss"] == metrics["sft"]["loss"] and other["sft"]["loss"] != metrics["sft"]["loss"]
    for stage in ("pretrain", "sft", "grpo", "chat"):
        ours = torch.load(out / stage / "model.pt", weights_only=True)
        theirs = torch.load(tmp_path / "again" / stage / "model.pt", weights_only=True)
        assert all(torch.equal(ours[k], theirs[k]) for k in ours), stage
    assert not torch.equal(torch.load(out / "sft" / "model.pt", weights_only=True)["lm_head.weight"],
                           torch.load(tmp_path / "other" / "sft" / "model.pt", weights_only=True)["lm_head.weight"])


def test_the_report_card_has_a_row_per_metric_and_a_column_per_stage(tiny_run):
    out, metrics = tiny_run
    assert pipeline.read_run(out) == metrics
    table, training, dashboard = pipeline.report_card(metrics)
    lines = table.splitlines()
    assert lines[0].split()[2:] == ["pretrain", "sft", "grpo"]
    assert any(line.startswith("arithmetic (chat)") for line in lines) and "tokens/s" in lines[-1]
    assert [t.name for t in training.data] == ["pretrain loss", "pretrain val loss", "sft loss", "grpo reward",
                                               "grpo accuracy"]
    assert len(dashboard.data) == len(metrics["eval"]["records"][0]["results"])


def test_the_shipped_checkpoint_answers_held_out_arithmetic_through_the_calculator():
    model, tokenizer = load_chat_model()
    assert tokenizer.special_tokens == chat_tokenizer().special_tokens
    questions = load("arithmetic", limit=12)
    assert all(tasks.split_of(q["prompt"]) == "test" for q in questions)  # never trained on
    session = pipeline.chat_session(model, tokenizer, questions)
    assert session["accuracy"] >= 10 / 12, session["answers"]
    for (prompt, text), question in zip(session["answers"], questions):
        if tasks.final_answer(text) == question["answer"]:  # by a call that copies the question, the engine's result
            assert text.startswith(f"<calc>{prompt[:-1]}</calc><result>{question['answer']}</result>"), text


def test_the_shipped_checkpoint_holds_every_file_colab_fetches_and_its_report():
    chat_folder = pipeline.find_checkpoint(pipeline.SHIPPED)
    assert chat_folder is not None and chat_folder.parent.name == pipeline.SHIPPED
    assert all((chat_folder.parent / name).is_file() for name in pipeline.SHIPPED_FILES)
    metrics = pipeline.read_run(chat_folder.parent)
    assert metrics["chat"]["accuracy"] >= 0.8 and metrics["chat"]["from"] == "sft"
    assert pipeline.read_stage(chat_folder)["config"] == pipeline.stage_config(PipelineConfig(seed=0), "chat")


@pytest.mark.parametrize("settings, message", [
    ({"sft_steps": 0}, "sft_steps: expected an int >= 1, got 0"),
    ({"n_layer": 2.5}, "n_layer: expected an int >= 1"),
    ({"seed": True}, "seed: expected an int >= 0"),
    ({"sft_lr": -1.0}, "sft_lr: expected a positive number"),
    ({"tokenizer": "no/such/folder"}, "tokenizer: expected 'bytes', 'bpe' or a folder"),
])
def test_bad_settings_are_refused_naming_the_setting(settings, message):
    with pytest.raises(ValueError, match=message):
        PipelineConfig(**settings)
    with pytest.raises(SystemExit):
        pipeline.main(["--out", "unused", "--set", "no_such_setting=1"])
