"""Alignment (week 09): the per-token quantities every post-training loss is made of, and the SFT loss.

Shapes: logits (B, T, V) from the model on inputs (B, T); targets (B, T) the next tokens; mask (B, T) with 1
where a target is part of the response being trained (minillm.chat.collate makes all three).
"""

import torch
import torch.nn.functional as F


def token_logprobs(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """log p(targets[b, t] | prefix): (B, T), in the logits' dtype; finite for any finite logits."""
    return torch.gather(F.log_softmax(logits, dim=-1), -1, targets.unsqueeze(-1)).squeeze(-1)


def entropy(logits: torch.Tensor) -> torch.Tensor:
    """Entropy in nats of each next-token distribution: (B, T); 0 for a one-hot, log V for uniform logits."""
    logp = F.log_softmax(logits, dim=-1)
    return -(logp.exp() * logp).sum(-1)


def masked_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of values where mask is 1, over every position of the batch; raises if the mask is all zero."""
    total = mask.sum()
    if total == 0:
        raise ValueError("mask: no position is masked in, so the mean is undefined")
    return (values * mask).sum() / total


def sft_loss(logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Supervised fine-tuning loss: mean negative log-likelihood over the response tokens (mask 1) only."""
    return -masked_mean(token_logprobs(logits, targets), mask.to(logits.dtype))
