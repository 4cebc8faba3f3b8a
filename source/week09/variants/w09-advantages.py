# %% variant: population-std
# Divides by the population std (divide by G) instead of the sample std (G - 1).
def group_advantages(rewards, scale=True, eps=1e-4):
    """GRPO's advantages for rewards (P, G): G sampled answers for each of P prompts -> (P, G), rewards' dtype.

    Each reward minus its row's mean; with scale=True, divided by (the row's sample std, torch.std's default
    Bessel-corrected one, + eps). A row of equal rewards gets advantages 0 (never NaN).
    Raise ValueError if rewards is not 2-D or G < 2 (one sample has no baseline).
    """
    ### BEGIN SOLUTION
    if rewards.dim() != 2 or rewards.size(1) < 2:
        raise ValueError(f"rewards must be (prompts, G) with G >= 2, got shape {tuple(rewards.shape)}")
    centred = rewards - rewards.mean(dim=1, keepdim=True)
    if not scale:
        return centred
    return centred / (rewards.std(dim=1, keepdim=True, unbiased=False) + eps)
    ### END SOLUTION

# %% variant: not-mean-centred
# Scales the rewards by the std without subtracting the group's mean.
def group_advantages(rewards, scale=True, eps=1e-4):
    """GRPO's advantages for rewards (P, G): G sampled answers for each of P prompts -> (P, G), rewards' dtype.

    Each reward minus its row's mean; with scale=True, divided by (the row's sample std, torch.std's default
    Bessel-corrected one, + eps). A row of equal rewards gets advantages 0 (never NaN).
    Raise ValueError if rewards is not 2-D or G < 2 (one sample has no baseline).
    """
    ### BEGIN SOLUTION
    if rewards.dim() != 2 or rewards.size(1) < 2:
        raise ValueError(f"rewards must be (prompts, G) with G >= 2, got shape {tuple(rewards.shape)}")
    centred = rewards
    if not scale:
        return centred
    return centred / (rewards.std(dim=1, keepdim=True) + eps)
    ### END SOLUTION

# %% variant: std-without-eps
# No eps: a group of equal rewards gives 0 / 0 = NaN.
def group_advantages(rewards, scale=True, eps=1e-4):
    """GRPO's advantages for rewards (P, G): G sampled answers for each of P prompts -> (P, G), rewards' dtype.

    Each reward minus its row's mean; with scale=True, divided by (the row's sample std, torch.std's default
    Bessel-corrected one, + eps). A row of equal rewards gets advantages 0 (never NaN).
    Raise ValueError if rewards is not 2-D or G < 2 (one sample has no baseline).
    """
    ### BEGIN SOLUTION
    if rewards.dim() != 2 or rewards.size(1) < 2:
        raise ValueError(f"rewards must be (prompts, G) with G >= 2, got shape {tuple(rewards.shape)}")
    centred = rewards - rewards.mean(dim=1, keepdim=True)
    if not scale:
        return centred
    return centred / rewards.std(dim=1, keepdim=True)
    ### END SOLUTION

# %% variant: centred-over-the-batch
# Subtracts the mean of all rewards instead of each group's.
def group_advantages(rewards, scale=True, eps=1e-4):
    """GRPO's advantages for rewards (P, G): G sampled answers for each of P prompts -> (P, G), rewards' dtype.

    Each reward minus its row's mean; with scale=True, divided by (the row's sample std, torch.std's default
    Bessel-corrected one, + eps). A row of equal rewards gets advantages 0 (never NaN).
    Raise ValueError if rewards is not 2-D or G < 2 (one sample has no baseline).
    """
    ### BEGIN SOLUTION
    if rewards.dim() != 2 or rewards.size(1) < 2:
        raise ValueError(f"rewards must be (prompts, G) with G >= 2, got shape {tuple(rewards.shape)}")
    centred = rewards - rewards.mean()
    if not scale:
        return centred
    return centred / (rewards.std(dim=1, keepdim=True) + eps)
    ### END SOLUTION
