# %% variant: mean-over-padding
# Averages over every position, pad tokens too.
def embed(model, ids, pad_mask):
    """Mean-pooled embeddings: ids (B, T) int64, pad_mask (B, T) bool, True on real tokens -> (B, C).

    Row b is the mean of final_hidden_states(model, ids)[b, t] over the t where pad_mask[b, t] is True (pad
    tokens come after the real ones), in the hidden states' dtype. Raise ValueError if a row has no real token
    (its mean would be NaN).
    """
    ### BEGIN SOLUTION
    if not pad_mask.any(dim=1).all():
        raise ValueError("pad_mask: a row has no real token, so its mean is undefined")
    hidden = final_hidden_states(model, ids)
    weights = torch.ones_like(pad_mask).unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1)
    ### END SOLUTION


def cosine_top_k(queries, docs, k):
    """The k docs most similar to each query by cosine similarity: (scores (Q, k'), ids (Q, k') int64).

    queries (Q, C) and docs (N, C) floating; k' = min(k, N). Per query, the highest similarity first; equal
    similarities in order of the lower doc id. Similarity = the inner product of the rows normalised with
    F.normalize (so a row of zeros has similarity 0 with everything, never NaN), in the inputs' dtype.
    k = 0 gives (Q, 0) tensors; raise ValueError for k < 0.
    """
    ### BEGIN SOLUTION
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    sims = F.normalize(queries, dim=-1) @ F.normalize(docs, dim=-1).T
    order = torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, :k]
    return sims.gather(1, order), order
    ### END SOLUTION

# %% variant: last-token
# Takes the hidden state of the last real token instead of the mean.
def embed(model, ids, pad_mask):
    """Mean-pooled embeddings: ids (B, T) int64, pad_mask (B, T) bool, True on real tokens -> (B, C).

    Row b is the mean of final_hidden_states(model, ids)[b, t] over the t where pad_mask[b, t] is True (pad
    tokens come after the real ones), in the hidden states' dtype. Raise ValueError if a row has no real token
    (its mean would be NaN).
    """
    ### BEGIN SOLUTION
    if not pad_mask.any(dim=1).all():
        raise ValueError("pad_mask: a row has no real token, so its mean is undefined")
    hidden = final_hidden_states(model, ids)
    weights = pad_mask.unsqueeze(-1).to(hidden.dtype)
    return hidden[torch.arange(len(ids)), pad_mask.sum(dim=1) - 1]
    ### END SOLUTION


def cosine_top_k(queries, docs, k):
    """The k docs most similar to each query by cosine similarity: (scores (Q, k'), ids (Q, k') int64).

    queries (Q, C) and docs (N, C) floating; k' = min(k, N). Per query, the highest similarity first; equal
    similarities in order of the lower doc id. Similarity = the inner product of the rows normalised with
    F.normalize (so a row of zeros has similarity 0 with everything, never NaN), in the inputs' dtype.
    k = 0 gives (Q, 0) tensors; raise ValueError for k < 0.
    """
    ### BEGIN SOLUTION
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    sims = F.normalize(queries, dim=-1) @ F.normalize(docs, dim=-1).T
    order = torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, :k]
    return sims.gather(1, order), order
    ### END SOLUTION

# %% variant: no-normalisation
# Ranks by the raw inner product: long doc vectors win.
def embed(model, ids, pad_mask):
    """Mean-pooled embeddings: ids (B, T) int64, pad_mask (B, T) bool, True on real tokens -> (B, C).

    Row b is the mean of final_hidden_states(model, ids)[b, t] over the t where pad_mask[b, t] is True (pad
    tokens come after the real ones), in the hidden states' dtype. Raise ValueError if a row has no real token
    (its mean would be NaN).
    """
    ### BEGIN SOLUTION
    if not pad_mask.any(dim=1).all():
        raise ValueError("pad_mask: a row has no real token, so its mean is undefined")
    hidden = final_hidden_states(model, ids)
    weights = pad_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1)
    ### END SOLUTION


def cosine_top_k(queries, docs, k):
    """The k docs most similar to each query by cosine similarity: (scores (Q, k'), ids (Q, k') int64).

    queries (Q, C) and docs (N, C) floating; k' = min(k, N). Per query, the highest similarity first; equal
    similarities in order of the lower doc id. Similarity = the inner product of the rows normalised with
    F.normalize (so a row of zeros has similarity 0 with everything, never NaN), in the inputs' dtype.
    k = 0 gives (Q, 0) tensors; raise ValueError for k < 0.
    """
    ### BEGIN SOLUTION
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    sims = queries @ docs.T
    order = torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, :k]
    return sims.gather(1, order), order
    ### END SOLUTION

# %% variant: queries-only-normalised
# Normalises the queries but not the docs.
def embed(model, ids, pad_mask):
    """Mean-pooled embeddings: ids (B, T) int64, pad_mask (B, T) bool, True on real tokens -> (B, C).

    Row b is the mean of final_hidden_states(model, ids)[b, t] over the t where pad_mask[b, t] is True (pad
    tokens come after the real ones), in the hidden states' dtype. Raise ValueError if a row has no real token
    (its mean would be NaN).
    """
    ### BEGIN SOLUTION
    if not pad_mask.any(dim=1).all():
        raise ValueError("pad_mask: a row has no real token, so its mean is undefined")
    hidden = final_hidden_states(model, ids)
    weights = pad_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1)
    ### END SOLUTION


def cosine_top_k(queries, docs, k):
    """The k docs most similar to each query by cosine similarity: (scores (Q, k'), ids (Q, k') int64).

    queries (Q, C) and docs (N, C) floating; k' = min(k, N). Per query, the highest similarity first; equal
    similarities in order of the lower doc id. Similarity = the inner product of the rows normalised with
    F.normalize (so a row of zeros has similarity 0 with everything, never NaN), in the inputs' dtype.
    k = 0 gives (Q, 0) tensors; raise ValueError for k < 0.
    """
    ### BEGIN SOLUTION
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    sims = F.normalize(queries, dim=-1) @ docs.T
    order = torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, :k]
    return sims.gather(1, order), order
    ### END SOLUTION

# %% variant: ties-to-higher-id
# Reverses an ascending stable sort: ties go to the higher doc id.
def embed(model, ids, pad_mask):
    """Mean-pooled embeddings: ids (B, T) int64, pad_mask (B, T) bool, True on real tokens -> (B, C).

    Row b is the mean of final_hidden_states(model, ids)[b, t] over the t where pad_mask[b, t] is True (pad
    tokens come after the real ones), in the hidden states' dtype. Raise ValueError if a row has no real token
    (its mean would be NaN).
    """
    ### BEGIN SOLUTION
    if not pad_mask.any(dim=1).all():
        raise ValueError("pad_mask: a row has no real token, so its mean is undefined")
    hidden = final_hidden_states(model, ids)
    weights = pad_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1)
    ### END SOLUTION


def cosine_top_k(queries, docs, k):
    """The k docs most similar to each query by cosine similarity: (scores (Q, k'), ids (Q, k') int64).

    queries (Q, C) and docs (N, C) floating; k' = min(k, N). Per query, the highest similarity first; equal
    similarities in order of the lower doc id. Similarity = the inner product of the rows normalised with
    F.normalize (so a row of zeros has similarity 0 with everything, never NaN), in the inputs' dtype.
    k = 0 gives (Q, 0) tensors; raise ValueError for k < 0.
    """
    ### BEGIN SOLUTION
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    sims = F.normalize(queries, dim=-1) @ F.normalize(docs, dim=-1).T
    order = torch.sort(sims, dim=-1, stable=True).indices.flip(-1)[:, :k]
    return sims.gather(1, order), order
    ### END SOLUTION
