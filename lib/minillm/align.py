"""Alignment (week 09): the per-token quantities every post-training loss is made of, and the losses.

Shapes: logits (B, T, V) from the model on inputs (B, T); targets (B, T) the next tokens; mask (B, T) with 1
where a target is part of the response being trained (minillm.chat.collate makes all three).

The losses: SFT (mean NLL of the response tokens, also accumulated over micro-batches), DPO ("Direct
Preference Optimization", Rafailov et al., 2023) and GRPO ("DeepSeekMath", Shao et al., 2024) with its
group-normalised advantages, clipped surrogate and k3 KL penalty, aggregated as TRL's loss_type="grpo".
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


def masked_mean(values: torch.Tensor, mask: torch.Tensor, dim: int | None = None) -> torch.Tensor:
    """Mean of values where mask is 1: over every position of the batch (dim None, a 0-d tensor) or along dim
    (one mean per row). Raises ValueError if the mask is all zero (for dim, in any row): the mean is undefined."""
    total = mask.sum() if dim is None else mask.sum(dim)
    if (total == 0).any():
        raise ValueError("mask: no position is masked in" + ("" if dim is None else " in some row")
                         + ", so the mean is undefined")
    return (values * mask).sum() / total if dim is None else (values * mask).sum(dim) / total


def masked_sum_normalise(values: torch.Tensor, mask: torch.Tensor, normaliser: float, dim: int | None = None):
    """Sum of values where mask is 1, divided by a constant normaliser (not the mask's own count): all of it
    (dim None) or along dim. Dividing every micro-batch by the whole batch's token count makes accumulated
    gradients equal to the whole batch's (see sft_accumulate); Dr. GRPO divides by a fixed length this way."""
    if not normaliser > 0:
        raise ValueError(f"normaliser: expected a positive number, got {normaliser!r}")
    return (values * mask).sum() / normaliser if dim is None else (values * mask).sum(dim) / normaliser


def sft_loss(logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Supervised fine-tuning loss: mean negative log-likelihood over the response tokens (mask 1) only."""
    return -masked_mean(token_logprobs(logits, targets), mask.to(logits.dtype))


def sft_accumulate(model, micro_batches) -> float:
    """Backpropagate the SFT loss of a batch given as micro-batches, one backward() per micro-batch.

    micro_batches: a list of (inputs, targets, mask) as minillm.chat.collate makes them. Each micro-batch's
    summed NLL is divided by the masked token count of the whole batch, so the gradients add up to those of
    sft_loss on the whole batch at once, however unevenly the tokens fall. Returns that loss as a float; the
    caller zeroes the gradients before and steps the optimiser after.
    """
    total = sum(float(mask.sum()) for _, _, mask in micro_batches)
    if total == 0:
        raise ValueError("micro_batches: no target is masked in, so there is nothing to learn")
    loss = 0.0
    for inputs, targets, mask in micro_batches:
        logits = model(inputs)[0]
        part = -masked_sum_normalise(token_logprobs(logits, targets), mask.to(logits.dtype), total)
        part.backward()
        loss += part.item()
    return loss


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta: float = 0.1) -> torch.Tensor:
    """DPO: mean over pairs of -log sigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r))).

    Each argument is (B,): the summed log-probability of a pair's chosen or rejected response under the policy
    or the frozen reference. beta > 0. A pair whose two log-ratios are equal (identical answers, say) gives
    log 2 and no gradient; minillm.posttrain.preference_rows refuses identical answers before that.
    """
    if not beta > 0:
        raise ValueError(f"beta: expected a positive number, got {beta!r}")
    margin = (policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)
    return -F.logsigmoid(beta * margin).mean()


def group_advantages(rewards: torch.Tensor, scale: bool = True, eps: float = 1e-4) -> torch.Tensor:
    """GRPO's advantages: rewards (P, G), G sampled answers for each of P prompts -> (P, G).

    Each reward minus its group's mean; with scale, divided by the group's sample standard deviation
    (Bessel-corrected, as torch.std and TRL) plus eps. A group whose rewards are all equal gets advantages 0.
    G = 1 has no baseline (the advantage would be 0 and the std undefined): ValueError.
    """
    if rewards.dim() != 2:
        raise ValueError(f"rewards: expected (prompts, group size), got shape {tuple(rewards.shape)}")
    if rewards.size(1) < 2:
        raise ValueError("rewards: a group of one sample has no baseline to compare with; sample G >= 2 per prompt")
    centred = rewards - rewards.mean(dim=1, keepdim=True)
    return centred / (rewards.std(dim=1, keepdim=True) + eps) if scale else centred


def k3_kl(logprobs: torch.Tensor, ref_logprobs: torch.Tensor) -> torch.Tensor:
    """Per-token k3 estimate of KL(policy || reference) at the sampled tokens: exp(r) - r - 1, r = ref - policy.

    Never negative, 0 where the two agree; its expectation under the policy is the exact KL (Schulman, 2020)."""
    log_ratio = ref_logprobs - logprobs
    return torch.exp(log_ratio) - log_ratio - 1


def grpo_loss(logprobs, old_logprobs, ref_logprobs, advantages, mask, clip_eps: float = 0.2, beta: float = 0.04,
              kl_times_ratio: bool = False):
    """GRPO's loss on B sampled responses: a 0-d tensor to minimise.

    logprobs (B, T) under the policy being trained (with gradient); old_logprobs (B, T) under the policy that
    sampled them; ref_logprobs (B, T) under the frozen reference; advantages (B,); mask (B, T) 1 on response
    tokens. Per token: ratio = exp(logprobs - old_logprobs),
        loss = -min(ratio * A, clip(ratio, 1 - clip_eps, 1 + clip_eps) * A) + beta * k3_kl(logprobs, ref),
    averaged over each response's tokens, then over responses (TRL's loss_type="grpo").
    kl_times_ratio: multiply the k3 term by the ratio, whose gradient makes it the unbiased gradient of the
    reverse KL (DeepSeek-V3.2; TRL 1.16's default use_bias_correction_kl=True). False is DeepSeekMath's GRPO.
    """
    ratio = torch.exp(logprobs - old_logprobs)
    advantages = advantages.unsqueeze(1)
    surrogate = torch.min(ratio * advantages, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * advantages)
    kl = k3_kl(logprobs, ref_logprobs) * (ratio if kl_times_ratio else 1)
    per_token = -surrogate + beta * kl
    return masked_mean(per_token, mask.to(per_token.dtype), dim=1).mean()
