# %% variant: nope-scale
# Scales the scores by 1 / sqrt(d_n), forgetting the rope part of the head size.
def absorbed_mla(mla, x):
    """Causal MLA in the absorbed form, for x (B, T, C) at positions 0 .. T - 1 and the weights of `mla` (a
    minillm.mla.MultiHeadLatentAttention; its sizes are in mla.config: n_head, kv_lora_rank, qk_nope_head_dim,
    qk_rope_head_dim, v_head_dim).

    Returns (y (B, T, C), latent (B, T, r), rope_key (B, T, d_r)): the attention output, and what the cache
    holds: latent = kv_a_layernorm of the latent rows of kv_a_proj_with_mqa(x), rope_key = its last d_r
    columns rotated by mla.rotary. y must equal the explicit form mla(x), computed without making any
    per-head key or value: fold W_uk,h into the queries and W_o,h W_uv,h into the output. Scores are scaled by
    1 / sqrt(d_n + d_r); query i sees keys 0 .. i. Do not call mla(...) or mla.forward.
    The tests compare with mla(x) and with the library's LatentCache on other sizes and seeds, with gradients.
    """
    ### BEGIN SOLUTION
    c = mla.config
    B, T, _ = x.shape
    H, dn, dr, dv, r = c.n_head, c.qk_nope_head_dim, c.qk_rope_head_dim, c.v_head_dim, c.kv_lora_rank
    q = mla.q_proj(x).view(B, T, H, dn + dr).transpose(1, 2)
    q_nope, q_rope = q.split([dn, dr], dim=-1)
    q_rope = mla.rotary(q_rope)
    latent, rope_key = mla.kv_a_proj_with_mqa(x).split([r, dr], dim=-1)
    latent = mla.kv_a_layernorm(latent)
    rope_key = mla.rotary(rope_key[:, None])[:, 0]
    w_b = mla.kv_b_proj.weight.view(H, dn + dv, r)
    w_uk, w_uv = w_b[:, :dn], w_b[:, dn:]
    q_latent = q_nope @ w_uk  # (B, H, T, r)
    scores = (q_latent @ latent[:, None].transpose(-2, -1) + q_rope @ rope_key[:, None].transpose(-2, -1)) / math.sqrt(dn)
    scores = scores.masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(), float("-inf"))
    o_latent = torch.softmax(scores, dim=-1) @ latent[:, None]  # (B, H, T, r)
    w_out = mla.o_proj.weight.view(-1, H, dv).transpose(0, 1) @ w_uv  # (H, C, r)
    y = torch.einsum("bhtr,hcr->btc", o_latent, w_out)
    return y, latent, rope_key
    ### END SOLUTION

# %% variant: no-rope
# Forgets to rotate the rope query and key.
def absorbed_mla(mla, x):
    """Causal MLA in the absorbed form, for x (B, T, C) at positions 0 .. T - 1 and the weights of `mla` (a
    minillm.mla.MultiHeadLatentAttention; its sizes are in mla.config: n_head, kv_lora_rank, qk_nope_head_dim,
    qk_rope_head_dim, v_head_dim).

    Returns (y (B, T, C), latent (B, T, r), rope_key (B, T, d_r)): the attention output, and what the cache
    holds: latent = kv_a_layernorm of the latent rows of kv_a_proj_with_mqa(x), rope_key = its last d_r
    columns rotated by mla.rotary. y must equal the explicit form mla(x), computed without making any
    per-head key or value: fold W_uk,h into the queries and W_o,h W_uv,h into the output. Scores are scaled by
    1 / sqrt(d_n + d_r); query i sees keys 0 .. i. Do not call mla(...) or mla.forward.
    The tests compare with mla(x) and with the library's LatentCache on other sizes and seeds, with gradients.
    """
    ### BEGIN SOLUTION
    c = mla.config
    B, T, _ = x.shape
    H, dn, dr, dv, r = c.n_head, c.qk_nope_head_dim, c.qk_rope_head_dim, c.v_head_dim, c.kv_lora_rank
    q = mla.q_proj(x).view(B, T, H, dn + dr).transpose(1, 2)
    q_nope, q_rope = q.split([dn, dr], dim=-1)
    latent, rope_key = mla.kv_a_proj_with_mqa(x).split([r, dr], dim=-1)
    latent = mla.kv_a_layernorm(latent)
    w_b = mla.kv_b_proj.weight.view(H, dn + dv, r)
    w_uk, w_uv = w_b[:, :dn], w_b[:, dn:]
    q_latent = q_nope @ w_uk  # (B, H, T, r)
    scores = (q_latent @ latent[:, None].transpose(-2, -1) + q_rope @ rope_key[:, None].transpose(-2, -1)) / math.sqrt(dn + dr)
    scores = scores.masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(), float("-inf"))
    o_latent = torch.softmax(scores, dim=-1) @ latent[:, None]  # (B, H, T, r)
    w_out = mla.o_proj.weight.view(-1, H, dv).transpose(0, 1) @ w_uv  # (H, C, r)
    y = torch.einsum("bhtr,hcr->btc", o_latent, w_out)
    return y, latent, rope_key
    ### END SOLUTION

# %% variant: not-causal
# Lets every query see every key.
def absorbed_mla(mla, x):
    """Causal MLA in the absorbed form, for x (B, T, C) at positions 0 .. T - 1 and the weights of `mla` (a
    minillm.mla.MultiHeadLatentAttention; its sizes are in mla.config: n_head, kv_lora_rank, qk_nope_head_dim,
    qk_rope_head_dim, v_head_dim).

    Returns (y (B, T, C), latent (B, T, r), rope_key (B, T, d_r)): the attention output, and what the cache
    holds: latent = kv_a_layernorm of the latent rows of kv_a_proj_with_mqa(x), rope_key = its last d_r
    columns rotated by mla.rotary. y must equal the explicit form mla(x), computed without making any
    per-head key or value: fold W_uk,h into the queries and W_o,h W_uv,h into the output. Scores are scaled by
    1 / sqrt(d_n + d_r); query i sees keys 0 .. i. Do not call mla(...) or mla.forward.
    The tests compare with mla(x) and with the library's LatentCache on other sizes and seeds, with gradients.
    """
    ### BEGIN SOLUTION
    c = mla.config
    B, T, _ = x.shape
    H, dn, dr, dv, r = c.n_head, c.qk_nope_head_dim, c.qk_rope_head_dim, c.v_head_dim, c.kv_lora_rank
    q = mla.q_proj(x).view(B, T, H, dn + dr).transpose(1, 2)
    q_nope, q_rope = q.split([dn, dr], dim=-1)
    q_rope = mla.rotary(q_rope)
    latent, rope_key = mla.kv_a_proj_with_mqa(x).split([r, dr], dim=-1)
    latent = mla.kv_a_layernorm(latent)
    rope_key = mla.rotary(rope_key[:, None])[:, 0]
    w_b = mla.kv_b_proj.weight.view(H, dn + dv, r)
    w_uk, w_uv = w_b[:, :dn], w_b[:, dn:]
    q_latent = q_nope @ w_uk  # (B, H, T, r)
    scores = (q_latent @ latent[:, None].transpose(-2, -1) + q_rope @ rope_key[:, None].transpose(-2, -1)) / math.sqrt(dn + dr)
    o_latent = torch.softmax(scores, dim=-1) @ latent[:, None]  # (B, H, T, r)
    w_out = mla.o_proj.weight.view(-1, H, dv).transpose(0, 1) @ w_uv  # (H, C, r)
    y = torch.einsum("bhtr,hcr->btc", o_latent, w_out)
    return y, latent, rope_key
    ### END SOLUTION

# %% variant: no-latent-norm
# Skips the RMSNorm of the latent.
def absorbed_mla(mla, x):
    """Causal MLA in the absorbed form, for x (B, T, C) at positions 0 .. T - 1 and the weights of `mla` (a
    minillm.mla.MultiHeadLatentAttention; its sizes are in mla.config: n_head, kv_lora_rank, qk_nope_head_dim,
    qk_rope_head_dim, v_head_dim).

    Returns (y (B, T, C), latent (B, T, r), rope_key (B, T, d_r)): the attention output, and what the cache
    holds: latent = kv_a_layernorm of the latent rows of kv_a_proj_with_mqa(x), rope_key = its last d_r
    columns rotated by mla.rotary. y must equal the explicit form mla(x), computed without making any
    per-head key or value: fold W_uk,h into the queries and W_o,h W_uv,h into the output. Scores are scaled by
    1 / sqrt(d_n + d_r); query i sees keys 0 .. i. Do not call mla(...) or mla.forward.
    The tests compare with mla(x) and with the library's LatentCache on other sizes and seeds, with gradients.
    """
    ### BEGIN SOLUTION
    c = mla.config
    B, T, _ = x.shape
    H, dn, dr, dv, r = c.n_head, c.qk_nope_head_dim, c.qk_rope_head_dim, c.v_head_dim, c.kv_lora_rank
    q = mla.q_proj(x).view(B, T, H, dn + dr).transpose(1, 2)
    q_nope, q_rope = q.split([dn, dr], dim=-1)
    q_rope = mla.rotary(q_rope)
    latent, rope_key = mla.kv_a_proj_with_mqa(x).split([r, dr], dim=-1)
    rope_key = mla.rotary(rope_key[:, None])[:, 0]
    w_b = mla.kv_b_proj.weight.view(H, dn + dv, r)
    w_uk, w_uv = w_b[:, :dn], w_b[:, dn:]
    q_latent = q_nope @ w_uk  # (B, H, T, r)
    scores = (q_latent @ latent[:, None].transpose(-2, -1) + q_rope @ rope_key[:, None].transpose(-2, -1)) / math.sqrt(dn + dr)
    scores = scores.masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(), float("-inf"))
    o_latent = torch.softmax(scores, dim=-1) @ latent[:, None]  # (B, H, T, r)
    w_out = mla.o_proj.weight.view(-1, H, dv).transpose(0, 1) @ w_uv  # (H, C, r)
    y = torch.einsum("bhtr,hcr->btc", o_latent, w_out)
    return y, latent, rope_key
    ### END SOLUTION
