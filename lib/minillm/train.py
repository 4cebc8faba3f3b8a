"""The training loop and its parts: AdamW, parameter groups, the learning-rate schedule, gradient clipping,
bf16 autocast, checkpoints that resume exactly, and `train`, which puts them together.

Every model here follows the course convention `model(idx, targets) -> (logits, loss)`.
"""

import contextlib
import math
import random
import time
from dataclasses import dataclass, field

import numpy as np
import torch
from tqdm.auto import tqdm

from minillm import viz


class AdamW(torch.optim.Optimizer):
    """Adam with decoupled weight decay ("Decoupled Weight Decay Regularization", Loshchilov & Hutter, 2019).

    For each parameter p with gradient g, at step t = 1, 2, ...:
        p <- p * (1 - lr * weight_decay)          decay acts on the weights, not through the gradient statistics
        m <- beta1 * m + (1 - beta1) * g          first moment: running mean of gradients
        v <- beta2 * v + (1 - beta2) * g^2        second moment: running mean of squared gradients
        p <- p - lr * m_hat / (sqrt(v_hat) + eps) with m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)
    The bias corrections undo the pull towards 0 of m and v, which start at 0. Equals torch.optim.AdamW
    (amsgrad=False) step for step; per-parameter state: step (int), exp_avg (m), exp_avg_sq (v).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        if lr < 0.0:
            raise ValueError(f"lr must be >= 0, got {lr}")
        if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
            raise ValueError(f"betas must both be in [0, 1), got {betas}")
        if eps < 0.0:
            raise ValueError(f"eps must be >= 0, got {eps}")
        if weight_decay < 0.0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient. `closure` (optional) re-evaluates the loss."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state.update(step=0, exp_avg=torch.zeros_like(p), exp_avg_sq=torch.zeros_like(p))
                state["step"] += 1
                t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
                if group["weight_decay"]:
                    p.mul_(1.0 - lr * group["weight_decay"])
                m.lerp_(p.grad, 1.0 - beta1)  # m + (1 - beta1) * (g - m), one op
                v.mul_(beta2).addcmul_(p.grad, p.grad, value=1.0 - beta2)
                denominator = (v.sqrt() / math.sqrt(1.0 - beta2**t)).add_(eps)
                p.addcdiv_(m, denominator, value=-lr / (1.0 - beta1**t))
        return loss


def param_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    """Optimiser parameter groups: `weight_decay` for every trainable tensor with >= 2 dims, 0 for the rest.

    Matrices (linear weights and embeddings) are decayed; vectors (biases, LayerNorm/RMSNorm gains) are not,
    since shrinking a gain or a bias towards 0 does not make the model simpler. Embeddings are decayed like
    any matrix, which also keeps a tied embedding / output matrix in one group. Each tensor appears once.
    """
    if weight_decay < 0.0:
        raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
    trainable = [p for p in model.parameters() if p.requires_grad]
    groups = [
        {"params": [p for p in trainable if p.dim() >= 2], "weight_decay": weight_decay},
        {"params": [p for p in trainable if p.dim() < 2], "weight_decay": 0.0},
    ]
    return [group for group in groups if group["params"]]


def cosine_schedule(step: int, max_lr: float, warmup_steps: int, total_steps: int, min_lr: float) -> float:
    """Learning rate at `step` (0-based): linear warmup, then cosine decay to `min_lr`, then flat.

    step < warmup_steps:               max_lr * (step + 1) / warmup_steps   (reaches max_lr at step warmup_steps - 1)
    warmup_steps <= step <= total_steps: min_lr + (max_lr - min_lr) * (1 + cos(pi * progress)) / 2,
                                       progress = (step - warmup_steps) / (total_steps - warmup_steps)
    step > total_steps:                min_lr
    """
    if step < 0:
        raise ValueError(f"step must be >= 0, got {step}")
    if not 0 <= warmup_steps < total_steps:
        raise ValueError(f"need 0 <= warmup_steps < total_steps, got {warmup_steps} and {total_steps}")
    if not 0.0 <= min_lr <= max_lr:
        raise ValueError(f"need 0 <= min_lr <= max_lr, got min_lr={min_lr}, max_lr={max_lr}")
    if step < warmup_steps:
        return max_lr * (step + 1) / warmup_steps
    if step > total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (max_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))


def clip_grad_norm(parameters, max_norm: float) -> torch.Tensor:
    """Scale all gradients by one factor so that their global L2 norm is at most `max_norm`.

    global norm = sqrt(sum of g^2 over every entry of every gradient); factor = min(1, max_norm / (norm + 1e-6)).
    One factor for all keeps the update's direction. Returns the norm before clipping (0-d tensor), as
    torch.nn.utils.clip_grad_norm_ does. `parameters`: a tensor or an iterable of tensors.
    """
    if max_norm <= 0.0:
        raise ValueError(f"max_norm must be > 0, got {max_norm}")
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    total_norm = torch.stack([g.norm() for g in grads]).norm()  # the norm of the per-tensor norms
    factor = (max_norm / (total_norm + 1e-6)).clamp(max=1.0)  # a tensor: no sync with the GPU
    for g in grads:
        g.mul_(factor)
    return total_norm


def bf16_autocast(device, enabled: bool = True):
    """Context manager running eligible ops (matmuls, linear layers) in bfloat16 on `device` ("cpu", "cuda",
    "mps" or a torch.device). bf16 keeps float32's exponent range, so unlike float16 it needs no loss scaling.
    A no-op context where bf16 autocast is unsupported (an old GPU, an unknown device type) or `enabled` is False.
    """
    device_type = torch.device(device).type
    supported = torch.amp.is_autocast_available(device_type) and (
        device_type != "cuda" or torch.cuda.is_bf16_supported()
    )
    if enabled and supported:
        return torch.autocast(device_type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def _rng_states() -> dict:
    """Every random number generator a run draws from, as plain values and tensors."""
    kind, keys, position, has_gauss, cached_gauss = np.random.get_state()
    states = {
        "python": random.getstate(),
        "numpy": (kind, torch.from_numpy(keys.astype(np.int64)), int(position), int(has_gauss), float(cached_gauss)),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        states["cuda"] = torch.cuda.get_rng_state_all()
    if torch.backends.mps.is_available():
        states["mps"] = torch.mps.get_rng_state()
    return states


def _set_rng_states(states: dict) -> None:
    random.setstate(states["python"])
    kind, keys, position, has_gauss, cached_gauss = states["numpy"]
    np.random.set_state((kind, keys.numpy().astype(np.uint32), position, has_gauss, cached_gauss))
    torch.set_rng_state(states["torch"])
    if "cuda" in states:
        torch.cuda.set_rng_state_all(states["cuda"])
    if "mps" in states:
        torch.mps.set_rng_state(states["mps"])


def save_checkpoint(path, model: torch.nn.Module, optimizer: torch.optim.Optimizer, step: int, **extra) -> None:
    """Save what a run needs to continue exactly: weights, optimiser state, `step`, the RNG states (Python,
    NumPy, torch, CUDA/MPS if present) and `extra`. Keep `extra` to plain values (numbers, strings, lists, dicts,
    tensors, e.g. dataclasses.asdict(config) or generator.get_state()): loading refuses anything that would run code.
    """
    checkpoint = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "step": step,
        "rng": _rng_states(),
        "extra": extra,
    }
    torch.save(checkpoint, path)


def load_checkpoint(path, model: torch.nn.Module, optimizer: torch.optim.Optimizer | None = None) -> dict:
    """Load a `save_checkpoint` file into `model` (and `optimizer` if given) and restore every RNG state,
    so that the next random draw is the one the saved run would have made. Returns {"step": step, **extra}.
    """
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(checkpoint["model"])
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer"])
    _set_rng_states(checkpoint["rng"])
    return {"step": checkpoint["step"], **checkpoint["extra"]}


@dataclass
class TrainingLog:
    """What `train` measured.

    steps, losses, lrs, tokens_per_s: one entry per optimiser step; losses[i] is the training loss of the
        batch step steps[i] learned from (before its update), lrs[i] the learning rate it used.
    val_steps, val_losses: one entry per evaluation; val_losses[i] was measured after val_steps[i] updates.
    """

    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    lrs: list[float] = field(default_factory=list)
    tokens_per_s: list[float] = field(default_factory=list)
    val_steps: list[int] = field(default_factory=list)
    val_losses: list[float] = field(default_factory=list)

    def figure(self, title: str = "loss"):
        """The training (and validation) loss curves as a plotly figure, see `viz.loss_curve`."""
        return viz.loss_curve(self, title=title)


@torch.no_grad()
def evaluate(model: torch.nn.Module, get_batch, num_batches: int, autocast: bool = False) -> float:
    """Mean loss of `model` over `num_batches` batches from `get_batch()`, in eval mode (no dropout)."""
    if num_batches < 1:
        raise ValueError(f"num_batches must be >= 1, got {num_batches}")
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    total = 0.0
    for _ in range(num_batches):
        x, y = get_batch()
        with bf16_autocast(device, enabled=autocast):
            _, loss = model(x, y)
        total += loss.item()
    model.train(was_training)
    return total / num_batches


def train(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    get_batch,
    steps: int,
    *,
    lr_schedule=None,
    grad_accum_steps: int = 1,
    max_grad_norm: float | None = None,
    get_val_batch=None,
    eval_every: int = 0,
    eval_batches: int = 20,
    autocast: bool = False,
    start_step: int = 0,
    progress: bool = True,
) -> TrainingLog:
    """Run optimiser steps start_step, ..., start_step + steps - 1 and return what was measured.

    get_batch: callable returning one micro-batch (x, y) of (B, T) token ids on the model's device.
    lr_schedule: callable step -> learning rate, written into every parameter group before each step
        (e.g. functools.partial(cosine_schedule, max_lr=1e-3, warmup_steps=100, total_steps=2000, min_lr=1e-4));
        None leaves the optimiser's learning rates alone.
    grad_accum_steps: micro-batches per step; each loss is divided by their number, so the summed gradient
        equals the gradient of the mean loss over the big batch they make together.
    max_grad_norm: clip the global gradient norm to this value (None: no clipping).
    get_val_batch, eval_every, eval_batches: after every step that completes a multiple of `eval_every`
        updates, log the mean loss over `eval_batches` validation batches (eval_every=0: never).
    autocast: run forward passes under `bf16_autocast`. start_step: where the schedule and the log resume.
    progress: show a tqdm progress bar.
    """
    limits = (("steps", steps, 0), ("grad_accum_steps", grad_accum_steps, 1), ("eval_every", eval_every, 0))
    for name, value, smallest in limits:
        if value < smallest:
            raise ValueError(f"{name} must be >= {smallest}, got {value}")
    if eval_every and get_val_batch is None:
        raise ValueError("eval_every > 0 needs get_val_batch")
    device = next(model.parameters()).device
    log = TrainingLog()
    model.train()
    bar = tqdm(range(start_step, start_step + steps), desc="training", disable=not progress)
    for step in bar:
        started = time.perf_counter()
        if lr_schedule is not None:
            for group in optimizer.param_groups:
                group["lr"] = lr_schedule(step)
        optimizer.zero_grad(set_to_none=True)
        loss_sum, tokens = 0.0, 0
        for _ in range(grad_accum_steps):
            x, y = get_batch()
            with bf16_autocast(device, enabled=autocast):
                _, loss = model(x, y)
            (loss / grad_accum_steps).backward()
            loss_sum += loss.detach()
            tokens += y.numel()
        if max_grad_norm is not None:
            clip_grad_norm(model.parameters(), max_grad_norm)
        optimizer.step()
        loss_value = (loss_sum / grad_accum_steps).item()  # .item() waits for the GPU, so the time below is real
        log.steps.append(step)
        log.losses.append(loss_value)
        log.lrs.append(optimizer.param_groups[0]["lr"])
        log.tokens_per_s.append(tokens / (time.perf_counter() - started))
        bar.set_postfix(loss=f"{loss_value:.4f}", lr=f"{log.lrs[-1]:.2e}", refresh=False)
        if eval_every and (step + 1) % eval_every == 0:
            log.val_steps.append(step + 1)
            log.val_losses.append(evaluate(model, get_val_batch, eval_batches, autocast=autocast))
    return log
