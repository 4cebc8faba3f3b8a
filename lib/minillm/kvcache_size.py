"""How many bytes a KV cache holds, from a config, for the four kinds of attention.

Per token and layer, multi-head (MHA), grouped-query (GQA) and multi-query (MQA) attention cache a key and a
value for each key/value head: 2 * n_kv_head * head_dim numbers. MHA has n_kv_head = n_head, MQA has one,
GQA sits in between. Multi-head latent attention (MLA, minillm.mla) caches one latent and one rope key:
kv_lora_rank + qk_rope_head_dim numbers, independent of the number of heads.
"""

import torch


def attention_kind(config):
    """"MLA" for an MLAConfig; "MHA", "MQA" or "GQA" for a ModelConfig by its kv_heads (MHA if n_head = 1)."""
    if hasattr(config, "kv_lora_rank"):
        return "MLA"
    if config.kv_heads == config.n_head:
        return "MHA"
    return "MQA" if config.kv_heads == 1 else "GQA"


def kv_cache_bytes_per_token(config, dtype=torch.float16):
    """Bytes the cache grows by per token of one sequence, over all config.n_layer layers; an int."""
    if attention_kind(config) == "MLA":
        per_layer = config.kv_lora_rank + config.qk_rope_head_dim
    else:
        per_layer = 2 * config.kv_heads * config.head_dim
    return config.n_layer * per_layer * torch.empty((), dtype=dtype).element_size()


def kv_cache_bytes(config, context, batch=1, dtype=torch.float16):
    """Bytes of the cache of `batch` sequences of `context` tokens each; an int."""
    for name, value in (("context", context), ("batch", batch)):
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return batch * context * kv_cache_bytes_per_token(config, dtype)
