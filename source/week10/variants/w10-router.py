# %% variant: mean-then-normalise
# Averages the raw embeddings and normalises the mean.
def adapter_centroids(examples):
    """examples: {adapter name: (n, C) float tensor of example-prompt embeddings} -> (A, C) tensor.

    Row a is the centroid of the a-th adapter in the dict's order: the mean over its n examples of the
    L2-normalised rows (F.normalize(x, dim=-1)). Same dtype as the examples. Raise ValueError for an empty dict
    or an adapter whose tensor is not 2-D with at least one row.
    """
    ### BEGIN SOLUTION
    if not examples:
        raise ValueError("examples is empty: the router needs at least one adapter")
    for name, x in examples.items():
        if x.dim() != 2 or len(x) == 0:
            raise ValueError(f"examples for {name!r} must be a non-empty (n, C) tensor")
    return torch.stack([F.normalize(x.mean(dim=0), dim=-1) for x in examples.values()])
    ### END SOLUTION


def route(embeddings, centroids):
    """embeddings (Q, C), centroids (A, C) -> a list of Q Python ints: for each prompt the index of the
    centroid with the highest cosine similarity (both sides L2-normalised); a tie goes to the lower index.
    """
    ### BEGIN SOLUTION
    sims = F.normalize(embeddings, dim=-1) @ F.normalize(centroids, dim=-1).T  # (Q, A)
    return torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, 0].tolist()
    ### END SOLUTION


def switches(routes, loaded=None):
    """For requests served in order, routed to the adapters `routes` (a list of names or ids): a list of bools,
    True where serving the request needs an adapter switch, i.e. its adapter differs from the one loaded
    just before it (`loaded` at the start: the adapter already loaded, None when there is none).
    """
    ### BEGIN SOLUTION
    needed = []
    for adapter in routes:
        needed.append(adapter != loaded)
        loaded = adapter
    return needed
    ### END SOLUTION

# %% variant: no-normalisation
# Centroids are means of the raw embeddings.
def adapter_centroids(examples):
    """examples: {adapter name: (n, C) float tensor of example-prompt embeddings} -> (A, C) tensor.

    Row a is the centroid of the a-th adapter in the dict's order: the mean over its n examples of the
    L2-normalised rows (F.normalize(x, dim=-1)). Same dtype as the examples. Raise ValueError for an empty dict
    or an adapter whose tensor is not 2-D with at least one row.
    """
    ### BEGIN SOLUTION
    if not examples:
        raise ValueError("examples is empty: the router needs at least one adapter")
    for name, x in examples.items():
        if x.dim() != 2 or len(x) == 0:
            raise ValueError(f"examples for {name!r} must be a non-empty (n, C) tensor")
    return torch.stack([x.mean(dim=0) for x in examples.values()])
    ### END SOLUTION


def route(embeddings, centroids):
    """embeddings (Q, C), centroids (A, C) -> a list of Q Python ints: for each prompt the index of the
    centroid with the highest cosine similarity (both sides L2-normalised); a tie goes to the lower index.
    """
    ### BEGIN SOLUTION
    sims = F.normalize(embeddings, dim=-1) @ F.normalize(centroids, dim=-1).T  # (Q, A)
    return torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, 0].tolist()
    ### END SOLUTION


def switches(routes, loaded=None):
    """For requests served in order, routed to the adapters `routes` (a list of names or ids): a list of bools,
    True where serving the request needs an adapter switch, i.e. its adapter differs from the one loaded
    just before it (`loaded` at the start: the adapter already loaded, None when there is none).
    """
    ### BEGIN SOLUTION
    needed = []
    for adapter in routes:
        needed.append(adapter != loaded)
        loaded = adapter
    return needed
    ### END SOLUTION

# %% variant: dot-product
# Routes by the dot product with the centroids, not the cosine.
def adapter_centroids(examples):
    """examples: {adapter name: (n, C) float tensor of example-prompt embeddings} -> (A, C) tensor.

    Row a is the centroid of the a-th adapter in the dict's order: the mean over its n examples of the
    L2-normalised rows (F.normalize(x, dim=-1)). Same dtype as the examples. Raise ValueError for an empty dict
    or an adapter whose tensor is not 2-D with at least one row.
    """
    ### BEGIN SOLUTION
    if not examples:
        raise ValueError("examples is empty: the router needs at least one adapter")
    for name, x in examples.items():
        if x.dim() != 2 or len(x) == 0:
            raise ValueError(f"examples for {name!r} must be a non-empty (n, C) tensor")
    return torch.stack([F.normalize(x, dim=-1).mean(dim=0) for x in examples.values()])
    ### END SOLUTION


def route(embeddings, centroids):
    """embeddings (Q, C), centroids (A, C) -> a list of Q Python ints: for each prompt the index of the
    centroid with the highest cosine similarity (both sides L2-normalised); a tie goes to the lower index.
    """
    ### BEGIN SOLUTION
    sims = embeddings @ centroids.T  # (Q, A)
    return torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, 0].tolist()
    ### END SOLUTION


def switches(routes, loaded=None):
    """For requests served in order, routed to the adapters `routes` (a list of names or ids): a list of bools,
    True where serving the request needs an adapter switch, i.e. its adapter differs from the one loaded
    just before it (`loaded` at the start: the adapter already loaded, None when there is none).
    """
    ### BEGIN SOLUTION
    needed = []
    for adapter in routes:
        needed.append(adapter != loaded)
        loaded = adapter
    return needed
    ### END SOLUTION

# %% variant: ties-to-last
# A tie goes to the higher index.
def adapter_centroids(examples):
    """examples: {adapter name: (n, C) float tensor of example-prompt embeddings} -> (A, C) tensor.

    Row a is the centroid of the a-th adapter in the dict's order: the mean over its n examples of the
    L2-normalised rows (F.normalize(x, dim=-1)). Same dtype as the examples. Raise ValueError for an empty dict
    or an adapter whose tensor is not 2-D with at least one row.
    """
    ### BEGIN SOLUTION
    if not examples:
        raise ValueError("examples is empty: the router needs at least one adapter")
    for name, x in examples.items():
        if x.dim() != 2 or len(x) == 0:
            raise ValueError(f"examples for {name!r} must be a non-empty (n, C) tensor")
    return torch.stack([F.normalize(x, dim=-1).mean(dim=0) for x in examples.values()])
    ### END SOLUTION


def route(embeddings, centroids):
    """embeddings (Q, C), centroids (A, C) -> a list of Q Python ints: for each prompt the index of the
    centroid with the highest cosine similarity (both sides L2-normalised); a tie goes to the lower index.
    """
    ### BEGIN SOLUTION
    sims = F.normalize(embeddings, dim=-1) @ F.normalize(centroids, dim=-1).T  # (Q, A)
    return (sims.shape[1] - 1 - sims.flip(-1).argmax(dim=-1)).tolist()
    ### END SOLUTION


def switches(routes, loaded=None):
    """For requests served in order, routed to the adapters `routes` (a list of names or ids): a list of bools,
    True where serving the request needs an adapter switch, i.e. its adapter differs from the one loaded
    just before it (`loaded` at the start: the adapter already loaded, None when there is none).
    """
    ### BEGIN SOLUTION
    needed = []
    for adapter in routes:
        needed.append(adapter != loaded)
        loaded = adapter
    return needed
    ### END SOLUTION

# %% variant: switch-every-request
# Counts a switch for every request.
def adapter_centroids(examples):
    """examples: {adapter name: (n, C) float tensor of example-prompt embeddings} -> (A, C) tensor.

    Row a is the centroid of the a-th adapter in the dict's order: the mean over its n examples of the
    L2-normalised rows (F.normalize(x, dim=-1)). Same dtype as the examples. Raise ValueError for an empty dict
    or an adapter whose tensor is not 2-D with at least one row.
    """
    ### BEGIN SOLUTION
    if not examples:
        raise ValueError("examples is empty: the router needs at least one adapter")
    for name, x in examples.items():
        if x.dim() != 2 or len(x) == 0:
            raise ValueError(f"examples for {name!r} must be a non-empty (n, C) tensor")
    return torch.stack([F.normalize(x, dim=-1).mean(dim=0) for x in examples.values()])
    ### END SOLUTION


def route(embeddings, centroids):
    """embeddings (Q, C), centroids (A, C) -> a list of Q Python ints: for each prompt the index of the
    centroid with the highest cosine similarity (both sides L2-normalised); a tie goes to the lower index.
    """
    ### BEGIN SOLUTION
    sims = F.normalize(embeddings, dim=-1) @ F.normalize(centroids, dim=-1).T  # (Q, A)
    return torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, 0].tolist()
    ### END SOLUTION


def switches(routes, loaded=None):
    """For requests served in order, routed to the adapters `routes` (a list of names or ids): a list of bools,
    True where serving the request needs an adapter switch, i.e. its adapter differs from the one loaded
    just before it (`loaded` at the start: the adapter already loaded, None when there is none).
    """
    ### BEGIN SOLUTION
    needed = []
    for adapter in routes:
        needed.append(True)
        loaded = adapter
    return needed
    ### END SOLUTION

# %% variant: ignores-loaded
# Forgets the adapter loaded at the start.
def adapter_centroids(examples):
    """examples: {adapter name: (n, C) float tensor of example-prompt embeddings} -> (A, C) tensor.

    Row a is the centroid of the a-th adapter in the dict's order: the mean over its n examples of the
    L2-normalised rows (F.normalize(x, dim=-1)). Same dtype as the examples. Raise ValueError for an empty dict
    or an adapter whose tensor is not 2-D with at least one row.
    """
    ### BEGIN SOLUTION
    if not examples:
        raise ValueError("examples is empty: the router needs at least one adapter")
    for name, x in examples.items():
        if x.dim() != 2 or len(x) == 0:
            raise ValueError(f"examples for {name!r} must be a non-empty (n, C) tensor")
    return torch.stack([F.normalize(x, dim=-1).mean(dim=0) for x in examples.values()])
    ### END SOLUTION


def route(embeddings, centroids):
    """embeddings (Q, C), centroids (A, C) -> a list of Q Python ints: for each prompt the index of the
    centroid with the highest cosine similarity (both sides L2-normalised); a tie goes to the lower index.
    """
    ### BEGIN SOLUTION
    sims = F.normalize(embeddings, dim=-1) @ F.normalize(centroids, dim=-1).T  # (Q, A)
    return torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, 0].tolist()
    ### END SOLUTION


def switches(routes, loaded=None):
    """For requests served in order, routed to the adapters `routes` (a list of names or ids): a list of bools,
    True where serving the request needs an adapter switch, i.e. its adapter differs from the one loaded
    just before it (`loaded` at the start: the adapter already loaded, None when there is none).
    """
    ### BEGIN SOLUTION
    needed, loaded = [], None
    for adapter in routes:
        needed.append(adapter != loaded)
        loaded = adapter
    return needed
    ### END SOLUTION
