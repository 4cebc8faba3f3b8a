"""Continual learning: the metrics of a task sequence, a rehearsal buffer, EWC and one LoRA adapter per task.

The accuracy matrix R (T x T, a list of lists or a tensor): R[i][j] is the performance on task j after training
through task i (tasks counted from 0 here, from 1 in the papers). Performance is *higher is better*, e.g. an
accuracy as in "Gradient Episodic Memory for Continual Learning" (Lopez-Paz & Ranzato, 2017); to use losses,
pass R = -loss, and every formula below keeps its meaning (forgetting > 0 is still forgetting).

    average_accuracy   ACC = 1/T       sum_j          R[T-1][j]                       (GEM)
    backward_transfer  BWT = 1/(T-1)   sum_{j<T-1}   (R[T-1][j] - R[j][j])            (GEM; < 0 means forgetting)
    forward_transfer   FWT = 1/(T-1)   sum_{j>=1}    (R[j-1][j] - b[j])               (GEM; b[j]: a randomly
                                                                                       initialised model on task j)
    forgetting         F   = 1/(T-1)   sum_{j<T-1}   (max_{l<T-1} R[l][j] - R[T-1][j])
                       ("Riemannian Walk for Incremental Learning", Chaudhry et al., 2018: the drop from the best
                       performance any earlier row had on task j)

Rehearsal: `ReservoirBuffer` keeps a uniform sample of everything it was offered (Vitter's Algorithm R) with an
explicit `random.Random`, and `mixed_batch` appends stored rows to a batch of the current task.

EWC ("Overcoming catastrophic forgetting in neural networks", Kirkpatrick et al., 2017): `fisher_diagonal`
is the empirical Fisher from one gradient of the log-likelihood per example, and `ewc_penalty` is
lambda / 2 * sum_i F_i (theta_i - theta*_i)^2.

`TaskAdapters` keeps one LoRA adapter per task over one frozen base (week 06's `minillm.lora`) and switches.
"""

import torch

from minillm import lora


def _matrix(R):
    """R as a square float64 tensor (T, T) with T >= 1; ValueError naming R otherwise."""
    R = torch.as_tensor(R, dtype=torch.float64)
    if R.dim() != 2 or R.shape[0] != R.shape[1] or R.shape[0] == 0:
        raise ValueError(f"R must be a non-empty square T x T matrix of performances, got shape {tuple(R.shape)}")
    return R


def _sequence(R, what):
    """R as in _matrix, with at least two tasks (the transfers and forgetting average over T - 1 of them)."""
    R = _matrix(R)
    if R.shape[0] < 2:
        raise ValueError(f"R has one task: {what} needs at least two")
    return R


def average_accuracy(R) -> float:
    """ACC: the mean of the last row of R, performance on every task after the last one was learned."""
    return _matrix(R)[-1].mean().item()


def backward_transfer(R) -> float:
    """BWT: the mean over the first T - 1 tasks of R[T-1][j] - R[j][j] (negative: forgetting)."""
    R = _sequence(R, "backward transfer")
    return (R[-1, :-1] - R.diagonal()[:-1]).mean().item()


def forward_transfer(R, b) -> float:
    """FWT: the mean over tasks j = 1 .. T-1 of R[j-1][j] - b[j]; b (T,): a randomly initialised model's
    performance on each task. Positive: learning earlier tasks helped task j before it was trained on."""
    R = _sequence(R, "forward transfer")
    b = torch.as_tensor(b, dtype=torch.float64)
    if b.shape != (R.shape[0],):
        raise ValueError(f"b must hold one performance per task, shape ({R.shape[0]},), got {tuple(b.shape)}")
    return (R.diagonal(offset=1) - b[1:]).mean().item()


def forgetting(R) -> float:
    """Average forgetting after the last task: mean over j < T-1 of max_{l < T-1} R[l][j] - R[T-1][j]."""
    R = _sequence(R, "forgetting")
    return (R[:-1, :-1].amax(dim=0) - R[-1, :-1]).mean().item()


def continual_metrics(R, b) -> dict:
    """All four as a dict of floats: {"ACC", "BWT", "FWT", "forgetting"}."""
    return {"ACC": average_accuracy(R), "BWT": backward_transfer(R), "FWT": forward_transfer(R, b),
            "forgetting": forgetting(R)}


class ReservoirBuffer:
    """A uniform sample of at most `capacity` of the items offered so far (reservoir sampling, Algorithm R).

    add(item): the n-th item offered (n counts from 1) is appended while the buffer is not full; after that
    exactly one draw j = rng.randrange(n) is made and the item replaces items[j] if j < capacity, else it is
    dropped. So after n items each one is held with probability capacity / n, and every capacity-subset is
    equally likely. sample(k): rng.sample(items, min(k, len(buffer))), distinct stored items.
    rng: a random.Random (anything with randrange and sample), the only source of randomness.
    """

    def __init__(self, capacity, rng):
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"capacity must be a positive integer, got {capacity!r}")
        self.capacity, self.rng = capacity, rng
        self.items, self.seen = [], 0

    def add(self, item):
        self.seen += 1
        if len(self.items) < self.capacity:
            self.items.append(item)
            return
        j = self.rng.randrange(self.seen)
        if j < self.capacity:
            self.items[j] = item

    def sample(self, k):
        if k < 0:
            raise ValueError(f"k must be >= 0, got {k}")
        return self.rng.sample(self.items, min(k, len(self.items)))

    def __len__(self):
        return len(self.items)


def mixed_batch(current, buffer, n_replay):
    """The rows of `current` (B, ...) followed by buffer.sample(n_replay) stacked: (B + m, ...), m = min(n_replay,
    len(buffer)). Stored items are tensors shaped like one row of current; an empty buffer gives current alone."""
    if n_replay < 0:
        raise ValueError(f"n_replay must be >= 0, got {n_replay}")
    replay = buffer.sample(n_replay)
    if not replay:
        return current
    replay = torch.stack(replay).to(current.device)
    if replay.shape[1:] != current.shape[1:]:
        raise ValueError(f"buffer rows have shape {tuple(replay.shape[1:])}, current rows {tuple(current.shape[1:])}")
    return torch.cat([current, replay])


def fisher_diagonal(model, examples, log_likelihood):
    """The diagonal empirical Fisher information: F_i = 1/N sum_n (d log p(example_n | theta) / d theta_i)^2.

    One gradient per example (the square of each example's gradient, not of the batch mean's).
    examples: a non-empty iterable; log_likelihood(model, example) -> 0-d tensor, log p(example) (for a language
    model, e.g. minus the window's mean cross-entropy). Runs in the model's current mode; leaves .grad alone.
    Returns {name: tensor shaped like the parameter} for every parameter with requires_grad.
    """
    examples = list(examples)
    if not examples:
        raise ValueError("examples is empty: the Fisher information is an average over at least one example")
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    totals = {name: torch.zeros_like(p) for name, p in params.items()}
    for example in examples:
        value = log_likelihood(model, example)
        if value.dim() != 0:
            raise ValueError(f"log_likelihood must return one number per example, got shape {tuple(value.shape)}")
        grads = torch.autograd.grad(value, list(params.values()), allow_unused=True)
        for name, grad in zip(params, grads):
            if grad is not None:
                totals[name] += grad.detach() ** 2
    return {name: total / len(examples) for name, total in totals.items()}


def parameter_snapshot(model):
    """theta*: {name: detached clone} of every parameter with requires_grad, the anchor of an EWC penalty."""
    return {name: p.detach().clone() for name, p in model.named_parameters() if p.requires_grad}


def ewc_penalty(model, fisher, anchor, lam):
    """lam / 2 * sum over parameters and entries of F * (theta - theta*)^2, a 0-d tensor with gradients.

    fisher, anchor: {name: tensor} with the same names, each a parameter of model (from fisher_diagonal and
    parameter_snapshot); lam >= 0.
    """
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    if set(fisher) != set(anchor):
        raise ValueError(f"fisher and anchor name different parameters: {sorted(set(fisher) ^ set(anchor))[:3]}")
    params = dict(model.named_parameters())
    unknown = sorted(set(fisher) - set(params))
    if unknown:
        raise ValueError(f"fisher names parameters the model does not have: {unknown[:3]}")
    total = sum(((params[n] - anchor[n]) ** 2 * fisher[n]).sum() for n in fisher)
    return lam / 2 * torch.as_tensor(total)


class TaskAdapters:
    """One LoRA adapter per task over one frozen base: a model with LoRA layers (lora.apply_lora) and its tasks.

    Every task starts from the adapter the model holds when this is built (B = 0: the base's own outputs), and
    the first task is active. switch(task) stores the live adapter as the active task's and loads `task`'s
    (lora.load_adapter copies into the same parameters, so the base is never touched and an optimiser built
    over the adapters stays valid). Returns the model.
    """

    def __init__(self, model, tasks):
        if not lora.lora_layers(model):
            raise ValueError("model has no LoRA layers: wrap it with lora.apply_lora first")
        tasks = list(tasks)
        if not tasks or len(set(tasks)) != len(tasks):
            raise ValueError(f"tasks must be a non-empty list of distinct task ids, got {tasks!r}")
        self.model = model
        start = lora.adapter_state_dict(model)
        self.states = {task: {k: v.clone() for k, v in start.items()} for task in tasks}
        self.active = tasks[0]

    def switch(self, task):
        if task not in self.states:
            raise ValueError(f"unknown task {task!r}; the tasks are {list(self.states)}")
        self.states[self.active] = lora.adapter_state_dict(self.model)
        lora.load_adapter(self.model, self.states[task])
        self.active = task
        return self.model
