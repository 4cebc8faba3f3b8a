# %% variant: no-centring
# Takes the SVD of the raw rows: the first component points at the mean.
def pca(x, k):
    """The first k principal components of the rows of x (N, C).

    Returns (components (k, C), explained (k,)): unit-length components by decreasing variance, each with its
    largest-magnitude entry positive; explained[i] = component i's share of the total variance of the centred
    rows (singular values squared over their sum). Use torch.linalg.svd on the centred rows. Keeps x's dtype.
    k < 1 or k > min(N, C): ValueError naming k.
    """
    ### BEGIN SOLUTION
    if not 1 <= k <= min(x.shape):
        raise ValueError(f"k must be in 1 .. {min(x.shape)}, got {k}")
    centred = x
    _, s, vh = torch.linalg.svd(centred, full_matrices=False)
    components = vh[:k]
    components = components * components.gather(1, components.abs().argmax(dim=1, keepdim=True)).sign()
    return components, (s**2 / (s**2).sum())[:k]
    ### END SOLUTION

# %% variant: singular-values-not-squared
# Explained share from the singular values, not their squares.
def pca(x, k):
    """The first k principal components of the rows of x (N, C).

    Returns (components (k, C), explained (k,)): unit-length components by decreasing variance, each with its
    largest-magnitude entry positive; explained[i] = component i's share of the total variance of the centred
    rows (singular values squared over their sum). Use torch.linalg.svd on the centred rows. Keeps x's dtype.
    k < 1 or k > min(N, C): ValueError naming k.
    """
    ### BEGIN SOLUTION
    if not 1 <= k <= min(x.shape):
        raise ValueError(f"k must be in 1 .. {min(x.shape)}, got {k}")
    centred = x - x.mean(dim=0)
    _, s, vh = torch.linalg.svd(centred, full_matrices=False)
    components = vh[:k]
    components = components * components.gather(1, components.abs().argmax(dim=1, keepdim=True)).sign()
    return components, (s / s.sum())[:k]
    ### END SOLUTION

# %% variant: columns-not-rows
# Takes the first k columns of V^T as the components instead of its first k rows.
def pca(x, k):
    """The first k principal components of the rows of x (N, C).

    Returns (components (k, C), explained (k,)): unit-length components by decreasing variance, each with its
    largest-magnitude entry positive; explained[i] = component i's share of the total variance of the centred
    rows (singular values squared over their sum). Use torch.linalg.svd on the centred rows. Keeps x's dtype.
    k < 1 or k > min(N, C): ValueError naming k.
    """
    ### BEGIN SOLUTION
    if not 1 <= k <= min(x.shape):
        raise ValueError(f"k must be in 1 .. {min(x.shape)}, got {k}")
    centred = x - x.mean(dim=0)
    _, s, vh = torch.linalg.svd(centred, full_matrices=False)
    components = vh[:, :k].T
    components = components * components.gather(1, components.abs().argmax(dim=1, keepdim=True)).sign()
    return components, (s**2 / (s**2).sum())[:k]
    ### END SOLUTION
