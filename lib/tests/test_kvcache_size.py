"""KV-cache accounting against the bytes a real cache holds after a forward pass, and by hand."""

import pytest
import torch

from minillm.generate import KVCache
from minillm.kvcache_size import attention_kind, kv_cache_bytes, kv_cache_bytes_per_token
from minillm.mla import MLAConfig
from minillm.model import GPT, ModelConfig


@pytest.mark.parametrize("n_kv_head, kind", [(None, "MHA"), (2, "GQA"), (1, "MQA")])
def test_matches_a_real_cache(n_kv_head, kind):
    config = ModelConfig.llama(vocab_size=50, block_size=32, n_layer=3, n_head=4, n_embd=32, n_kv_head=n_kv_head)
    assert attention_kind(config) == kind
    cache = KVCache(config.n_layer)
    GPT(config)(torch.randint(50, (2, 11)), kv_cache=cache)
    held = sum(t.nbytes for t in cache.keys + cache.values)
    assert kv_cache_bytes(config, 11, batch=2, dtype=torch.float32) == held


def test_by_hand():
    llama_8b = ModelConfig.llama(n_layer=32, n_head=32, n_embd=4096, n_kv_head=8)  # 2 * 8 * 128 * 32 * 2 bytes
    assert kv_cache_bytes_per_token(llama_8b, torch.bfloat16) == 131072
    assert kv_cache_bytes(llama_8b, 8192, dtype=torch.bfloat16) == 2**30
    gpt2 = ModelConfig.gpt2()  # 2 * 12 * 64 * 12 layers * 4 bytes
    assert kv_cache_bytes_per_token(gpt2, torch.float32) == 73728
    deepseek_v2 = MLAConfig(n_embd=5120, n_head=128, kv_lora_rank=512, qk_nope_head_dim=128, qk_rope_head_dim=64,
                            v_head_dim=128, n_layer=60)  # (512 + 64) * 60 layers * 2 bytes
    assert attention_kind(deepseek_v2) == "MLA"
    assert kv_cache_bytes_per_token(deepseek_v2) == 69120


@pytest.mark.parametrize("kwargs, words", [(dict(context=-1), "context"), (dict(context=4, batch=1.5), "batch")])
def test_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        kv_cache_bytes(ModelConfig.gpt2(), **kwargs)
