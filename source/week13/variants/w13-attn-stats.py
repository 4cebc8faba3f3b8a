# %% variant: log2
# Entropy in bits (log base 2) instead of nats.
def attention_entropy(probs):
    """Entropy in nats of each attention row: probs (..., T_q, T_k), rows summing to 1 -> (..., T_q).

    Natural logarithm; entries equal to 0 (the masked future) count 0, never NaN. Keeps the dtype
    (float64 in, float64 out). A row spread evenly over n keys gives log(n), a one-hot row 0.
    """
    ### BEGIN SOLUTION
    return -torch.where(probs > 0, probs * probs.log2(), torch.zeros_like(probs)).sum(dim=-1)
    ### END SOLUTION


def previous_token_score(probs):
    """Mean attention from query i to key i - 1, over queries i = 1 .. T - 1 and the batch.

    probs (B, H, T, T) -> (H,), one score per head, in probs' dtype. T < 2: ValueError naming T.
    """
    ### BEGIN SOLUTION
    if probs.size(-1) < 2:
        raise ValueError(f"previous_token_score needs T >= 2, got T = {probs.size(-1)}")
    return probs.diagonal(offset=-1, dim1=-2, dim2=-1).mean(dim=(0, 2))
    ### END SOLUTION

# %% variant: nan-on-masked-zeros
# p log p without the 0 log 0 = 0 rule: the masked future gives NaN.
def attention_entropy(probs):
    """Entropy in nats of each attention row: probs (..., T_q, T_k), rows summing to 1 -> (..., T_q).

    Natural logarithm; entries equal to 0 (the masked future) count 0, never NaN. Keeps the dtype
    (float64 in, float64 out). A row spread evenly over n keys gives log(n), a one-hot row 0.
    """
    ### BEGIN SOLUTION
    return -(probs * probs.log()).sum(dim=-1)
    ### END SOLUTION


def previous_token_score(probs):
    """Mean attention from query i to key i - 1, over queries i = 1 .. T - 1 and the batch.

    probs (B, H, T, T) -> (H,), one score per head, in probs' dtype. T < 2: ValueError naming T.
    """
    ### BEGIN SOLUTION
    if probs.size(-1) < 2:
        raise ValueError(f"previous_token_score needs T >= 2, got T = {probs.size(-1)}")
    return probs.diagonal(offset=-1, dim1=-2, dim2=-1).mean(dim=(0, 2))
    ### END SOLUTION

# %% variant: previous-includes-query-0
# Averages p[i, i-1] over all T queries (query 0 counted as 0), dividing by T.
def attention_entropy(probs):
    """Entropy in nats of each attention row: probs (..., T_q, T_k), rows summing to 1 -> (..., T_q).

    Natural logarithm; entries equal to 0 (the masked future) count 0, never NaN. Keeps the dtype
    (float64 in, float64 out). A row spread evenly over n keys gives log(n), a one-hot row 0.
    """
    ### BEGIN SOLUTION
    return -torch.where(probs > 0, probs * probs.log(), torch.zeros_like(probs)).sum(dim=-1)
    ### END SOLUTION


def previous_token_score(probs):
    """Mean attention from query i to key i - 1, over queries i = 1 .. T - 1 and the batch.

    probs (B, H, T, T) -> (H,), one score per head, in probs' dtype. T < 2: ValueError naming T.
    """
    ### BEGIN SOLUTION
    if probs.size(-1) < 2:
        raise ValueError(f"previous_token_score needs T >= 2, got T = {probs.size(-1)}")
    return probs.diagonal(offset=-1, dim1=-2, dim2=-1).sum(dim=-1).mean(dim=0) / probs.size(-1)
    ### END SOLUTION

# %% variant: self-not-previous
# Scores attention to the token itself (the diagonal) instead of the previous one.
def attention_entropy(probs):
    """Entropy in nats of each attention row: probs (..., T_q, T_k), rows summing to 1 -> (..., T_q).

    Natural logarithm; entries equal to 0 (the masked future) count 0, never NaN. Keeps the dtype
    (float64 in, float64 out). A row spread evenly over n keys gives log(n), a one-hot row 0.
    """
    ### BEGIN SOLUTION
    return -torch.where(probs > 0, probs * probs.log(), torch.zeros_like(probs)).sum(dim=-1)
    ### END SOLUTION


def previous_token_score(probs):
    """Mean attention from query i to key i - 1, over queries i = 1 .. T - 1 and the batch.

    probs (B, H, T, T) -> (H,), one score per head, in probs' dtype. T < 2: ValueError naming T.
    """
    ### BEGIN SOLUTION
    if probs.size(-1) < 2:
        raise ValueError(f"previous_token_score needs T >= 2, got T = {probs.size(-1)}")
    return probs.diagonal(offset=0, dim1=-2, dim2=-1).mean(dim=(0, 2))
    ### END SOLUTION
