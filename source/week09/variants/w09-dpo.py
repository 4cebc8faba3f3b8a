# %% variant: reference-sign-flipped
# Adds the reference log-probabilities instead of subtracting them.
def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    """DPO's loss: mean over the B pairs of -logsigmoid(beta * ((pc - rc) - (pr - rr))), a 0-d tensor.

    Each argument (B,): the summed log-probability of a pair's chosen (pc, rc) or rejected (pr, rr) response
    under the policy (pc, pr: they carry the gradient) or the frozen reference (rc, rr). Use F.logsigmoid (finite
    for any margin). beta must be > 0, else ValueError.
    """
    ### BEGIN SOLUTION
    if not beta > 0:
        raise ValueError(f"beta must be positive, got {beta}")
    margin = (policy_chosen + ref_chosen) - (policy_rejected + ref_rejected)
    return -F.logsigmoid(beta * margin).mean()
    ### END SOLUTION

# %% variant: missing-beta
# Forgets beta inside the sigmoid.
def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    """DPO's loss: mean over the B pairs of -logsigmoid(beta * ((pc - rc) - (pr - rr))), a 0-d tensor.

    Each argument (B,): the summed log-probability of a pair's chosen (pc, rc) or rejected (pr, rr) response
    under the policy (pc, pr: they carry the gradient) or the frozen reference (rc, rr). Use F.logsigmoid (finite
    for any margin). beta must be > 0, else ValueError.
    """
    ### BEGIN SOLUTION
    if not beta > 0:
        raise ValueError(f"beta must be positive, got {beta}")
    margin = (policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)
    return -F.logsigmoid(margin).mean()
    ### END SOLUTION

# %% variant: log-of-sigmoid
# torch.log(torch.sigmoid(...)): inf for a large negative margin.
def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    """DPO's loss: mean over the B pairs of -logsigmoid(beta * ((pc - rc) - (pr - rr))), a 0-d tensor.

    Each argument (B,): the summed log-probability of a pair's chosen (pc, rc) or rejected (pr, rr) response
    under the policy (pc, pr: they carry the gradient) or the frozen reference (rc, rr). Use F.logsigmoid (finite
    for any margin). beta must be > 0, else ValueError.
    """
    ### BEGIN SOLUTION
    if not beta > 0:
        raise ValueError(f"beta must be positive, got {beta}")
    margin = (policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)
    return -torch.log(torch.sigmoid(beta * margin)).mean()
    ### END SOLUTION

# %% variant: sum-over-pairs
# Sums over the pairs instead of averaging.
def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    """DPO's loss: mean over the B pairs of -logsigmoid(beta * ((pc - rc) - (pr - rr))), a 0-d tensor.

    Each argument (B,): the summed log-probability of a pair's chosen (pc, rc) or rejected (pr, rr) response
    under the policy (pc, pr: they carry the gradient) or the frozen reference (rc, rr). Use F.logsigmoid (finite
    for any margin). beta must be > 0, else ValueError.
    """
    ### BEGIN SOLUTION
    if not beta > 0:
        raise ValueError(f"beta must be positive, got {beta}")
    margin = (policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)
    return -F.logsigmoid(beta * margin).sum()
    ### END SOLUTION
