"""The harness: each kind of task against the metrics computed by hand from the model's logits, the JSON
record, the dashboard, and bad input that names the task, the example and the field."""

import json
import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from minillm import evaluate as ev
from minillm.model import GPT, ModelConfig
from minillm.tokenizer import CharTokenizer

TOKENIZER = CharTokenizer("abcdefgh xyz\n0123456789+-*=<>/calcresult")


def tiny_model(block_size=32, seed=0):
    torch.manual_seed(seed)
    config = ModelConfig.llama(vocab_size=TOKENIZER.vocab_size, block_size=block_size, n_layer=2, n_head=2, n_embd=32)
    model = GPT(config).eval()
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(8)
    return model


class ScriptedModel(nn.Module):
    """A model that writes `script`: at position p its logits pick the script's token p + 1."""

    def __init__(self, script, block_size=64):
        super().__init__()
        self.config = ModelConfig(vocab_size=TOKENIZER.vocab_size, block_size=block_size, n_layer=1, n_head=1, n_embd=8)
        self.script = TOKENIZER.encode(script)
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, idx, targets=None, kv_cache=None):
        B, T = idx.shape
        start = 0 if kv_cache is None else kv_cache.length
        if kv_cache is not None:
            kv_cache.update(0, torch.zeros(B, 1, T, 1), torch.zeros(B, 1, T, 1))
        logits = torch.zeros(B, T, self.config.vocab_size)
        for t in range(T):
            logits[:, t, self.script[min(start + t + 1, len(self.script) - 1)]] = 10.0
        return logits, None


def log_prob_by_hand(model, context, continuation):
    ids = torch.tensor([TOKENIZER.encode(context + continuation)])
    log_probs = F.log_softmax(model(ids)[0][0].double(), dim=-1)
    n = len(context)
    return sum(log_probs[n - 1 + j, ids[0, n + j]].item() for j in range(len(continuation)))


def test_choice_task_equals_acc_and_acc_norm_by_hand():
    model = tiny_model()
    examples = [dict(context="abc ", choices=["dd", "efgh ab", "x"], gold=g) for g in range(3)]
    examples.append(dict(context="hh\n", choices=["a", "bb"], gold=1))
    scores = ev.run_task(model, TOKENIZER, ev.Task("toy", "choice", examples))
    acc = acc_norm = 0
    for example in examples:
        lps = [log_prob_by_hand(model, example["context"], c) for c in example["choices"]]
        acc += max(range(len(lps)), key=lambda i: lps[i]) == example["gold"]
        acc_norm += max(range(len(lps)), key=lambda i: lps[i] / len(example["choices"][i])) == example["gold"]
    assert scores == {"acc": pytest.approx(acc / 4), "acc_norm": pytest.approx(acc_norm / 4)}


def test_choice_task_delimiter_and_prompt_format():
    model = tiny_model()
    example = dict(context="abc", choices=["dd", "x"], gold=0, name="hh")
    task = ev.Task("toy", "choice", [example], prompt=lambda e: e["name"] + e["context"], delimiter=" ")
    lps = [log_prob_by_hand(model, "hhabc", " " + c) for c in example["choices"]]
    assert ev.run_task(model, TOKENIZER, task)["acc"] == float(lps[0] > lps[1])


def test_text_task_sums_nlls_and_bytes_over_examples():
    model = tiny_model(block_size=8)
    texts = ["abc def gh\nabc", "xyz 0123 xyz 456 abcd\n"]  # the second is longer than the context
    scores = ev.run_task(model, TOKENIZER, ev.Task("toy", "text", [{"text": t} for t in texts]))
    nll = tokens = 0
    for text in texts:
        ids = torch.tensor(TOKENIZER.encode(text))
        for s in range(0, len(ids) - 1, 8):
            window = ids[s : s + 9]
            nll += F.cross_entropy(model(window[None, :-1])[0][0], window[1:], reduction="sum").item()
            tokens += len(window) - 1
    assert tokens == sum(len(t) - 1 for t in texts)
    assert scores["bits_per_byte"] == pytest.approx(nll / math.log(2) / tokens, rel=1e-5)  # one byte per char
    assert scores["perplexity"] == pytest.approx(math.exp(nll / tokens), rel=1e-5)


def test_exact_match_task_with_the_tool():
    # the model writes a call, the loop forces the result, then the model writes the answer and a newline
    script = "1+2=<calc>1+2</calc><result>3</result>3\n"
    model = ScriptedModel(script)
    examples = [dict(prompt="1+2=", answer="3"), dict(prompt="1+2=", answer="4")]
    assert ev.run_task(model, TOKENIZER, ev.Task("arith", "exact_match", examples)) == {"exact_match": 0.5}
    assert ev.run_task(model, TOKENIZER, ev.Task("arith", "exact_match", examples, use_tool=False)) == {"exact_match": 0.5}
    wrong_result = ScriptedModel("1+2=<calc>1+2</calc><result>9</result>3\n")
    tool, no_tool = (ev.Task("a", "exact_match", [dict(prompt="1+2=", answer="3")], use_tool=u) for u in (True, False))
    assert ev.run_task(wrong_result, TOKENIZER, tool) == {"exact_match": 1.0}  # forced <result>3</result>
    assert ev.run_task(wrong_result, TOKENIZER, no_tool) == {"exact_match": 1.0}  # the last number is still 3


def test_evaluate_writes_a_json_record_and_the_registry(tmp_path):
    model = tiny_model()
    task = ev.register(ev.Task("toy-choice-registered", "choice", [dict(context="ab", choices=["c", "d"], gold=0)]),
                       replace=True)
    with pytest.raises(ValueError, match="registered already"):
        ev.register(task)
    text = ev.Task("toy-text", "text", [{"text": "abc abc"}])
    path = tmp_path / "out" / "step0.json"
    record = ev.evaluate(model, TOKENIZER, ["toy-choice-registered", text], label="step 0", path=path, progress=False)
    assert json.loads(path.read_text()) == record
    assert [(r["task"], r["metric"], r["n"]) for r in record["results"]] == [
        ("toy-choice-registered", "acc", 1), ("toy-choice-registered", "acc_norm", 1),
        ("toy-text", "bits_per_byte", 1), ("toy-text", "perplexity", 1)]
    assert record["model"]["config"]["block_size"] == 32 and record["model"]["parameters"] == model.num_parameters()
    assert record["label"] == "step 0" and record["time"].endswith("+00:00")
    assert ev.load_results([path]) == [record]
    assert "toy-text" in ev.report_card(record)
    with pytest.raises(ValueError, match="not a Task nor a registered name"):
        ev.evaluate(model, TOKENIZER, ["no-such-task"], label="x", progress=False)


def test_dashboard_has_a_panel_per_task_and_metric():
    records = [{"label": f"step {s}", "results": [{"task": "a", "metric": "acc", "value": v, "n": 3},
                                                   {"task": "b", "metric": "bits_per_byte", "value": 2 * v, "n": 3}]}
               for s, v in ((0, 0.1), (10, 0.5))]
    figure = ev.dashboard(records)
    assert [t.name for t in figure.data] == ["a: acc", "b: bits_per_byte"]
    assert list(figure.data[1].x) == ["step 0", "step 10"] and list(figure.data[1].y) == [0.2, 1.0]
    with pytest.raises(ValueError, match="records"):
        ev.dashboard([])


@pytest.mark.parametrize(
    "kind, examples, message",
    [
        ("choice", [], r"task 'bad' has no examples"),
        ("choice", [dict(context="a", choices=["b"], gold=0), dict(context="a", gold=0)],
         r"task 'bad', example 1: missing field 'choices'"),
        ("exact_match", [dict(answer="3")], r"task 'bad', example 0: missing field 'prompt'"),
        ("choice", [dict(context="a" * 30, choices=["bbbb"], gold=0)],
         r"task 'bad', example 0, field 'context': .* need 33 positions; .*\(block_size\) is 32"),
        ("exact_match", [dict(prompt="1" * 40, answer="1")], r"task 'bad', example 0, field 'prompt': the prompt is 40 tokens"),
        ("choice", [dict(context="a", choices=["b", "c"], gold=2)], r"example 0, field 'gold': 2 is not the index"),
        ("text", [dict(text="abc"), dict(text="QQ")], r"task 'bad', example 1, field 'text': cannot encode it"),
        ("text", [dict(text="a")], r"example 0, field 'text': needs at least 2 tokens"),
        ("choice", ["abc"], r"example 0: expected a dict"),
    ],
)
def test_bad_input_names_the_task_the_example_and_the_field(kind, examples, message):
    with pytest.raises(ValueError, match=message):
        ev.run_task(tiny_model(), TOKENIZER, ev.Task("bad", kind, examples))


def test_bad_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        ev.Task("bad", "bleu", [])


def test_course_tasks_run_on_a_library_model():
    from minillm.data import find_data_file
    from minillm.evalsets import held_out_text

    text = find_data_file("tinyshakespeare.txt").read_text(encoding="utf-8")
    tokenizer = CharTokenizer(text + "".join(str(d) for d in range(10)) + "+-*=<>/calcresult")
    torch.manual_seed(0)
    model = GPT(ModelConfig.llama(vocab_size=tokenizer.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=16))
    tasks = ev.course_tasks(limit=3, text_chunks=2)
    record = ev.evaluate(model, tokenizer, tasks, label="random", progress=False)
    values = {(r["task"], r["metric"]): r["value"] for r in record["results"]}
    assert set(values) == {("shakespeare_cloze", "acc"), ("shakespeare_cloze", "acc_norm"), ("arithmetic", "exact_match"),
                           ("shakespeare_text", "bits_per_byte"), ("shakespeare_text", "perplexity")}
    # an untrained model guesses about uniformly: perplexity near the vocabulary size
    assert 0.5 * tokenizer.vocab_size < values[("shakespeare_text", "perplexity")] < 2 * tokenizer.vocab_size
    assert all(t.examples for t in tasks) and tasks[2].examples[0]["text"] in held_out_text(text) + "\n"



def test_text_task_counts_the_bytes_of_multi_byte_tokens():
    from minillm.metrics import bits_per_byte, sequence_nlls
    from minillm.tokenizer import BPETokenizer

    text = "été à la plage, " * 20
    tokenizer = BPETokenizer.train(text, 280)
    torch.manual_seed(0)
    model = GPT(ModelConfig.llama(vocab_size=tokenizer.vocab_size, block_size=16, n_layer=1, n_head=2, n_embd=16)).eval()
    ids = tokenizer.encode(text)
    predicted_bytes = len(text.encode("utf-8")) - len(tokenizer.vocab[ids[0]])  # the first token is never predicted
    expected = bits_per_byte(sequence_nlls(model, ids), predicted_bytes)
    scores = ev.run_task(model, tokenizer, ev.Task("bpe", "text", [{"text": text}]))
    assert scores["bits_per_byte"] == pytest.approx(expected, rel=1e-6)
    assert len(ids) < len(text.encode("utf-8")) / 2  # the tokens really are multi-byte
