# %% variant: normalises-columns
# Divides by column totals (the first axis) instead of row totals.
def counts_to_probs(counts, k=0.0):
    """Add-k smoothed next-token probabilities, one distribution per row.

    counts: (..., V) tensor of non-negative counts; the LAST axis is the next token, every row one context.
    k: a float >= 0 added to every count.
    Returns a float32 tensor of the same shape: (counts + k) / (row total + k * V), where the row total is the
    sum of the row's counts. A row whose smoothed total is 0 (an unseen context with k = 0) becomes uniform,
    1 / V in every entry. Every row of the result sums to 1.
    """
    smoothed = counts.float() + k
    totals = smoothed.sum(dim=-2, keepdim=True)
    uniform = torch.full_like(smoothed, 1.0 / counts.shape[-1])
    return torch.where(totals > 0, smoothed / totals, uniform)
# %% variant: smooths-numerator-only
# Adds k to the counts but divides by the unsmoothed row total.
def counts_to_probs(counts, k=0.0):
    """Add-k smoothed next-token probabilities, one distribution per row.

    counts: (..., V) tensor of non-negative counts; the LAST axis is the next token, every row one context.
    k: a float >= 0 added to every count.
    Returns a float32 tensor of the same shape: (counts + k) / (row total + k * V), where the row total is the
    sum of the row's counts. A row whose smoothed total is 0 (an unseen context with k = 0) becomes uniform,
    1 / V in every entry. Every row of the result sums to 1.
    """
    smoothed = counts.float() + k
    totals = counts.float().sum(dim=-1, keepdim=True)
    uniform = torch.full_like(smoothed, 1.0 / counts.shape[-1])
    return torch.where(totals > 0, smoothed / totals, uniform)
# %% variant: nan-for-unseen
# Divides without handling empty rows: 0 / 0 gives nan.
def counts_to_probs(counts, k=0.0):
    """Add-k smoothed next-token probabilities, one distribution per row.

    counts: (..., V) tensor of non-negative counts; the LAST axis is the next token, every row one context.
    k: a float >= 0 added to every count.
    Returns a float32 tensor of the same shape: (counts + k) / (row total + k * V), where the row total is the
    sum of the row's counts. A row whose smoothed total is 0 (an unseen context with k = 0) becomes uniform,
    1 / V in every entry. Every row of the result sums to 1.
    """
    smoothed = counts.float() + k
    totals = smoothed.sum(dim=-1, keepdim=True)
    return smoothed / totals
# %% variant: adds-k-once-to-total
# Adds k to the denominator once instead of once per column (k instead of k * V).
def counts_to_probs(counts, k=0.0):
    """Add-k smoothed next-token probabilities, one distribution per row.

    counts: (..., V) tensor of non-negative counts; the LAST axis is the next token, every row one context.
    k: a float >= 0 added to every count.
    Returns a float32 tensor of the same shape: (counts + k) / (row total + k * V), where the row total is the
    sum of the row's counts. A row whose smoothed total is 0 (an unseen context with k = 0) becomes uniform,
    1 / V in every entry. Every row of the result sums to 1.
    """
    smoothed = counts.float() + k
    totals = counts.float().sum(dim=-1, keepdim=True) + k
    uniform = torch.full_like(smoothed, 1.0 / counts.shape[-1])
    return torch.where(totals > 0, smoothed / totals, uniform)

# %% variant: eps-against-zero-division
# Adds 1e-9 to every count to avoid 0 / 0: with k = 0 an unseen pair no longer gets exactly 0.
def counts_to_probs(counts, k=0.0):
    """Add-k smoothed next-token probabilities, one distribution per row.

    counts: (..., V) tensor of non-negative counts; the LAST axis is the next token, every row one context.
    k: a float >= 0 added to every count.
    Returns a float32 tensor (whatever the dtype of counts) of the same shape: (counts + k) / (row total + k * V), where the row total is the
    sum of the row's counts. A row whose smoothed total is 0 (an unseen context with k = 0) becomes uniform,
    1 / V in every entry. Every row of the result sums to 1; with k = 0 a count of 0 gives exactly 0.
    """
    smoothed = counts.float() + k + 1e-9
    totals = smoothed.sum(dim=-1, keepdim=True)
    uniform = torch.full_like(smoothed, 1.0 / counts.shape[-1])
    return torch.where(totals > 0, smoothed / totals, uniform)
    ### END SOLUTION

# %% variant: keeps-float64
# Float counts keep their dtype: float64 counts give float64 probabilities, not float32.
def counts_to_probs(counts, k=0.0):
    """Add-k smoothed next-token probabilities, one distribution per row.

    counts: (..., V) tensor of non-negative counts; the LAST axis is the next token, every row one context.
    k: a float >= 0 added to every count.
    Returns a float32 tensor (whatever the dtype of counts) of the same shape: (counts + k) / (row total + k * V), where the row total is the
    sum of the row's counts. A row whose smoothed total is 0 (an unseen context with k = 0) becomes uniform,
    1 / V in every entry. Every row of the result sums to 1; with k = 0 a count of 0 gives exactly 0.
    """
    smoothed = (counts if counts.is_floating_point() else counts.float()) + k
    totals = smoothed.sum(dim=-1, keepdim=True)
    uniform = torch.full_like(smoothed, 1.0 / counts.shape[-1])
    return torch.where(totals > 0, smoothed / totals, uniform)
    ### END SOLUTION
