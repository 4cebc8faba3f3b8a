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
- `flash_attention` walks over key blocks with an online softmax (running max, running sum, rescale), the
  idea behind FlashAttention, in plain PyTorch: it makes one (block_q, block_k) tile of scores at a time.
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


def flash_attention(q, k, v, mask=None, is_causal=False, dropout_p=0.0, block_q=64, block_k=64):
    """Tiled attention with an online softmax; block_q queries meet block_k keys at a time.

    For each block of queries we keep, per row, the running max m of the scores seen so far, the running
    sum l of exp(score - m) and the running output acc = sum exp(score - m) v. A new tile of scores s
    raises the max to m' = max(m, max s); the old l and acc were computed against m, so both are
    rescaled by exp(m - m') before the tile's own terms are added. At the end, out = acc / l.
    """
    _check_inputs(q, k, v, mask, is_causal, dropout_p)
    if block_q < 1 or block_k < 1:
        raise ValueError(f"block_q and block_k must be positive, got {block_q} and {block_k}")
    B, H, t_q, D = q.shape
    t_k = k.size(2)
    k, v = _repeat_kv(k, H), _repeat_kv(v, H)
    if mask is not None:
        mask = mask.expand(B, H, t_q, t_k)
    offset = t_k - t_q  # query i sits at key position i + offset
    outputs = []
    for q0 in range(0, t_q, block_q):
        q1 = min(q0 + block_q, t_q)
        q_tile = q[:, :, q0:q1] / math.sqrt(D)
        m = q.new_full((B, H, q1 - q0, 1), float("-inf"))  # running max
        l = q.new_zeros((B, H, q1 - q0, 1))  # running sum of exp(score - m)
        acc = q.new_zeros((B, H, q1 - q0, D))  # running sum of exp(score - m) * v
        k_end = min(t_k, q1 + offset) if is_causal else t_k  # later keys are hidden from this whole block
        for k0 in range(0, k_end, block_k):
            k1 = min(k0 + block_k, k_end)
            s = q_tile @ k[:, :, k0:k1].transpose(-2, -1)  # (B, H, q1 - q0, k1 - k0)
            if is_causal:
                query_pos = torch.arange(q0, q1, device=q.device)[:, None] + offset
                visible = torch.arange(k0, k1, device=q.device) <= query_pos
                s = s.masked_fill(~visible, float("-inf"))
            elif mask is not None:
                tile = mask[:, :, q0:q1, k0:k1]
                s = s.masked_fill(~tile, float("-inf")) if tile.dtype == torch.bool else s + tile
            m_new = torch.maximum(m, s.amax(dim=-1, keepdim=True))
            m_safe = m_new.masked_fill(m_new == float("-inf"), 0.0)  # rows that have seen no visible key yet
            p = torch.exp(s - m_safe)
            rescale = torch.exp(m - m_safe)
            l = l * rescale + p.sum(dim=-1, keepdim=True)
            acc = acc * rescale + F.dropout(p, dropout_p) @ v[:, :, k0:k1]
            m = m_new
        outputs.append(acc / l)
    return torch.cat(outputs, dim=2)


IMPLEMENTATIONS = {"naive": naive_attention, "sdpa": sdpa_attention, "flash": flash_attention}


def attention(q, k, v, mask=None, is_causal=False, dropout_p=0.0, implementation="sdpa"):
    """Dispatch to one of IMPLEMENTATIONS by name; same contract as each of them."""
    if implementation not in IMPLEMENTATIONS:
        raise ValueError(f"implementation must be one of {sorted(IMPLEMENTATIONS)}, got {implementation!r}")
    return IMPLEMENTATIONS[implementation](q, k, v, mask=mask, is_causal=is_causal, dropout_p=dropout_p)
