# %% variant: forgetting-from-diagonal
# Forgetting measured from the diagonal R[j][j] instead of the best earlier row.
def as_square(R, least):
    """Given: R (a list of lists or a tensor) as a float64 tensor (T, T); ValueError naming R unless it is a
    square 2-D matrix with T >= least. Use it in each metric below."""
    R = torch.as_tensor(R, dtype=torch.float64)
    if R.dim() != 2 or R.shape[0] != R.shape[1] or R.shape[0] < least:
        raise ValueError(f"R must be a square matrix with at least {least} task(s), got shape {tuple(R.shape)}")
    return R


def average_accuracy(R):
    """ACC: the mean of the last row of R, as a Python float.

    R: a T x T matrix (a list of lists or a tensor) of accuracies, R[i][j] = on task j after training through
    task i (higher is better). Each function here raises ValueError unless R is a non-empty square 2-D matrix
    (T >= 1); the three below also need T >= 2. The tests check hand-worked matrices, T = 1 and T = 2, lists and
    tensors, the return type and the errors.
    """
    ### BEGIN SOLUTION
    return as_square(R, 1)[-1].mean().item()
    ### END SOLUTION


def backward_transfer(R):
    """BWT: the mean over j = 0 .. T-2 of R[T-1][j] - R[j][j], a float (negative: forgetting)."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    return (R[-1, :-1] - R.diagonal()[:-1]).mean().item()
    ### END SOLUTION


def forward_transfer(R, b):
    """FWT: the mean over j = 1 .. T-1 of R[j-1][j] - b[j], a float. b: T accuracies of a randomly initialised
    model (a list or a 1-D tensor); ValueError unless it holds exactly T numbers."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    b = torch.as_tensor(b, dtype=torch.float64)
    if b.shape != (R.shape[0],):
        raise ValueError(f"b must hold {R.shape[0]} numbers, got shape {tuple(b.shape)}")
    return (R.diagonal(offset=1) - b[1:]).mean().item()
    ### END SOLUTION


def forgetting(R):
    """Average forgetting: the mean over j = 0 .. T-2 of (max over l = 0 .. T-2 of R[l][j]) - R[T-1][j], a float."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    return (R.diagonal()[:-1] - R[-1, :-1]).mean().item()
    ### END SOLUTION

# %% variant: bwt-includes-last-task
# BWT averages over all T tasks, the last one (always 0) included.
def as_square(R, least):
    """Given: R (a list of lists or a tensor) as a float64 tensor (T, T); ValueError naming R unless it is a
    square 2-D matrix with T >= least. Use it in each metric below."""
    R = torch.as_tensor(R, dtype=torch.float64)
    if R.dim() != 2 or R.shape[0] != R.shape[1] or R.shape[0] < least:
        raise ValueError(f"R must be a square matrix with at least {least} task(s), got shape {tuple(R.shape)}")
    return R


def average_accuracy(R):
    """ACC: the mean of the last row of R, as a Python float.

    R: a T x T matrix (a list of lists or a tensor) of accuracies, R[i][j] = on task j after training through
    task i (higher is better). Each function here raises ValueError unless R is a non-empty square 2-D matrix
    (T >= 1); the three below also need T >= 2. The tests check hand-worked matrices, T = 1 and T = 2, lists and
    tensors, the return type and the errors.
    """
    ### BEGIN SOLUTION
    return as_square(R, 1)[-1].mean().item()
    ### END SOLUTION


def backward_transfer(R):
    """BWT: the mean over j = 0 .. T-2 of R[T-1][j] - R[j][j], a float (negative: forgetting)."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    return (R[-1] - R.diagonal()).mean().item()
    ### END SOLUTION


def forward_transfer(R, b):
    """FWT: the mean over j = 1 .. T-1 of R[j-1][j] - b[j], a float. b: T accuracies of a randomly initialised
    model (a list or a 1-D tensor); ValueError unless it holds exactly T numbers."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    b = torch.as_tensor(b, dtype=torch.float64)
    if b.shape != (R.shape[0],):
        raise ValueError(f"b must hold {R.shape[0]} numbers, got shape {tuple(b.shape)}")
    return (R.diagonal(offset=1) - b[1:]).mean().item()
    ### END SOLUTION


def forgetting(R):
    """Average forgetting: the mean over j = 0 .. T-2 of (max over l = 0 .. T-2 of R[l][j]) - R[T-1][j], a float."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    return (R[:-1, :-1].amax(dim=0) - R[-1, :-1]).mean().item()
    ### END SOLUTION

# %% variant: fwt-after-training
# FWT uses the accuracy after training on task j (the diagonal), not just before.
def as_square(R, least):
    """Given: R (a list of lists or a tensor) as a float64 tensor (T, T); ValueError naming R unless it is a
    square 2-D matrix with T >= least. Use it in each metric below."""
    R = torch.as_tensor(R, dtype=torch.float64)
    if R.dim() != 2 or R.shape[0] != R.shape[1] or R.shape[0] < least:
        raise ValueError(f"R must be a square matrix with at least {least} task(s), got shape {tuple(R.shape)}")
    return R


def average_accuracy(R):
    """ACC: the mean of the last row of R, as a Python float.

    R: a T x T matrix (a list of lists or a tensor) of accuracies, R[i][j] = on task j after training through
    task i (higher is better). Each function here raises ValueError unless R is a non-empty square 2-D matrix
    (T >= 1); the three below also need T >= 2. The tests check hand-worked matrices, T = 1 and T = 2, lists and
    tensors, the return type and the errors.
    """
    ### BEGIN SOLUTION
    return as_square(R, 1)[-1].mean().item()
    ### END SOLUTION


def backward_transfer(R):
    """BWT: the mean over j = 0 .. T-2 of R[T-1][j] - R[j][j], a float (negative: forgetting)."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    return (R[-1, :-1] - R.diagonal()[:-1]).mean().item()
    ### END SOLUTION


def forward_transfer(R, b):
    """FWT: the mean over j = 1 .. T-1 of R[j-1][j] - b[j], a float. b: T accuracies of a randomly initialised
    model (a list or a 1-D tensor); ValueError unless it holds exactly T numbers."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    b = torch.as_tensor(b, dtype=torch.float64)
    if b.shape != (R.shape[0],):
        raise ValueError(f"b must hold {R.shape[0]} numbers, got shape {tuple(b.shape)}")
    return (R.diagonal()[1:] - b[1:]).mean().item()
    ### END SOLUTION


def forgetting(R):
    """Average forgetting: the mean over j = 0 .. T-2 of (max over l = 0 .. T-2 of R[l][j]) - R[T-1][j], a float."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    return (R[:-1, :-1].amax(dim=0) - R[-1, :-1]).mean().item()
    ### END SOLUTION

# %% variant: forgetting-last-row-max
# Forgetting takes the max over every row, the last one included (never negative, often 0).
def as_square(R, least):
    """Given: R (a list of lists or a tensor) as a float64 tensor (T, T); ValueError naming R unless it is a
    square 2-D matrix with T >= least. Use it in each metric below."""
    R = torch.as_tensor(R, dtype=torch.float64)
    if R.dim() != 2 or R.shape[0] != R.shape[1] or R.shape[0] < least:
        raise ValueError(f"R must be a square matrix with at least {least} task(s), got shape {tuple(R.shape)}")
    return R


def average_accuracy(R):
    """ACC: the mean of the last row of R, as a Python float.

    R: a T x T matrix (a list of lists or a tensor) of accuracies, R[i][j] = on task j after training through
    task i (higher is better). Each function here raises ValueError unless R is a non-empty square 2-D matrix
    (T >= 1); the three below also need T >= 2. The tests check hand-worked matrices, T = 1 and T = 2, lists and
    tensors, the return type and the errors.
    """
    ### BEGIN SOLUTION
    return as_square(R, 1)[-1].mean().item()
    ### END SOLUTION


def backward_transfer(R):
    """BWT: the mean over j = 0 .. T-2 of R[T-1][j] - R[j][j], a float (negative: forgetting)."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    return (R[-1, :-1] - R.diagonal()[:-1]).mean().item()
    ### END SOLUTION


def forward_transfer(R, b):
    """FWT: the mean over j = 1 .. T-1 of R[j-1][j] - b[j], a float. b: T accuracies of a randomly initialised
    model (a list or a 1-D tensor); ValueError unless it holds exactly T numbers."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    b = torch.as_tensor(b, dtype=torch.float64)
    if b.shape != (R.shape[0],):
        raise ValueError(f"b must hold {R.shape[0]} numbers, got shape {tuple(b.shape)}")
    return (R.diagonal(offset=1) - b[1:]).mean().item()
    ### END SOLUTION


def forgetting(R):
    """Average forgetting: the mean over j = 0 .. T-2 of (max over l = 0 .. T-2 of R[l][j]) - R[T-1][j], a float."""
    ### BEGIN SOLUTION
    R = as_square(R, 2)
    return (R[:, :-1].amax(dim=0) - R[-1, :-1]).mean().item()
    ### END SOLUTION
