# %% variant: no-rescale
# The running output is not rescaled when the maximum grows.
def tiled_attention_forward(q, k, v, is_causal=False, block_q=16, block_k=16):
    """FlashAttention-2's forward pass: the online softmax over (block_q, block_k) tiles.

    q: (B, H, T_q, D); k, v: (B, H, T_k, D) (as many key heads as query heads).
    is_causal: query i sees key j only if j <= i + (T_k - T_q), the mask aligned to the end.
    Returns (out (B, H, T_q, D), lse (B, H, T_q)) in q's dtype (float64 in, float64 out), where
    out = softmax(q k^T / sqrt(D) + mask) v and lse[b, h, i] = logsumexp over j of the scaled, masked scores.
    Never builds a (T_q, T_k) score matrix: at most one (block_q, block_k) tile of scores at a time. Tiles at
    the edges are smaller when T is not a multiple of the block size. Stays finite for huge scores.
    block_q or block_k < 1: ValueError naming the argument.
    The tests compare with F.scaled_dot_product_attention and torch.logsumexp, causal and not, T_q != T_k,
    ragged blocks, scores in the thousands, and measure the memory it allocates.
    """
    ### BEGIN SOLUTION
    for name, size in (("block_q", block_q), ("block_k", block_k)):
        if size < 1:
            raise ValueError(f"{name} must be a positive integer, got {size}")
    B, H, t_q, D = q.shape
    t_k = k.size(2)
    out, lse = torch.empty_like(q), q.new_empty(B, H, t_q)
    for q0 in range(0, t_q, block_q):
        q1 = min(q0 + block_q, t_q)
        m = q.new_full((B, H, q1 - q0, 1), float("-inf"))
        l = q.new_zeros((B, H, q1 - q0, 1))
        acc = q.new_zeros((B, H, q1 - q0, D))
        k_end = min(t_k, q1 + t_k - t_q) if is_causal else t_k
        for k0 in range(0, k_end, block_k):
            k1 = min(k0 + block_k, k_end)
            s = q[:, :, q0:q1] @ k[:, :, k0:k1].transpose(-2, -1) / math.sqrt(D)
            if is_causal:
                rows = torch.arange(q0, q1)[:, None] + (t_k - t_q)
                s = s.masked_fill(torch.arange(k0, k1) > rows, float("-inf"))
            m_new = torch.maximum(m, s.amax(dim=-1, keepdim=True))
            m_safe = m_new.masked_fill(m_new == float("-inf"), 0.0)
            p = torch.exp(s - m_safe)
            rescale = torch.exp(m - m_safe)
            l = l * rescale + p.sum(dim=-1, keepdim=True)
            acc = acc + p @ v[:, :, k0:k1]
            m = m_new
        out[:, :, q0:q1] = acc / l
        lse[:, :, q0:q1] = (m + torch.log(l)).squeeze(-1)
    return out, lse
    ### END SOLUTION

# %% variant: lse-is-max
# lse returns the running maximum and forgets log(l).
def tiled_attention_forward(q, k, v, is_causal=False, block_q=16, block_k=16):
    """FlashAttention-2's forward pass: the online softmax over (block_q, block_k) tiles.

    q: (B, H, T_q, D); k, v: (B, H, T_k, D) (as many key heads as query heads).
    is_causal: query i sees key j only if j <= i + (T_k - T_q), the mask aligned to the end.
    Returns (out (B, H, T_q, D), lse (B, H, T_q)) in q's dtype (float64 in, float64 out), where
    out = softmax(q k^T / sqrt(D) + mask) v and lse[b, h, i] = logsumexp over j of the scaled, masked scores.
    Never builds a (T_q, T_k) score matrix: at most one (block_q, block_k) tile of scores at a time. Tiles at
    the edges are smaller when T is not a multiple of the block size. Stays finite for huge scores.
    block_q or block_k < 1: ValueError naming the argument.
    The tests compare with F.scaled_dot_product_attention and torch.logsumexp, causal and not, T_q != T_k,
    ragged blocks, scores in the thousands, and measure the memory it allocates.
    """
    ### BEGIN SOLUTION
    for name, size in (("block_q", block_q), ("block_k", block_k)):
        if size < 1:
            raise ValueError(f"{name} must be a positive integer, got {size}")
    B, H, t_q, D = q.shape
    t_k = k.size(2)
    out, lse = torch.empty_like(q), q.new_empty(B, H, t_q)
    for q0 in range(0, t_q, block_q):
        q1 = min(q0 + block_q, t_q)
        m = q.new_full((B, H, q1 - q0, 1), float("-inf"))
        l = q.new_zeros((B, H, q1 - q0, 1))
        acc = q.new_zeros((B, H, q1 - q0, D))
        k_end = min(t_k, q1 + t_k - t_q) if is_causal else t_k
        for k0 in range(0, k_end, block_k):
            k1 = min(k0 + block_k, k_end)
            s = q[:, :, q0:q1] @ k[:, :, k0:k1].transpose(-2, -1) / math.sqrt(D)
            if is_causal:
                rows = torch.arange(q0, q1)[:, None] + (t_k - t_q)
                s = s.masked_fill(torch.arange(k0, k1) > rows, float("-inf"))
            m_new = torch.maximum(m, s.amax(dim=-1, keepdim=True))
            m_safe = m_new.masked_fill(m_new == float("-inf"), 0.0)
            p = torch.exp(s - m_safe)
            rescale = torch.exp(m - m_safe)
            l = l * rescale + p.sum(dim=-1, keepdim=True)
            acc = acc * rescale + p @ v[:, :, k0:k1]
            m = m_new
        out[:, :, q0:q1] = acc / l
        lse[:, :, q0:q1] = m.squeeze(-1)
    return out, lse
    ### END SOLUTION

# %% variant: no-max-subtraction
# exp of the raw scores: right for small scores, inf/NaN for large ones.
def tiled_attention_forward(q, k, v, is_causal=False, block_q=16, block_k=16):
    """FlashAttention-2's forward pass: the online softmax over (block_q, block_k) tiles.

    q: (B, H, T_q, D); k, v: (B, H, T_k, D) (as many key heads as query heads).
    is_causal: query i sees key j only if j <= i + (T_k - T_q), the mask aligned to the end.
    Returns (out (B, H, T_q, D), lse (B, H, T_q)) in q's dtype (float64 in, float64 out), where
    out = softmax(q k^T / sqrt(D) + mask) v and lse[b, h, i] = logsumexp over j of the scaled, masked scores.
    Never builds a (T_q, T_k) score matrix: at most one (block_q, block_k) tile of scores at a time. Tiles at
    the edges are smaller when T is not a multiple of the block size. Stays finite for huge scores.
    block_q or block_k < 1: ValueError naming the argument.
    The tests compare with F.scaled_dot_product_attention and torch.logsumexp, causal and not, T_q != T_k,
    ragged blocks, scores in the thousands, and measure the memory it allocates.
    """
    ### BEGIN SOLUTION
    for name, size in (("block_q", block_q), ("block_k", block_k)):
        if size < 1:
            raise ValueError(f"{name} must be a positive integer, got {size}")
    B, H, t_q, D = q.shape
    t_k = k.size(2)
    out, lse = torch.empty_like(q), q.new_empty(B, H, t_q)
    for q0 in range(0, t_q, block_q):
        q1 = min(q0 + block_q, t_q)
        m = q.new_full((B, H, q1 - q0, 1), float("-inf"))
        l = q.new_zeros((B, H, q1 - q0, 1))
        acc = q.new_zeros((B, H, q1 - q0, D))
        k_end = min(t_k, q1 + t_k - t_q) if is_causal else t_k
        for k0 in range(0, k_end, block_k):
            k1 = min(k0 + block_k, k_end)
            s = q[:, :, q0:q1] @ k[:, :, k0:k1].transpose(-2, -1) / math.sqrt(D)
            if is_causal:
                rows = torch.arange(q0, q1)[:, None] + (t_k - t_q)
                s = s.masked_fill(torch.arange(k0, k1) > rows, float("-inf"))
            m_new = torch.maximum(m, s.amax(dim=-1, keepdim=True))
            m_safe = torch.zeros_like(m_new)
            p = torch.exp(s - m_safe)
            rescale = torch.exp(m - m_safe)
            l = l * rescale + p.sum(dim=-1, keepdim=True)
            acc = acc * rescale + p @ v[:, :, k0:k1]
            m = m_new
        out[:, :, q0:q1] = acc / l
        lse[:, :, q0:q1] = (m + torch.log(l)).squeeze(-1)
    return out, lse
    ### END SOLUTION

# %% variant: causal-start-aligned
# The causal mask is aligned to the start, wrong when T_q < T_k.
def tiled_attention_forward(q, k, v, is_causal=False, block_q=16, block_k=16):
    """FlashAttention-2's forward pass: the online softmax over (block_q, block_k) tiles.

    q: (B, H, T_q, D); k, v: (B, H, T_k, D) (as many key heads as query heads).
    is_causal: query i sees key j only if j <= i + (T_k - T_q), the mask aligned to the end.
    Returns (out (B, H, T_q, D), lse (B, H, T_q)) in q's dtype (float64 in, float64 out), where
    out = softmax(q k^T / sqrt(D) + mask) v and lse[b, h, i] = logsumexp over j of the scaled, masked scores.
    Never builds a (T_q, T_k) score matrix: at most one (block_q, block_k) tile of scores at a time. Tiles at
    the edges are smaller when T is not a multiple of the block size. Stays finite for huge scores.
    block_q or block_k < 1: ValueError naming the argument.
    The tests compare with F.scaled_dot_product_attention and torch.logsumexp, causal and not, T_q != T_k,
    ragged blocks, scores in the thousands, and measure the memory it allocates.
    """
    ### BEGIN SOLUTION
    for name, size in (("block_q", block_q), ("block_k", block_k)):
        if size < 1:
            raise ValueError(f"{name} must be a positive integer, got {size}")
    B, H, t_q, D = q.shape
    t_k = k.size(2)
    out, lse = torch.empty_like(q), q.new_empty(B, H, t_q)
    for q0 in range(0, t_q, block_q):
        q1 = min(q0 + block_q, t_q)
        m = q.new_full((B, H, q1 - q0, 1), float("-inf"))
        l = q.new_zeros((B, H, q1 - q0, 1))
        acc = q.new_zeros((B, H, q1 - q0, D))
        k_end = min(t_k, q1) if is_causal else t_k
        for k0 in range(0, k_end, block_k):
            k1 = min(k0 + block_k, k_end)
            s = q[:, :, q0:q1] @ k[:, :, k0:k1].transpose(-2, -1) / math.sqrt(D)
            if is_causal:
                rows = torch.arange(q0, q1)[:, None]
                s = s.masked_fill(torch.arange(k0, k1) > rows, float("-inf"))
            m_new = torch.maximum(m, s.amax(dim=-1, keepdim=True))
            m_safe = m_new.masked_fill(m_new == float("-inf"), 0.0)
            p = torch.exp(s - m_safe)
            rescale = torch.exp(m - m_safe)
            l = l * rescale + p.sum(dim=-1, keepdim=True)
            acc = acc * rescale + p @ v[:, :, k0:k1]
            m = m_new
        out[:, :, q0:q1] = acc / l
        lse[:, :, q0:q1] = (m + torch.log(l)).squeeze(-1)
    return out, lse
    ### END SOLUTION

# %% variant: whole-row
# Builds each block's whole row of scores at once (one key block of T_k): the T x T matrix in pieces.
def tiled_attention_forward(q, k, v, is_causal=False, block_q=16, block_k=16):
    """FlashAttention-2's forward pass: the online softmax over (block_q, block_k) tiles.

    q: (B, H, T_q, D); k, v: (B, H, T_k, D) (as many key heads as query heads).
    is_causal: query i sees key j only if j <= i + (T_k - T_q), the mask aligned to the end.
    Returns (out (B, H, T_q, D), lse (B, H, T_q)) in q's dtype (float64 in, float64 out), where
    out = softmax(q k^T / sqrt(D) + mask) v and lse[b, h, i] = logsumexp over j of the scaled, masked scores.
    Never builds a (T_q, T_k) score matrix: at most one (block_q, block_k) tile of scores at a time. Tiles at
    the edges are smaller when T is not a multiple of the block size. Stays finite for huge scores.
    block_q or block_k < 1: ValueError naming the argument.
    The tests compare with F.scaled_dot_product_attention and torch.logsumexp, causal and not, T_q != T_k,
    ragged blocks, scores in the thousands, and measure the memory it allocates.
    """
    ### BEGIN SOLUTION
    for name, size in (("block_q", block_q), ("block_k", block_k)):
        if size < 1:
            raise ValueError(f"{name} must be a positive integer, got {size}")
    B, H, t_q, D = q.shape
    t_k = k.size(2)
    out, lse = torch.empty_like(q), q.new_empty(B, H, t_q)
    for q0 in range(0, t_q, block_q):
        q1 = min(q0 + block_q, t_q)
        m = q.new_full((B, H, q1 - q0, 1), float("-inf"))
        l = q.new_zeros((B, H, q1 - q0, 1))
        acc = q.new_zeros((B, H, q1 - q0, D))
        k_end = min(t_k, q1 + t_k - t_q) if is_causal else t_k
        for k0 in range(0, k_end, k_end):
            k1 = k_end
            s = q[:, :, q0:q1] @ k[:, :, k0:k1].transpose(-2, -1) / math.sqrt(D)
            if is_causal:
                rows = torch.arange(q0, q1)[:, None] + (t_k - t_q)
                s = s.masked_fill(torch.arange(k0, k1) > rows, float("-inf"))
            m_new = torch.maximum(m, s.amax(dim=-1, keepdim=True))
            m_safe = m_new.masked_fill(m_new == float("-inf"), 0.0)
            p = torch.exp(s - m_safe)
            rescale = torch.exp(m - m_safe)
            l = l * rescale + p.sum(dim=-1, keepdim=True)
            acc = acc * rescale + p @ v[:, :, k0:k1]
            m = m_new
        out[:, :, q0:q1] = acc / l
        lse[:, :, q0:q1] = (m + torch.log(l)).squeeze(-1)
    return out, lse
    ### END SOLUTION
