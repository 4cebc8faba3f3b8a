"""Softmax, log-softmax and cross-entropy written out.

Each equals its PyTorch built-in (F.softmax, F.log_softmax, F.cross_entropy) and stays finite for logits
as large as 1e30 in float32. The trick is the same everywhere: softmax(x) = softmax(x - c) for any constant
c, so subtracting the row maximum first makes every exponent <= 0 and exp() can no longer overflow.
"""

import torch


def _row_max(x: torch.Tensor, dim: int) -> torch.Tensor:
    # Detached: the result does not depend on the shift, so no gradient needs to flow through it.
    return x.amax(dim=dim, keepdim=True).detach()


def softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """exp(x) / sum(exp(x)) along `dim`; same shape as `x`, entries in [0, 1] summing to 1 along `dim`."""
    exps = (x - _row_max(x, dim)).exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def log_softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """log(softmax(x)) along `dim`, computed as x - logsumexp(x) so that it never takes log(0)."""
    shifted = x - _row_max(x, dim)
    return shifted - shifted.exp().sum(dim=dim, keepdim=True).log()


def cross_entropy(
    logits: torch.Tensor,
    targets: torch.Tensor,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
) -> torch.Tensor:
    """Mean negative log-likelihood of `targets` under softmax(`logits`), a scalar tensor.

    logits: (..., C) float, classes on the LAST axis as a language model produces them, e.g. (B, T, C)
        (F.cross_entropy wants classes on axis 1, so it equals F.cross_entropy(logits.view(-1, C), targets.view(-1))).
    targets: (...) integer class indices in [0, C); positions equal to `ignore_index` are left out of the mean.
    label_smoothing: eps in [0, 1]; the target distribution becomes (1 - eps) * one_hot + eps / C, so the loss is
        (1 - eps) * nll + eps * mean over classes of -log p.
    Returns nan when every target is ignored (0 / 0), as PyTorch does.
    """
    if not torch.is_floating_point(logits):
        raise TypeError(f"logits must be a floating-point tensor, got dtype {logits.dtype}")
    if targets.dtype.is_floating_point or targets.dtype == torch.bool:
        raise TypeError(f"targets must hold integer class indices, got dtype {targets.dtype}")
    if logits.dim() < 1 or targets.shape != logits.shape[:-1]:
        raise ValueError(
            f"targets shape {tuple(targets.shape)} must equal logits shape without its last (class) axis, "
            f"got logits {tuple(logits.shape)}"
        )
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    num_classes = logits.shape[-1]
    keep = targets != ignore_index
    if ((targets[keep] < 0) | (targets[keep] >= num_classes)).any():
        raise ValueError(f"targets must be in [0, {num_classes}) or equal ignore_index={ignore_index}")

    log_probs = log_softmax(logits, dim=-1)
    safe_targets = targets.masked_fill(~keep, 0)  # any valid index; these positions are zeroed below
    nll = -log_probs.gather(-1, safe_targets.unsqueeze(-1)).squeeze(-1)
    loss = (1.0 - label_smoothing) * nll
    if label_smoothing > 0.0:
        loss = loss - label_smoothing * log_probs.mean(dim=-1)
    return loss.masked_fill(~keep, 0.0).sum() / keep.sum()
