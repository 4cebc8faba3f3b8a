# %% variant: ratio-q-over-p
# accept = min(1, q/p), the ratio upside down.
def acceptance(p, q, draft):
    """The acceptance rule of one verification step.

    p: (k + 1, V) float64 target probabilities (row i for draft position i; row k for the bonus token);
    q: (k, V) float64 draft probabilities; draft: (k,) long, the draft tokens (q[i, draft[i]] > 0).
    Returns (accept, residual), float64 tensors:
      accept (k,): accept[i] = min(1, p[i, draft[i]] / q[i, draft[i]]);
      residual (k, V): max(0, p[i] - q[i]) divided by its sum, row by row; where that sum is 0 (p[i] == q[i]:
      nothing is ever rejected there) the row is p[i] itself, so that every row is a distribution.
    The tests check hand-worked cases and then the exact output distribution of whole runs, by enumeration.
    """
    ### BEGIN SOLUTION
    k = draft.numel()
    rows = torch.arange(k)
    accept = torch.clamp(q[rows, draft] / p[rows, draft], max=1.0)
    excess = torch.clamp(p[:k] - q, min=0.0)
    mass = excess.sum(-1, keepdim=True)
    residual = torch.where(mass > 0, excess / mass.clamp(min=1e-300), p[:k])
    return accept, residual
    ### END SOLUTION

# %% variant: resamples-from-p
# At a rejection the replacement is drawn from p instead of the residual max(0, p - q).
def acceptance(p, q, draft):
    """The acceptance rule of one verification step.

    p: (k + 1, V) float64 target probabilities (row i for draft position i; row k for the bonus token);
    q: (k, V) float64 draft probabilities; draft: (k,) long, the draft tokens (q[i, draft[i]] > 0).
    Returns (accept, residual), float64 tensors:
      accept (k,): accept[i] = min(1, p[i, draft[i]] / q[i, draft[i]]);
      residual (k, V): max(0, p[i] - q[i]) divided by its sum, row by row; where that sum is 0 (p[i] == q[i]:
      nothing is ever rejected there) the row is p[i] itself, so that every row is a distribution.
    The tests check hand-worked cases and then the exact output distribution of whole runs, by enumeration.
    """
    ### BEGIN SOLUTION
    k = draft.numel()
    rows = torch.arange(k)
    accept = torch.clamp(p[rows, draft] / q[rows, draft], max=1.0)
    excess = torch.clamp(p[:k] - q, min=0.0)
    mass = excess.sum(-1, keepdim=True)
    residual = torch.where(mass > 0, excess / mass.clamp(min=1e-300), p[:k])
    return accept, p[:k]
    ### END SOLUTION

# %% variant: residual-not-normalised
# The residual max(0, p - q) is not divided by its sum.
def acceptance(p, q, draft):
    """The acceptance rule of one verification step.

    p: (k + 1, V) float64 target probabilities (row i for draft position i; row k for the bonus token);
    q: (k, V) float64 draft probabilities; draft: (k,) long, the draft tokens (q[i, draft[i]] > 0).
    Returns (accept, residual), float64 tensors:
      accept (k,): accept[i] = min(1, p[i, draft[i]] / q[i, draft[i]]);
      residual (k, V): max(0, p[i] - q[i]) divided by its sum, row by row; where that sum is 0 (p[i] == q[i]:
      nothing is ever rejected there) the row is p[i] itself, so that every row is a distribution.
    The tests check hand-worked cases and then the exact output distribution of whole runs, by enumeration.
    """
    ### BEGIN SOLUTION
    k = draft.numel()
    rows = torch.arange(k)
    accept = torch.clamp(p[rows, draft] / q[rows, draft], max=1.0)
    excess = torch.clamp(p[:k] - q, min=0.0)
    mass = excess.sum(-1, keepdim=True)
    residual = torch.where(mass > 0, excess, p[:k])
    return accept, residual
    ### END SOLUTION
