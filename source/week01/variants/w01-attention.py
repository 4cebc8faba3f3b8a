# %% variant: missing-scale
# The scores are not divided by sqrt(d_k).
def scaled_dot_product_attention(q, k, v, causal=False):
    """softmax(q k^T / sqrt(d_k)) v, and the attention weights.

    q: (..., T_q, d_k), k: (..., T_k, d_k), v: (..., T_k, d_v), floating point, with the same leading dimensions.
    causal: if True, query i may attend only to keys j <= i. That needs T_q == T_k: raise ValueError otherwise.
    Returns (out, weights): out (..., T_q, d_v), and weights (..., T_q, T_k) whose rows are probability
    distributions over the keys (a masked key gets weight exactly 0). Both keep the dtype of q.
    """
    t_q, t_k = q.size(-2), k.size(-2)
    if causal and t_q != t_k:
        raise ValueError(f"causal attention needs as many queries as keys, got {t_q} and {t_k}")
    scores = q @ k.transpose(-2, -1)  # (..., T_q, T_k)
    if causal:
        future = torch.ones(t_q, t_k, dtype=torch.bool, device=q.device).triu(diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights

# %% variant: mask-wrong-triangle
# The mask hides the past (lower triangle) instead of the future.
def scaled_dot_product_attention(q, k, v, causal=False):
    """softmax(q k^T / sqrt(d_k)) v, and the attention weights.

    q: (..., T_q, d_k), k: (..., T_k, d_k), v: (..., T_k, d_v), floating point, with the same leading dimensions.
    causal: if True, query i may attend only to keys j <= i. That needs T_q == T_k: raise ValueError otherwise.
    Returns (out, weights): out (..., T_q, d_v), and weights (..., T_q, T_k) whose rows are probability
    distributions over the keys (a masked key gets weight exactly 0). Both keep the dtype of q.
    """
    t_q, t_k = q.size(-2), k.size(-2)
    if causal and t_q != t_k:
        raise ValueError(f"causal attention needs as many queries as keys, got {t_q} and {t_k}")
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (..., T_q, T_k)
    if causal:
        future = torch.ones(t_q, t_k, dtype=torch.bool, device=q.device).tril(diagonal=-1)
        scores = scores.masked_fill(future, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights

# %% variant: softmax-wrong-axis
# The softmax normalises over the queries (dim=-2) instead of the keys.
def scaled_dot_product_attention(q, k, v, causal=False):
    """softmax(q k^T / sqrt(d_k)) v, and the attention weights.

    q: (..., T_q, d_k), k: (..., T_k, d_k), v: (..., T_k, d_v), floating point, with the same leading dimensions.
    causal: if True, query i may attend only to keys j <= i. That needs T_q == T_k: raise ValueError otherwise.
    Returns (out, weights): out (..., T_q, d_v), and weights (..., T_q, T_k) whose rows are probability
    distributions over the keys (a masked key gets weight exactly 0). Both keep the dtype of q.
    """
    t_q, t_k = q.size(-2), k.size(-2)
    if causal and t_q != t_k:
        raise ValueError(f"causal attention needs as many queries as keys, got {t_q} and {t_k}")
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (..., T_q, T_k)
    if causal:
        future = torch.ones(t_q, t_k, dtype=torch.bool, device=q.device).triu(diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))
    weights = torch.softmax(scores, dim=-2)
    return weights @ v, weights

# %% variant: mask-after-softmax
# The future is zeroed after the softmax, so the rows no longer sum to 1.
def scaled_dot_product_attention(q, k, v, causal=False):
    """softmax(q k^T / sqrt(d_k)) v, and the attention weights.

    q: (..., T_q, d_k), k: (..., T_k, d_k), v: (..., T_k, d_v), floating point, with the same leading dimensions.
    causal: if True, query i may attend only to keys j <= i. That needs T_q == T_k: raise ValueError otherwise.
    Returns (out, weights): out (..., T_q, d_v), and weights (..., T_q, T_k) whose rows are probability
    distributions over the keys (a masked key gets weight exactly 0). Both keep the dtype of q.
    """
    t_q, t_k = q.size(-2), k.size(-2)
    if causal and t_q != t_k:
        raise ValueError(f"causal attention needs as many queries as keys, got {t_q} and {t_k}")
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (..., T_q, T_k)
    if causal:
        future = torch.ones(t_q, t_k, dtype=torch.bool, device=q.device).triu(diagonal=1)
        weights = torch.softmax(scores, dim=-1).masked_fill(future, 0.0)
    else:
        weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights

# %% variant: mask-with-minus-1e9
# The future is masked with -1e9 instead of -inf: wrong when every allowed score is below -1e9.
def scaled_dot_product_attention(q, k, v, causal=False):
    """softmax(q k^T / sqrt(d_k)) v, and the attention weights.

    q: (..., T_q, d_k), k: (..., T_k, d_k), v: (..., T_k, d_v), floating point, with the same leading dimensions,
    in any memory layout (a transpose of (..., T, n_head, d_k) among them); they are not modified.
    causal: if True, query i may attend only to keys j <= i. That needs T_q == T_k: raise ValueError otherwise.
    Returns (out, weights): out (..., T_q, d_v), and weights (..., T_q, T_k) whose rows are probability
    distributions over the keys (a masked key gets weight exactly 0). Both keep the dtype of q.
    Every allowed key counts, however negative its score. Gradients flow back to q, k and v through backward().
    """
    t_q, t_k = q.size(-2), k.size(-2)
    if causal and t_q != t_k:
        raise ValueError(f"causal attention needs as many queries as keys, got {t_q} and {t_k}")
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (..., T_q, T_k)
    if causal:
        future = torch.ones(t_q, t_k, dtype=torch.bool, device=q.device).triu(diagonal=1)
        scores = scores.masked_fill(future, -1e9)
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights
    ### END SOLUTION

# %% variant: bmm-with-view
# Folds the leading dimensions with .view for torch.bmm: fails on inputs laid out by a transpose.
def scaled_dot_product_attention(q, k, v, causal=False):
    """softmax(q k^T / sqrt(d_k)) v, and the attention weights.

    q: (..., T_q, d_k), k: (..., T_k, d_k), v: (..., T_k, d_v), floating point, with the same leading dimensions,
    in any memory layout (a transpose of (..., T, n_head, d_k) among them); they are not modified.
    causal: if True, query i may attend only to keys j <= i. That needs T_q == T_k: raise ValueError otherwise.
    Returns (out, weights): out (..., T_q, d_v), and weights (..., T_q, T_k) whose rows are probability
    distributions over the keys (a masked key gets weight exactly 0). Both keep the dtype of q.
    Every allowed key counts, however negative its score. Gradients flow back to q, k and v through backward().
    """
    t_q, t_k = q.size(-2), k.size(-2)
    if causal and t_q != t_k:
        raise ValueError(f"causal attention needs as many queries as keys, got {t_q} and {t_k}")
    lead = q.shape[:-2]
    scores = torch.bmm(q.view(-1, t_q, q.size(-1)), k.view(-1, t_k, k.size(-1)).transpose(1, 2))
    scores = scores.view(*lead, t_q, t_k) / math.sqrt(q.size(-1))
    if causal:
        future = torch.ones(t_q, t_k, dtype=torch.bool, device=q.device).triu(diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    out = torch.bmm(weights.view(-1, t_q, t_k), v.view(-1, t_k, v.size(-1)))
    return out.view(*lead, t_q, v.size(-1)), weights
    ### END SOLUTION

# %% variant: softmax-normalised-in-place
# A hand-written softmax divides exp in place: the forward pass is right, backward() fails.
def scaled_dot_product_attention(q, k, v, causal=False):
    """softmax(q k^T / sqrt(d_k)) v, and the attention weights.

    q: (..., T_q, d_k), k: (..., T_k, d_k), v: (..., T_k, d_v), floating point, with the same leading dimensions,
    in any memory layout (a transpose of (..., T, n_head, d_k) among them); they are not modified.
    causal: if True, query i may attend only to keys j <= i. That needs T_q == T_k: raise ValueError otherwise.
    Returns (out, weights): out (..., T_q, d_v), and weights (..., T_q, T_k) whose rows are probability
    distributions over the keys (a masked key gets weight exactly 0). Both keep the dtype of q.
    Every allowed key counts, however negative its score. Gradients flow back to q, k and v through backward().
    """
    t_q, t_k = q.size(-2), k.size(-2)
    if causal and t_q != t_k:
        raise ValueError(f"causal attention needs as many queries as keys, got {t_q} and {t_k}")
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (..., T_q, T_k)
    if causal:
        future = torch.ones(t_q, t_k, dtype=torch.bool, device=q.device).triu(diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))
    weights = torch.exp(scores - scores.amax(dim=-1, keepdim=True))
    weights /= weights.sum(dim=-1, keepdim=True)
    return weights @ v, weights
    ### END SOLUTION
