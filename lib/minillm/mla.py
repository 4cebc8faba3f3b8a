"""Multi-head latent attention (DeepSeek-V2), in transformers' DeepseekV2Attention layout without a query
low-rank projection.

Keys and values come from one shared latent per token, c = RMSNorm(W_dkv x) of size r = kv_lora_rank, that
each head expands with its own up-projections: k_h = W_uk,h c, v_h = W_uv,h c. RoPE cannot pass through that
product (the rotation depends on the position, the up-projection does not), so position rides on a separate,
decoupled key k_rope of size d_rope that every head shares; each head's query has a matching rope part.

    score_h(i, j) = (q_nope,h(i) . k_nope,h(j) + q_rope,h(i) . k_rope(j)) / sqrt(d_nope + d_rope)

The cache keeps only c and k_rope: r + d_rope numbers per token and layer, whatever the number of heads.
The absorbed form never expands the cache: q_nope,h . W_uk,h c = (W_uk,h^T q_nope,h) . c, so the query is
folded into latent space, and W_o,h W_uv,h (o_h . c) folds the value up-projection into the output. It is
multi-query attention over the latent, with keys [c, k_rope] and values c.

State-dict keys (C = n_embd, H = n_head, r = kv_lora_rank, dn, dr, dv = qk_nope_, qk_rope_, v_head_dim):

    q_proj.weight               (H * (dn + dr), C)      each head: dn nope rows, then dr rope rows
    kv_a_proj_with_mqa.weight   (r + dr, C)             r latent rows, then the dr rows of k_rope
    kv_a_layernorm.weight       (r,)
    kv_b_proj.weight            (H * (dn + dv), r)      each head: dn rows of W_uk, then dv rows of W_uv
    o_proj.weight               (C, H * dv)
"""

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from minillm.attention import causal_mask
from minillm.model import RMSNorm, RotaryEmbedding


@dataclass
class MLAConfig:
    """Sizes of a stack of MLA layers (n_layer only matters for KV-cache accounting)."""

    n_embd: int = 64
    n_head: int = 4
    kv_lora_rank: int = 32
    qk_nope_head_dim: int = 16
    qk_rope_head_dim: int = 8
    v_head_dim: int = 16
    n_layer: int = 1
    block_size: int = 1024
    rope_theta: float = 10000.0

    def __post_init__(self):
        for name in ("n_embd", "n_head", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim",
                     "n_layer", "block_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if self.qk_rope_head_dim % 2:
            raise ValueError(f"qk_rope_head_dim must be even (RoPE turns pairs), got {self.qk_rope_head_dim}")


class LatentCache:
    """What MLA caches for one layer: latents (B, T, r) and rope keys (B, T, d_rope) of the tokens so far."""

    def __init__(self):
        self.latent = self.rope_key = None

    @property
    def length(self):
        return 0 if self.latent is None else self.latent.size(1)

    @property
    def nbytes(self):
        return sum(t.nbytes for t in (self.latent, self.rope_key) if t is not None)

    def update(self, latent, rope_key):
        """Append this step's latents and rope keys; return all of them."""
        if self.latent is not None:
            latent, rope_key = torch.cat([self.latent, latent], 1), torch.cat([self.rope_key, rope_key], 1)
        self.latent, self.rope_key = latent, rope_key
        return latent, rope_key


def _causal_attention(q, k, v, scale):
    """F.scaled_dot_product_attention with the causal mask aligned to the end (queries are the last tokens)."""
    t_q, t_k = q.size(2), k.size(2)
    mask = None if t_q == t_k else causal_mask(t_q, t_k, device=q.device)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=t_q == t_k, scale=scale)


class MultiHeadLatentAttention(nn.Module):
    """Causal MLA. forward(x (B, T, C), start=0, cache=None, absorbed=False) -> (B, T, C).

    x holds the tokens at positions start .. start + T - 1; with a LatentCache, their latents and rope keys
    are appended to it and the queries attend to every cached token. absorbed=True computes the same
    output without expanding keys and values per head.
    """

    def __init__(self, config):
        super().__init__()
        self.config = c = config
        self.q_proj = nn.Linear(c.n_embd, c.n_head * (c.qk_nope_head_dim + c.qk_rope_head_dim), bias=False)
        self.kv_a_proj_with_mqa = nn.Linear(c.n_embd, c.kv_lora_rank + c.qk_rope_head_dim, bias=False)
        self.kv_a_layernorm = RMSNorm(c.kv_lora_rank)
        self.kv_b_proj = nn.Linear(c.kv_lora_rank, c.n_head * (c.qk_nope_head_dim + c.v_head_dim), bias=False)
        self.o_proj = nn.Linear(c.n_head * c.v_head_dim, c.n_embd, bias=False)
        self.rotary = RotaryEmbedding(c.qk_rope_head_dim, c.block_size, c.rope_theta)

    def forward(self, x, start=0, cache=None, absorbed=False):
        c = self.config
        B, T, _ = x.shape
        H, dn, dr, dv, r = c.n_head, c.qk_nope_head_dim, c.qk_rope_head_dim, c.v_head_dim, c.kv_lora_rank
        q = self.q_proj(x).view(B, T, H, dn + dr).transpose(1, 2)  # (B, H, T, dn + dr)
        q_nope, q_rope = q.split([dn, dr], dim=-1)
        q_rope = self.rotary(q_rope, start)
        latent, k_rope = self.kv_a_proj_with_mqa(x).split([r, dr], dim=-1)
        latent = self.kv_a_layernorm(latent)  # (B, T, r)
        k_rope = self.rotary(k_rope[:, None], start)[:, 0]  # (B, T, dr), one key shared by every head
        if cache is not None:
            latent, k_rope = cache.update(latent, k_rope)  # (B, T_k, r), (B, T_k, dr)
        scale = (dn + dr) ** -0.5
        w_b = self.kv_b_proj.weight.view(H, dn + dv, r)
        w_uk, w_uv = w_b[:, :dn], w_b[:, dn:]  # (H, dn, r), (H, dv, r)
        if absorbed:
            q_latent = q_nope @ w_uk  # (B, H, T, r): W_uk^T folded into each query
            keys = torch.cat([latent, k_rope], dim=-1)[:, None].expand(B, H, -1, r + dr)
            o_latent = _causal_attention(torch.cat([q_latent, q_rope], -1), keys, latent[:, None].expand(B, H, -1, r),
                                         scale)  # (B, H, T, r)
            w_out = self.o_proj.weight.view(-1, H, dv).transpose(0, 1) @ w_uv  # (H, C, r): W_o,h W_uv,h
            return torch.einsum("bhtr,hcr->btc", o_latent, w_out)
        kv = (latent @ w_b.flatten(0, 1).T).view(B, -1, H, dn + dv).transpose(1, 2)  # (B, H, T_k, dn + dv)
        k_nope, v = kv.split([dn, dv], dim=-1)
        k = torch.cat([k_nope, k_rope[:, None].expand(B, H, -1, dr)], dim=-1)
        y = _causal_attention(torch.cat([q_nope, q_rope], -1), k, v, scale)  # (B, H, T, dv)
        return self.o_proj(y.transpose(1, 2).reshape(B, T, H * dv))
