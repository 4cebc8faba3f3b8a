"""train.py against PyTorch's references (torch.optim.AdamW, clip_grad_norm_), hand-computed schedule values,
the big-batch gradient, and an uninterrupted run for checkpoint resume."""

import functools
import math
import random

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from minillm import train as T
from minillm.data import random_batches
from minillm.model import GPT, ModelConfig

VOCAB, BLOCK = 13, 8


class TinyLM(nn.Module):
    """A small language model with the course's calling convention: model(idx, targets) -> (logits, loss).
    It has every kind of parameter param_groups sorts (embedding, matrix, bias, norm gain) and dropout, so
    that resuming a run must restore the RNG."""

    def __init__(self, dropout=0.0):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, 16)
        self.norm = nn.LayerNorm(16)
        self.hidden = nn.Linear(16, 16)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(16, VOCAB)

    def forward(self, idx, targets=None):
        x = self.dropout(torch.tanh(self.hidden(self.norm(self.embedding(idx)))))
        logits = self.head(x)
        loss = None if targets is None else F.cross_entropy(logits.view(-1, VOCAB), targets.view(-1))
        return logits, loss


def make_model(seed=0, dropout=0.0):
    torch.manual_seed(seed)
    return TinyLM(dropout)


TOKENS = torch.tensor(([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] * 20)[:250])


def batch(batch_size=4, generator=None):
    return random_batches(TOKENS, batch_size, BLOCK, generator=generator)


# --- AdamW ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [dict(lr=1e-2), dict(lr=3e-3, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1), dict(lr=1e-2, weight_decay=0.0)],
)
def test_adamw_equals_torch_over_several_steps(options):
    ours_model, ref_model = make_model(), make_model()
    ours = T.AdamW(T.param_groups(ours_model, 0.5), **options)
    ref = torch.optim.AdamW(T.param_groups(ref_model, 0.5), **options)
    gen = torch.Generator().manual_seed(0)
    for _ in range(6):
        x, y = batch(generator=gen)
        for model, optimizer in ((ours_model, ours), (ref_model, ref)):
            optimizer.zero_grad()
            model(x, y)[1].backward()
            optimizer.step()
        for p, q in zip(ours_model.parameters(), ref_model.parameters()):
            torch.testing.assert_close(p, q, atol=1e-6, rtol=0, msg="AdamW update differs from torch.optim.AdamW")
    p = next(ours_model.parameters())
    torch.testing.assert_close(ours.state[p]["exp_avg_sq"], ref.state[next(ref_model.parameters())]["exp_avg_sq"])


def test_adamw_first_step_moves_each_weight_by_lr_hand_value():
    # With bias correction, step 1 is p - lr * g / (|g| + eps): every entry moves by ~lr, whatever |g| is.
    p = nn.Parameter(torch.tensor([1.0, -2.0, 3.0]))
    p.grad = torch.tensor([0.5, -5.0, 100.0])
    T.AdamW([p], lr=0.1, weight_decay=0.5).step()
    expected = torch.tensor([1.0, -2.0, 3.0]) * (1 - 0.1 * 0.5) - 0.1 * torch.tensor([1.0, -1.0, 1.0])
    torch.testing.assert_close(p.detach(), expected, atol=1e-6, rtol=0)


def test_adamw_per_group_learning_rates():
    a, b = nn.Parameter(torch.ones(2)), nn.Parameter(torch.ones(2))
    optimizer = T.AdamW([{"params": [a], "lr": 0.1}, {"params": [b], "lr": 0.01}], weight_decay=0.0)
    a.grad, b.grad = torch.ones(2), torch.ones(2)
    optimizer.step()
    torch.testing.assert_close(a.detach(), torch.full((2,), 0.9), atol=1e-6, rtol=0)
    torch.testing.assert_close(b.detach(), torch.full((2,), 0.99), atol=1e-6, rtol=0)


def test_adamw_rejects_bad_hyperparameters():
    params = [nn.Parameter(torch.ones(1))]
    for name, bad in (("lr", -1.0), ("betas", (0.9, 1.0)), ("eps", -1e-8), ("weight_decay", -0.1)):
        with pytest.raises(ValueError, match=name):
            T.AdamW(params, **{name: bad})


# --- parameter groups, schedule, clipping ------------------------------------------------------------------


def test_param_groups_decay_matrices_only():
    model = make_model()
    model.hidden.bias.requires_grad_(False)
    decay, no_decay = T.param_groups(model, weight_decay=0.1)
    ids = lambda params: {id(p) for p in params}  # noqa: E731
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert ids(decay["params"]) == ids([model.embedding.weight, model.hidden.weight, model.head.weight])
    assert ids(no_decay["params"]) == ids([model.norm.weight, model.norm.bias, model.head.bias])


def test_param_groups_list_a_tied_weight_once():
    model = GPT(ModelConfig.gpt2(vocab_size=11, block_size=4, n_layer=1, n_head=2, n_embd=8))
    groups = T.param_groups(model, 0.1)
    listed = [id(p) for group in groups for p in group["params"]]
    assert len(listed) == len(set(listed)) == len(list(model.parameters()))
    T.AdamW(groups)  # torch refuses a parameter that appears in two groups


@pytest.mark.parametrize(
    "step, expected",
    [(0, 0.1), (4, 0.5), (9, 1.0), (10, 1.0), (35, 0.1 + 0.9 * (1 + math.cos(math.pi / 4)) / 2), (60, 0.55),
     (110, 0.1), (500, 0.1)],
)  # fmt: skip
def test_cosine_schedule_hand_values(step, expected):
    lr = T.cosine_schedule(step, max_lr=1.0, warmup_steps=10, total_steps=110, min_lr=0.1)
    assert lr == pytest.approx(expected, abs=1e-12)


def test_cosine_schedule_without_warmup_starts_at_max_and_rejects_bad_input():
    assert T.cosine_schedule(0, max_lr=2.0, warmup_steps=0, total_steps=4, min_lr=0.0) == 2.0
    assert T.cosine_schedule(2, max_lr=2.0, warmup_steps=0, total_steps=4, min_lr=0.0) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="warmup_steps"):
        T.cosine_schedule(0, 1.0, warmup_steps=10, total_steps=10, min_lr=0.0)
    with pytest.raises(ValueError, match="min_lr"):
        T.cosine_schedule(0, 1.0, warmup_steps=1, total_steps=10, min_lr=2.0)
    with pytest.raises(ValueError, match="step"):
        T.cosine_schedule(-1, 1.0, warmup_steps=1, total_steps=10, min_lr=0.0)


@pytest.mark.parametrize("max_norm", [1e-3, 0.5, 1e6])
def test_clip_grad_norm_equals_torch(max_norm):
    ours, ref = make_model(), make_model()
    x, y = batch(generator=torch.Generator().manual_seed(1))
    for model in (ours, ref):
        model(x, y)[1].backward()
    ours.head.bias.grad = None  # parameters without a gradient are skipped
    ref.head.bias.grad = None
    norm = T.clip_grad_norm(ours.parameters(), max_norm)
    ref_norm = torch.nn.utils.clip_grad_norm_(ref.parameters(), max_norm)
    torch.testing.assert_close(norm, ref_norm, msg="clip_grad_norm must return the global norm before clipping")
    for p, q in zip(ours.parameters(), ref.parameters()):
        if q.grad is not None:
            torch.testing.assert_close(p.grad, q.grad)


def test_clip_grad_norm_hand_value():
    a, b = nn.Parameter(torch.zeros(1)), nn.Parameter(torch.zeros(1))
    a.grad, b.grad = torch.tensor([3.0]), torch.tensor([4.0])
    assert T.clip_grad_norm([a, b], max_norm=1.0).item() == pytest.approx(5.0)
    torch.testing.assert_close(torch.cat([a.grad, b.grad]), torch.tensor([0.6, 0.8]), atol=1e-6, rtol=0)
    with pytest.raises(ValueError, match="max_norm"):
        T.clip_grad_norm([a], 0.0)


# --- gradient accumulation, autocast, the loop --------------------------------------------------------------


def test_gradient_accumulation_equals_the_big_batch():
    x, y = batch(batch_size=8, generator=torch.Generator().manual_seed(2))
    big, small = make_model(), make_model()
    runs = []
    for model, accum in ((big, 1), (small, 4)):
        micro = iter(zip(x.chunk(accum), y.chunk(accum)))
        optimizer = T.AdamW(model.parameters(), lr=1e-2)
        log = T.train(model, optimizer, lambda: next(micro), steps=1, grad_accum_steps=accum, progress=False)
        runs.append(log)
    for p, q in zip(big.parameters(), small.parameters()):
        torch.testing.assert_close(p.grad, q.grad, atol=1e-6, rtol=1e-5, msg="divide each micro-batch loss by accum")
        torch.testing.assert_close(p, q, atol=1e-6, rtol=0)
    assert runs[0].losses[0] == pytest.approx(runs[1].losses[0], abs=1e-5), "log the mean of the micro-batch losses"


def test_bf16_autocast_on_cpu_and_no_op_where_unsupported():
    a = torch.randn(4, 4)
    with T.bf16_autocast("cpu"):
        assert (a @ a).dtype == torch.bfloat16
    with T.bf16_autocast(torch.device("cpu"), enabled=False):
        assert (a @ a).dtype == torch.float32
    with T.bf16_autocast("meta"):  # no autocast for this device type: a plain context
        assert (a @ a).dtype == torch.float32


def test_train_loop_learns_schedules_evaluates_and_plots():
    model = make_model()
    schedule = functools.partial(T.cosine_schedule, max_lr=3e-2, warmup_steps=5, total_steps=40, min_lr=3e-3)
    optimizer = T.AdamW(T.param_groups(model, 0.01))
    log = T.train(
        model, optimizer, batch, steps=40, lr_schedule=schedule, max_grad_norm=1.0,
        get_val_batch=batch, eval_every=10, eval_batches=2, progress=False,
    )  # fmt: skip
    assert log.steps == list(range(40))
    assert log.lrs == pytest.approx([schedule(s) for s in range(40)])
    assert len(log.losses) == len(log.tokens_per_s) == 40 and min(log.tokens_per_s) > 0
    assert log.val_steps == [10, 20, 30, 40] and len(log.val_losses) == 4
    assert log.losses[0] > math.log(VOCAB) - 0.5 and log.val_losses[-1] < 0.5, "the repeating sequence is learnable"
    figure = log.figure()
    assert isinstance(figure, go.Figure) and [t.name for t in figure.data] == ["train", "val"]


def test_train_with_autocast_and_gpt_reduces_loss():
    torch.manual_seed(0)
    model = GPT(ModelConfig.llama(vocab_size=VOCAB, block_size=BLOCK, n_layer=1, n_head=2, n_embd=16))
    log = T.train(model, T.AdamW(model.parameters(), lr=1e-2), batch, steps=30, autocast=True, progress=False)
    assert all(math.isfinite(v) for v in log.losses)
    assert np.mean(log.losses[-5:]) < log.losses[0] - 0.5


def test_train_rejects_bad_arguments():
    model = make_model()
    optimizer = T.AdamW(model.parameters())
    with pytest.raises(ValueError, match="get_val_batch"):
        T.train(model, optimizer, batch, steps=1, eval_every=1, progress=False)
    with pytest.raises(ValueError, match="grad_accum_steps"):
        T.train(model, optimizer, batch, steps=1, grad_accum_steps=0, progress=False)


# --- checkpoints ----------------------------------------------------------------------------------------------


def _noisy_batch():
    """A batch that draws from all three global RNGs (torch picks windows; Python and NumPy corrupt tokens)."""
    x, y = batch()
    x = x.clone()
    x[0, random.randrange(BLOCK)] = int(np.random.randint(VOCAB))
    return x, y


def _run(model, optimizer, start, steps, total=12):
    schedule = functools.partial(T.cosine_schedule, max_lr=1e-2, warmup_steps=2, total_steps=total, min_lr=1e-3)
    return T.train(
        model, optimizer, _noisy_batch, steps, lr_schedule=schedule, max_grad_norm=0.5,
        get_val_batch=_noisy_batch, eval_every=3, eval_batches=1, start_step=start, progress=False,
    )  # fmt: skip


def _seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def test_resumed_run_equals_uninterrupted_run(tmp_path):
    _seed_everything(0)
    straight = make_model(seed=1, dropout=0.3)
    straight_log = _run(straight, T.AdamW(T.param_groups(straight, 0.1)), start=0, steps=12)

    _seed_everything(0)
    first = make_model(seed=1, dropout=0.3)
    first_optimizer = T.AdamW(T.param_groups(first, 0.1))
    first_log = _run(first, first_optimizer, start=0, steps=6)
    T.save_checkpoint(tmp_path / "ckpt.pt", first, first_optimizer, step=6, note="half way", sizes=[1, 2])

    _seed_everything(123)  # a fresh process would start from other RNG states and other weights
    resumed = make_model(seed=2, dropout=0.3)
    resumed_optimizer = T.AdamW(T.param_groups(resumed, 0.1))
    info = T.load_checkpoint(tmp_path / "ckpt.pt", resumed, resumed_optimizer)
    assert info == {"step": 6, "note": "half way", "sizes": [1, 2]}
    second_log = _run(resumed, resumed_optimizer, start=info["step"], steps=6)

    assert first_log.losses + second_log.losses == straight_log.losses, "losses after resuming differ"
    assert first_log.val_losses + second_log.val_losses == straight_log.val_losses
    for p, q in zip(straight.parameters(), resumed.parameters()):
        assert torch.equal(p, q), "parameters after resuming are not bitwise equal to the uninterrupted run"


def test_checkpoint_restores_every_rng(tmp_path):
    model = make_model()
    T.save_checkpoint(tmp_path / "c.pt", model, T.AdamW(model.parameters()), step=0)
    draws = lambda: (random.random(), np.random.rand(), np.random.randn(), torch.rand(1).item())  # noqa: E731
    expected = draws()
    draws()
    T.load_checkpoint(tmp_path / "c.pt", model)
    assert draws() == expected


class Opaque:
    """An arbitrary object: unpickling one can run code, so loading with weights_only refuses it."""


def test_load_checkpoint_refuses_code_in_the_file(tmp_path):
    model = make_model()
    T.save_checkpoint(tmp_path / "c.pt", model, T.AdamW(model.parameters()), step=0, thing=Opaque())
    with pytest.raises(Exception, match="weights_only"):
        T.load_checkpoint(tmp_path / "c.pt", model)
