"""Scaled dot-product attention, three interchangeable ways.

Every implementation takes the same tensors and returns the same result (within float tolerance):

    q: (B, H, T_q, D)       queries
    k, v: (B, H_kv, T_k, D) keys and values; H_kv may divide H (grouped-query attention: query head h
                            reads key/value head h // (H // H_kv))
    mask: optional, broadcastable to (B, H, T_q, T_k); boolean (True = may attend) or additive float
    is_causal: query i may attend to key j only if j <= i + (T_k - T_q). The mask is aligned to the end,
               so a query shorter than the keys (decoding with a KV cache) sits at the last positions.
    -> (B, H, T_q, D)

- `naive_attention` materialises the (T_q, T_k) score matrix and can return the softmax weights.
- `sdpa_attention` calls PyTorch's fused `F.scaled_dot_product_attention`.
- `flash_attention` is FlashAttention-2 in plain PyTorch (`FlashAttention`, an autograd function): the forward
  pass walks over (block_q, block_k) tiles with an online softmax (running max, running sum, rescale) and
  saves only the output and each row's log-sum-exp; the backward pass recomputes the tiles from those.
- `attention(..., implementation=name)` picks one by name: "naive" | "sdpa" | "flash".
"""

import math

import torch
import torch.nn.functional as F


def causal_mask(t_q, t_k, device=None):
    """Boolean (t_q, t_k) mask, True where query i may attend to key j, i.e. j <= i + (t_k - t_q)."""
    return torch.ones(t_q, t_k, dtype=torch.bool, device=device).tril(diagonal=t_k - t_q)


def _check_inputs(q, k, v, mask, is_causal, dropout_p):
    for name, x in (("q", q), ("k", k), ("v", v)):
        if not isinstance(x, torch.Tensor) or x.dim() != 4:
            raise ValueError(f"{name} must be a 4-D tensor (B, H, T, D), got {getattr(x, 'shape', type(x))}")
    if k.shape != v.shape:
        raise ValueError(f"k and v must have the same shape, got k {tuple(k.shape)} and v {tuple(v.shape)}")
    if q.size(0) != k.size(0) or q.size(-1) != k.size(-1):
        raise ValueError(f"q {tuple(q.shape)} and k {tuple(k.shape)} must agree on batch size and head size")
    if q.size(1) % k.size(1) != 0:
        raise ValueError(f"the number of query heads ({q.size(1)}) must be a multiple of k's ({k.size(1)})")
    if is_causal and q.size(2) > k.size(2):
        raise ValueError(f"is_causal needs at least as many keys as queries, got q {q.size(2)} and k {k.size(2)}")
    if mask is not None:
        if is_causal:
            raise ValueError("pass either mask or is_causal=True, not both")
        if mask.dtype != torch.bool and not mask.is_floating_point():
            raise TypeError(f"mask must be boolean or floating point, got {mask.dtype}")
    if not 0.0 <= dropout_p < 1.0:
        raise ValueError(f"dropout_p must be in [0, 1), got {dropout_p}")


def _repeat_kv(x, n_head):
    """(B, H_kv, T, D) -> (B, n_head, T, D): each key/value head serves n_head // H_kv query heads in a row."""
    return x.repeat_interleave(n_head // x.size(1), dim=1)


def naive_attention(q, k, v, mask=None, is_causal=False, dropout_p=0.0, return_weights=False):
    """softmax(q k^T / sqrt(D) + mask) v, with the weights (B, H, T_q, T_k) as well if return_weights."""
    _check_inputs(q, k, v, mask, is_causal, dropout_p)
    k, v = _repeat_kv(k, q.size(1)), _repeat_kv(v, q.size(1))
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (B, H, T_q, T_k)
    if is_causal:
        mask = causal_mask(q.size(2), k.size(2), device=q.device)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    weights = torch.softmax(scores, dim=-1)
    out = F.dropout(weights, dropout_p) @ v  # (B, H, T_q, D)
    return (out, weights) if return_weights else out


def sdpa_attention(q, k, v, mask=None, is_causal=False, dropout_p=0.0):
    """PyTorch's fused kernel. Its own is_causal aligns the mask to the start, so T_q < T_k gets a mask."""
    _check_inputs(q, k, v, mask, is_causal, dropout_p)
    t_q, t_k = q.size(2), k.size(2)
    if is_causal and t_q != t_k:
        is_causal = False
        mask = None if t_q == 1 else causal_mask(t_q, t_k, device=q.device)  # one query sees every key
    return F.scaled_dot_product_attention(
        q, k, v, attn_mask=mask, dropout_p=dropout_p, is_causal=is_causal, enable_gqa=q.size(1) != k.size(1)
    )


def _tiles(t_q, t_k, block_q, block_k, is_causal):
    """The (q0, q1, k0, k1) tiles attention visits, query blocks outer, key blocks inner. With is_causal, a key
    block that lies wholly after a query block's last position is skipped (query i sits at key i + t_k - t_q)."""
    for q0 in range(0, t_q, block_q):
        q1 = min(q0 + block_q, t_q)
        k_end = min(t_k, q1 + t_k - t_q) if is_causal else t_k
        for k0 in range(0, k_end, block_k):
            yield q0, q1, k0, min(k0 + block_k, k_end)


def _tile_scores(q, k, mask, is_causal, q0, q1, k0, k1):
    """Scaled, masked scores of one tile: q[:, :, q0:q1] against k[:, :, k0:k1] -> (B, H, q1 - q0, k1 - k0)."""
    s = q[:, :, q0:q1] @ k[:, :, k0:k1].transpose(-2, -1) / math.sqrt(q.size(-1))
    if is_causal:
        query_pos = torch.arange(q0, q1, device=q.device)[:, None] + (k.size(2) - q.size(2))
        s = s.masked_fill(torch.arange(k0, k1, device=q.device) > query_pos, float("-inf"))
    elif mask is not None:
        tile = mask[:, :, q0:q1, k0:k1]
        s = s.masked_fill(~tile, float("-inf")) if tile.dtype == torch.bool else s + tile
    return s


def _keep(generator, shape, dropout_p, like):
    """The dropout keep-mask of one tile, scaled by 1 / (1 - p); None without dropout."""
    if generator is None:
        return None
    return (torch.rand(shape, generator=generator, device=like.device) >= dropout_p).to(like.dtype) / (1 - dropout_p)


class FlashAttention(torch.autograd.Function):
    """FlashAttention-2 in plain PyTorch, on q, k, v (B, H, T, D) with as many key heads as query heads.

    forward(q, k, v, mask, is_causal, dropout_p, block_q, block_k) -> (out (B, H, T_q, D), lse (B, H, T_q)).
    For each block of query rows it keeps the running max m of the scores seen so far, the running sum
    l = sum exp(s - m) and the running output acc = sum exp(s - m) v; a new tile of scores raises the max to
    m' and rescales l and acc by exp(m - m') before adding its own terms. At the end out = acc / l and the
    log-sum-exp of each row is lse = m + log l. No (T_q, T_k) matrix is ever made: only out and lse are saved.

    backward recomputes each tile's probabilities p = exp(s - lse) from the saved lse and, with
    delta = rowsum(dout * out), accumulates dv += p^T dout, ds = p * (dout v^T - delta), dq += ds k / sqrt(D)
    and dk += ds^T q / sqrt(D). Dropout draws its masks from a generator seeded once per call, so backward
    replays the same masks in the same tile order. The lse output gets no gradient.
    """

    @staticmethod
    def forward(ctx, q, k, v, mask, is_causal, dropout_p, block_q, block_k):
        B, H, t_q, D = q.shape
        seed = int(torch.randint(2**62, ())) if dropout_p > 0 else None
        generator = None if seed is None else torch.Generator(device=q.device).manual_seed(seed)
        m = q.new_full((B, H, t_q, 1), float("-inf"))  # running max of each row
        l = q.new_zeros((B, H, t_q, 1))  # running sum of exp(score - m)
        acc = q.new_zeros((B, H, t_q, D))  # running sum of exp(score - m) * v
        for q0, q1, k0, k1 in _tiles(t_q, k.size(2), block_q, block_k, is_causal):
            s = _tile_scores(q, k, mask, is_causal, q0, q1, k0, k1)
            m_old = m[:, :, q0:q1]
            m_new = torch.maximum(m_old, s.amax(dim=-1, keepdim=True))
            m_safe = m_new.masked_fill(m_new == float("-inf"), 0.0)  # rows that have seen no visible key yet
            p = torch.exp(s - m_safe)
            rescale = torch.exp(m_old - m_safe)
            keep = _keep(generator, p.shape, dropout_p, p)
            l[:, :, q0:q1] = l[:, :, q0:q1] * rescale + p.sum(dim=-1, keepdim=True)
            acc[:, :, q0:q1] = acc[:, :, q0:q1] * rescale + (p if keep is None else p * keep) @ v[:, :, k0:k1]
            m[:, :, q0:q1] = m_new
        out = acc / l
        lse = (m + torch.log(l)).squeeze(-1)  # (B, H, T_q)
        ctx.save_for_backward(q, k, v, mask, out, lse)
        ctx.options = (is_causal, dropout_p, block_q, block_k, seed)
        ctx.mark_non_differentiable(lse)
        return out, lse

    @staticmethod
    def backward(ctx, dout, _dlse):
        q, k, v, mask, out, lse = ctx.saved_tensors
        is_causal, dropout_p, block_q, block_k, seed = ctx.options
        generator = None if seed is None else torch.Generator(device=q.device).manual_seed(seed)
        scale = 1 / math.sqrt(q.size(-1))
        delta = (dout * out).sum(dim=-1, keepdim=True)  # (B, H, T_q, 1)
        lse = lse.masked_fill(lse == float("-inf"), 0.0)[..., None]
        dq, dk, dv = torch.zeros_like(q), torch.zeros_like(k), torch.zeros_like(v)
        for q0, q1, k0, k1 in _tiles(q.size(2), k.size(2), block_q, block_k, is_causal):
            p = torch.exp(_tile_scores(q, k, mask, is_causal, q0, q1, k0, k1) - lse[:, :, q0:q1])
            keep = _keep(generator, p.shape, dropout_p, p)
            dp = dout[:, :, q0:q1] @ v[:, :, k0:k1].transpose(-2, -1)
            dv[:, :, k0:k1] += (p if keep is None else p * keep).transpose(-2, -1) @ dout[:, :, q0:q1]
            ds = p * ((dp if keep is None else dp * keep) - delta[:, :, q0:q1])
            dq[:, :, q0:q1] += ds @ k[:, :, k0:k1] * scale
            dk[:, :, k0:k1] += ds.transpose(-2, -1) @ q[:, :, q0:q1] * scale
        return dq, dk, dv, None, None, None, None, None


def flash_attention(q, k, v, mask=None, is_causal=False, dropout_p=0.0, block_q=64, block_k=64, return_lse=False):
    """Tiled attention with an online softmax and a tiled backward pass (see FlashAttention).

    block_q queries meet block_k keys at a time. Key/value heads are repeated for grouped-query attention
    before the tiles (autograd sums their gradients back). With return_lse, also returns the log-sum-exp of
    each row of scaled, masked scores, (B, H, T_q).
    """
    _check_inputs(q, k, v, mask, is_causal, dropout_p)
    for name, size in (("block_q", block_q), ("block_k", block_k)):
        if not isinstance(size, int) or size < 1:
            raise ValueError(f"{name} must be a positive integer, got {size!r}")
    B, H, t_q, _ = q.shape
    if mask is not None:
        mask = mask.expand(B, H, t_q, k.size(2))
    k, v = _repeat_kv(k, H), _repeat_kv(v, H)
    out, lse = FlashAttention.apply(q, k, v, mask, is_causal, dropout_p, block_q, block_k)
    return (out, lse) if return_lse else out


IMPLEMENTATIONS = {"naive": naive_attention, "sdpa": sdpa_attention, "flash": flash_attention}


def attention(q, k, v, mask=None, is_causal=False, dropout_p=0.0, implementation="sdpa"):
    """Dispatch to one of IMPLEMENTATIONS by name; same contract as each of them."""
    if implementation not in IMPLEMENTATIONS:
        raise ValueError(f"implementation must be one of {sorted(IMPLEMENTATIONS)}, got {implementation!r}")
    return IMPLEMENTATIONS[implementation](q, k, v, mask=mask, is_causal=is_causal, dropout_p=dropout_p)
