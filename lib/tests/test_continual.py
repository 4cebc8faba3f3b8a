"""Continual learning against hand-worked values, exact enumeration and closed forms."""

import itertools
import math
import random
from collections import Counter
from fractions import Fraction

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from minillm import continual, lora
from minillm.model import GPT, ModelConfig

# R[i][j]: accuracy on task j after training through task i. Task 0 peaks after task 1 (0.9), not on the diagonal.
R = [[0.8, 0.1, 0.2],
     [0.9, 0.7, 0.3],
     [0.5, 0.6, 0.9]]
B = [0.1, 0.05, 0.25]


def test_gem_metrics_on_a_hand_worked_matrix():
    assert continual.average_accuracy(R) == pytest.approx((0.5 + 0.6 + 0.9) / 3)
    assert continual.backward_transfer(R) == pytest.approx(((0.5 - 0.8) + (0.6 - 0.7)) / 2)
    assert continual.forward_transfer(R, B) == pytest.approx(((0.1 - 0.05) + (0.3 - 0.25)) / 2)
    # the best earlier value of task 0 is 0.9 (row 1), of task 1 is 0.7
    assert continual.forgetting(R) == pytest.approx(((0.9 - 0.5) + (0.7 - 0.6)) / 2)
    metrics = continual.continual_metrics(torch.tensor(R), torch.tensor(B))
    assert list(metrics) == ["ACC", "BWT", "FWT", "forgetting"]
    assert all(type(v) is float for v in metrics.values())


def test_no_forgetting_and_two_tasks():
    identity = [[1.0, 0.0], [1.0, 1.0]]
    assert continual.backward_transfer(identity) == 0.0
    assert continual.forgetting(identity) == 0.0
    assert continual.forward_transfer(identity, [0.0, 0.0]) == 0.0
    assert continual.average_accuracy([[0.4]]) == pytest.approx(0.4)  # one task: ACC only


@pytest.mark.parametrize("bad", [[], [[]], [[1.0, 2.0]], [1.0, 2.0], [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])
def test_metrics_refuse_a_matrix_that_is_not_square(bad):
    with pytest.raises(ValueError, match="R must"):
        continual.average_accuracy(bad)


def test_transfer_needs_two_tasks_and_a_b_per_task():
    with pytest.raises(ValueError, match="at least two"):
        continual.backward_transfer([[0.5]])
    with pytest.raises(ValueError, match="b must"):
        continual.forward_transfer(R, [0.1, 0.2])


class ScriptedDraws:
    """A random source that returns the draws of a given prefix, then stops, asking for the range of the next."""

    class Branch(Exception):
        pass

    def __init__(self, prefix):
        self.prefix, self.ranges = list(prefix), []

    def randrange(self, n):
        if len(self.ranges) == len(self.prefix):
            raise self.Branch(n)
        value = self.prefix[len(self.ranges)]
        self.ranges.append(n)
        return value


def every_outcome(run):
    """{result: exact probability} over every sequence of draws run(rng) can make, each randrange(n) uniform."""
    outcomes, pending = Counter(), [()]
    while pending:
        prefix = pending.pop()
        rng = ScriptedDraws(prefix)
        try:
            result = run(rng)
        except ScriptedDraws.Branch as branch:
            pending.extend(prefix + (v,) for v in range(branch.args[0]))
            continue
        outcomes[result] += math.prod(Fraction(1, n) for n in rng.ranges)
    return outcomes


@pytest.mark.parametrize("n, k", [(5, 2), (6, 3), (4, 1), (3, 3)])
def test_reservoir_keeps_every_subset_with_equal_probability(n, k):
    def run(rng):
        buffer = continual.ReservoirBuffer(k, rng)
        for item in range(n):
            buffer.add(item)
        return frozenset(buffer.items)

    outcomes = every_outcome(run)
    assert sum(outcomes.values()) == 1
    assert set(outcomes) == {frozenset(s) for s in itertools.combinations(range(n), k)}
    assert set(outcomes.values()) == {Fraction(1, math.comb(n, k))}
    for item in range(n):
        assert sum(p for kept, p in outcomes.items() if item in kept) == Fraction(k, n)


def test_reservoir_with_a_real_generator_and_sampling():
    buffer = continual.ReservoirBuffer(10, random.Random(0))
    for item in range(1000):
        buffer.add(item)
    assert len(buffer) == 10 and buffer.seen == 1000 and len(set(buffer.items)) == 10
    assert max(buffer.items) > 100  # late items do get in
    drawn = buffer.sample(4)
    assert len(set(drawn)) == 4 and set(drawn) <= set(buffer.items)
    assert sorted(buffer.sample(50)) == sorted(buffer.items)


@pytest.mark.parametrize("capacity", [0, -1, 2.5, True])
def test_reservoir_refuses_a_capacity_that_is_not_positive(capacity):
    with pytest.raises(ValueError, match="capacity"):
        continual.ReservoirBuffer(capacity, random.Random(0))


def test_mixed_batch():
    buffer = continual.ReservoirBuffer(8, random.Random(1))
    current = torch.arange(12).view(3, 4)
    assert continual.mixed_batch(current, buffer, 4) is current  # nothing stored yet
    for row in torch.arange(100, 120).view(5, 4):
        buffer.add(row)
    mixed = continual.mixed_batch(current, buffer, 2)
    assert mixed.shape == (5, 4) and mixed.dtype == current.dtype
    assert torch.equal(mixed[:3], current)
    stored = {tuple(r.tolist()) for r in buffer.items}
    assert {tuple(r.tolist()) for r in mixed[3:]} <= stored and len({tuple(r.tolist()) for r in mixed[3:]}) == 2
    assert continual.mixed_batch(current, buffer, 9).shape == (8, 4)  # at most what is stored
    with pytest.raises(ValueError, match="n_replay"):
        continual.mixed_batch(current, buffer, -1)
    with pytest.raises(ValueError, match="shape"):
        continual.mixed_batch(torch.zeros(2, 3, dtype=torch.long), buffer, 1)


def logistic_log_likelihood(model, example):
    x, y = example
    return -F.binary_cross_entropy_with_logits(model(x).squeeze(), y)


def test_fisher_equals_the_closed_form_of_logistic_regression():
    torch.manual_seed(0)
    model = nn.Linear(3, 1).double()
    x = torch.randn(20, 3, dtype=torch.float64)
    y = (torch.rand(20, dtype=torch.float64) < 0.5).double()
    fisher = continual.fisher_diagonal(model, zip(x, y), logistic_log_likelihood)
    # d/dw log p(y | x) = (y - sigmoid(w.x + c)) x and d/dc = y - sigmoid(w.x + c)
    residual = y - torch.sigmoid(x @ model.weight.detach().T + model.bias.detach()).squeeze(1)
    torch.testing.assert_close(fisher["weight"], ((residual[:, None] * x) ** 2).mean(0, keepdim=True))
    torch.testing.assert_close(fisher["bias"], (residual**2).mean().view(1))
    batch_mean = ((residual[:, None] * x).mean(0)) ** 2  # what a Fisher from the batch-mean gradient would be
    assert not torch.allclose(fisher["weight"].squeeze(0), batch_mean)
    assert model.weight.grad is None


def test_fisher_equals_per_example_gradients_from_torch_func():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3))
    model[0].bias.requires_grad_(False)
    x, y = torch.randn(9, 4), torch.randint(0, 3, (9,))

    def log_likelihood(m, example):
        return -F.cross_entropy(m(example[0]), example[1])

    fisher = continual.fisher_diagonal(model, zip(x, y), log_likelihood)
    params = {n: p.detach() for n, p in model.named_parameters() if p.requires_grad}
    frozen = {n: p.detach() for n, p in model.named_parameters() if not p.requires_grad}

    def one(p, xi, yi):
        logits = torch.func.functional_call(model, {**p, **frozen}, (xi,))
        return -F.cross_entropy(logits, yi)

    grads = torch.func.vmap(torch.func.grad(one), in_dims=(None, 0, 0))(params, x, y)
    assert list(fisher) == list(params)  # frozen parameters are left out
    for name in params:
        torch.testing.assert_close(fisher[name], (grads[name] ** 2).mean(0))


def test_fisher_refuses_zero_examples_and_non_scalar_likelihoods():
    model = nn.Linear(2, 1)
    with pytest.raises(ValueError, match="examples"):
        continual.fisher_diagonal(model, [], logistic_log_likelihood)
    with pytest.raises(ValueError, match="one number"):
        continual.fisher_diagonal(model, [torch.ones(3, 2)], lambda m, x: m(x).squeeze(1))


def test_ewc_penalty_by_hand():
    model = nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 2.0]]))
    fisher = {"weight": torch.tensor([[0.5, 2.0]])}
    anchor = {"weight": torch.tensor([[0.0, 3.0]])}
    penalty = continual.ewc_penalty(model, fisher, anchor, lam=3.0)
    assert penalty.dim() == 0
    assert penalty.item() == pytest.approx(3.0 / 2 * (0.5 * 1.0 + 2.0 * 1.0))
    penalty.backward()  # d/dtheta = lam F (theta - theta*)
    torch.testing.assert_close(model.weight.grad, torch.tensor([[3.0 * 0.5 * 1.0, 3.0 * 2.0 * -1.0]]))
    snapshot = continual.parameter_snapshot(model)
    assert continual.ewc_penalty(model, fisher, snapshot, lam=3.0).item() == 0.0
    with pytest.raises(ValueError, match="lam"):
        continual.ewc_penalty(model, fisher, anchor, lam=-1.0)
    with pytest.raises(ValueError, match="does not have"):
        continual.ewc_penalty(model, {"w": fisher["weight"]}, {"w": anchor["weight"]}, lam=1.0)


def tiny_gpt():
    torch.manual_seed(0)
    config = ModelConfig.llama(vocab_size=19, block_size=16, n_layer=2, n_head=2, n_embd=16)
    return lora.apply_lora(GPT(config), r=2, alpha=4)


def test_task_adapters_switch_and_do_not_forget():
    model = tiny_gpt()
    base = {k: v.clone() for k, v in model.state_dict().items() if "lora_" not in k}
    adapters = continual.TaskAdapters(model, ["a", "b", "c"])
    g = torch.Generator().manual_seed(3)
    idx = torch.randint(0, 19, (2, 12), generator=g)
    targets = {"a": idx, "b": torch.randint(0, 19, (2, 12), generator=g)}  # each task its own targets
    outputs = {}
    for task in ["a", "b"]:
        adapters.switch(task)
        optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.5)
        for _ in range(3):
            optimizer.zero_grad()
            model(idx, targets[task])[1].backward()
            optimizer.step()
        outputs[task] = model(idx)[0].detach().clone()
    assert not torch.equal(outputs["a"], outputs["b"])
    adapters.switch("c")  # untouched: the base's own outputs
    with torch.no_grad():
        untouched = GPT(model.config)
        untouched.load_state_dict({k.replace(".base.", "."): v for k, v in base.items()})
    torch.testing.assert_close(model(idx)[0], untouched(idx)[0])
    for task in ["a", "b", "a"]:
        adapters.switch(task)
        assert torch.equal(model(idx)[0], outputs[task])
    assert all(torch.equal(v, base[k]) for k, v in model.state_dict().items() if "lora_" not in k)


def test_task_adapters_refuse_unknown_tasks_and_plain_models():
    adapters = continual.TaskAdapters(tiny_gpt(), [0, 1])
    with pytest.raises(ValueError, match="unknown task 2"):
        adapters.switch(2)
    assert adapters.active == 0
    with pytest.raises(ValueError, match="apply_lora"):
        continual.TaskAdapters(GPT(ModelConfig.llama(vocab_size=9, block_size=8, n_layer=1, n_head=1, n_embd=8)), [0])
    with pytest.raises(ValueError, match="distinct"):
        continual.TaskAdapters(tiny_gpt(), [0, 0])
