# %% variant: keys-only
# Counts keys and forgets the values.
def kv_cache_bytes(config, context, batch=1, dtype=torch.float16):
    """Bytes of the KV cache of `batch` sequences of `context` tokens, over all config.n_layer layers; an int.

    config: a ModelConfig (MHA, GQA or MQA by config.kv_heads; head size config.head_dim) or an MLAConfig
    (it has kv_lora_rank and qk_rope_head_dim; the cache holds one latent and one rope key per token and layer).
    dtype: the cache's element type (its size in bytes: torch.empty((), dtype=dtype).element_size()).
    The tests compare with the bytes the library's KVCache and LatentCache hold after a forward pass, and with
    published model sizes worked out by hand.
    """
    ### BEGIN SOLUTION
    if hasattr(config, "kv_lora_rank"):
        per_layer = config.kv_lora_rank + config.qk_rope_head_dim
    else:
        per_layer = config.kv_heads * config.head_dim
    return batch * context * config.n_layer * per_layer * torch.empty((), dtype=dtype).element_size()
    ### END SOLUTION

# %% variant: query-heads
# Counts a key and value per query head, ignoring GQA.
def kv_cache_bytes(config, context, batch=1, dtype=torch.float16):
    """Bytes of the KV cache of `batch` sequences of `context` tokens, over all config.n_layer layers; an int.

    config: a ModelConfig (MHA, GQA or MQA by config.kv_heads; head size config.head_dim) or an MLAConfig
    (it has kv_lora_rank and qk_rope_head_dim; the cache holds one latent and one rope key per token and layer).
    dtype: the cache's element type (its size in bytes: torch.empty((), dtype=dtype).element_size()).
    The tests compare with the bytes the library's KVCache and LatentCache hold after a forward pass, and with
    published model sizes worked out by hand.
    """
    ### BEGIN SOLUTION
    if hasattr(config, "kv_lora_rank"):
        per_layer = config.kv_lora_rank + config.qk_rope_head_dim
    else:
        per_layer = 2 * config.n_head * config.head_dim
    return batch * context * config.n_layer * per_layer * torch.empty((), dtype=dtype).element_size()
    ### END SOLUTION

# %% variant: mla-per-head
# Counts MLA's latent once per head.
def kv_cache_bytes(config, context, batch=1, dtype=torch.float16):
    """Bytes of the KV cache of `batch` sequences of `context` tokens, over all config.n_layer layers; an int.

    config: a ModelConfig (MHA, GQA or MQA by config.kv_heads; head size config.head_dim) or an MLAConfig
    (it has kv_lora_rank and qk_rope_head_dim; the cache holds one latent and one rope key per token and layer).
    dtype: the cache's element type (its size in bytes: torch.empty((), dtype=dtype).element_size()).
    The tests compare with the bytes the library's KVCache and LatentCache hold after a forward pass, and with
    published model sizes worked out by hand.
    """
    ### BEGIN SOLUTION
    if hasattr(config, "kv_lora_rank"):
        per_layer = config.n_head * (config.kv_lora_rank + config.qk_rope_head_dim)
    else:
        per_layer = 2 * config.kv_heads * config.head_dim
    return batch * context * config.n_layer * per_layer * torch.empty((), dtype=dtype).element_size()
    ### END SOLUTION
