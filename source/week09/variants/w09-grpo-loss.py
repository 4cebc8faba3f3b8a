# %% variant: max-instead-of-min
# Takes the optimistic max of the two surrogate terms.
def k3_kl(logprobs, ref_logprobs):
    """Per-token k3 estimate of KL(policy || reference): exp(r) - r - 1 with r = ref_logprobs - logprobs.

    Both (B, T) log-probabilities of the sampled tokens; returns (B, T), >= 0, 0 where they agree.
    """
    ### BEGIN SOLUTION
    log_ratio = ref_logprobs - logprobs
    return torch.exp(log_ratio) - log_ratio - 1
    ### END SOLUTION


def grpo_loss(logprobs, old_logprobs, ref_logprobs, advantages, mask, clip_eps=0.2, beta=0.04):
    """GRPO's loss, a 0-d tensor. logprobs (B, T) under the policy (with gradient), old_logprobs (B, T) under the
    policy that sampled the answers, ref_logprobs (B, T) under the reference, advantages (B,) one per answer,
    mask (B, T) 1 on response tokens. Per token:
        ratio = exp(logprobs - old_logprobs)
        loss_t = -min(ratio * A, clamp(ratio, 1 - clip_eps, 1 + clip_eps) * A) + beta * k3_kl(logprobs, ref_logprobs)
    then the masked mean of loss_t over each answer's tokens (your masked_mean with dim=1), then the mean over
    the B answers. Masked-out positions (padding, prompt) must not count, whatever their values.
    """
    ### BEGIN SOLUTION
    ratio = torch.exp(logprobs - old_logprobs)
    adv = advantages.unsqueeze(1)
    surrogate = torch.max(ratio * adv, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * adv)
    per_token = -surrogate + beta * k3_kl(logprobs, ref_logprobs)
    return masked_mean(per_token, mask, dim=1).mean()
    ### END SOLUTION

# %% variant: k3-ratio-inverted
# k3 with r = policy - reference instead of reference - policy.
def k3_kl(logprobs, ref_logprobs):
    """Per-token k3 estimate of KL(policy || reference): exp(r) - r - 1 with r = ref_logprobs - logprobs.

    Both (B, T) log-probabilities of the sampled tokens; returns (B, T), >= 0, 0 where they agree.
    """
    ### BEGIN SOLUTION
    log_ratio = logprobs - ref_logprobs
    return torch.exp(log_ratio) - log_ratio - 1
    ### END SOLUTION


def grpo_loss(logprobs, old_logprobs, ref_logprobs, advantages, mask, clip_eps=0.2, beta=0.04):
    """GRPO's loss, a 0-d tensor. logprobs (B, T) under the policy (with gradient), old_logprobs (B, T) under the
    policy that sampled the answers, ref_logprobs (B, T) under the reference, advantages (B,) one per answer,
    mask (B, T) 1 on response tokens. Per token:
        ratio = exp(logprobs - old_logprobs)
        loss_t = -min(ratio * A, clamp(ratio, 1 - clip_eps, 1 + clip_eps) * A) + beta * k3_kl(logprobs, ref_logprobs)
    then the masked mean of loss_t over each answer's tokens (your masked_mean with dim=1), then the mean over
    the B answers. Masked-out positions (padding, prompt) must not count, whatever their values.
    """
    ### BEGIN SOLUTION
    ratio = torch.exp(logprobs - old_logprobs)
    adv = advantages.unsqueeze(1)
    surrogate = torch.min(ratio * adv, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * adv)
    per_token = -surrogate + beta * k3_kl(logprobs, ref_logprobs)
    return masked_mean(per_token, mask, dim=1).mean()
    ### END SOLUTION

# %% variant: kl-not-masked
# The KL term is averaged over every position, padding included.
def k3_kl(logprobs, ref_logprobs):
    """Per-token k3 estimate of KL(policy || reference): exp(r) - r - 1 with r = ref_logprobs - logprobs.

    Both (B, T) log-probabilities of the sampled tokens; returns (B, T), >= 0, 0 where they agree.
    """
    ### BEGIN SOLUTION
    log_ratio = ref_logprobs - logprobs
    return torch.exp(log_ratio) - log_ratio - 1
    ### END SOLUTION


def grpo_loss(logprobs, old_logprobs, ref_logprobs, advantages, mask, clip_eps=0.2, beta=0.04):
    """GRPO's loss, a 0-d tensor. logprobs (B, T) under the policy (with gradient), old_logprobs (B, T) under the
    policy that sampled the answers, ref_logprobs (B, T) under the reference, advantages (B,) one per answer,
    mask (B, T) 1 on response tokens. Per token:
        ratio = exp(logprobs - old_logprobs)
        loss_t = -min(ratio * A, clamp(ratio, 1 - clip_eps, 1 + clip_eps) * A) + beta * k3_kl(logprobs, ref_logprobs)
    then the masked mean of loss_t over each answer's tokens (your masked_mean with dim=1), then the mean over
    the B answers. Masked-out positions (padding, prompt) must not count, whatever their values.
    """
    ### BEGIN SOLUTION
    ratio = torch.exp(logprobs - old_logprobs)
    adv = advantages.unsqueeze(1)
    surrogate = torch.min(ratio * adv, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * adv)
    policy = masked_mean(-surrogate, mask, dim=1).mean()
    return policy + beta * k3_kl(logprobs, ref_logprobs).mean()
    ### END SOLUTION

# %% variant: token-mean-over-batch
# Averages over all tokens of the batch at once (TRL's bnpo), not per answer first.
def k3_kl(logprobs, ref_logprobs):
    """Per-token k3 estimate of KL(policy || reference): exp(r) - r - 1 with r = ref_logprobs - logprobs.

    Both (B, T) log-probabilities of the sampled tokens; returns (B, T), >= 0, 0 where they agree.
    """
    ### BEGIN SOLUTION
    log_ratio = ref_logprobs - logprobs
    return torch.exp(log_ratio) - log_ratio - 1
    ### END SOLUTION


def grpo_loss(logprobs, old_logprobs, ref_logprobs, advantages, mask, clip_eps=0.2, beta=0.04):
    """GRPO's loss, a 0-d tensor. logprobs (B, T) under the policy (with gradient), old_logprobs (B, T) under the
    policy that sampled the answers, ref_logprobs (B, T) under the reference, advantages (B,) one per answer,
    mask (B, T) 1 on response tokens. Per token:
        ratio = exp(logprobs - old_logprobs)
        loss_t = -min(ratio * A, clamp(ratio, 1 - clip_eps, 1 + clip_eps) * A) + beta * k3_kl(logprobs, ref_logprobs)
    then the masked mean of loss_t over each answer's tokens (your masked_mean with dim=1), then the mean over
    the B answers. Masked-out positions (padding, prompt) must not count, whatever their values.
    """
    ### BEGIN SOLUTION
    ratio = torch.exp(logprobs - old_logprobs)
    adv = advantages.unsqueeze(1)
    surrogate = torch.min(ratio * adv, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * adv)
    per_token = -surrogate + beta * k3_kl(logprobs, ref_logprobs)
    return masked_mean(per_token, mask)
    ### END SOLUTION
