"""MLA against transformers' DeepseekV2Attention, the absorbed form against the explicit one, and its cache."""

import pytest
import torch
from transformers import DeepseekV2Config
from transformers.models.deepseek_v2.modeling_deepseek_v2 import DeepseekV2Attention, DeepseekV2RotaryEmbedding

from minillm.attention import causal_mask
from minillm.kvcache_size import kv_cache_bytes
from minillm.mla import LatentCache, MLAConfig, MultiHeadLatentAttention

CONFIG = MLAConfig(n_embd=32, n_head=4, kv_lora_rank=12, qk_nope_head_dim=6, qk_rope_head_dim=4, v_head_dim=5)


def random_mla(config=CONFIG, seed=0, dtype=torch.float64):
    torch.manual_seed(seed)
    mla = MultiHeadLatentAttention(config).to(dtype)
    with torch.no_grad():
        mla.kv_a_layernorm.weight.uniform_(0.5, 1.5)
    return mla


def test_equals_transformers_deepseek_v2():
    c = CONFIG
    hf_config = DeepseekV2Config(
        hidden_size=c.n_embd, num_attention_heads=c.n_head, num_key_value_heads=c.n_head, q_lora_rank=None,
        kv_lora_rank=c.kv_lora_rank, qk_nope_head_dim=c.qk_nope_head_dim, qk_rope_head_dim=c.qk_rope_head_dim,
        v_head_dim=c.v_head_dim, rms_norm_eps=1e-5, attention_bias=False, max_position_embeddings=64,
    )
    hf_config._attn_implementation = "eager"
    hf = DeepseekV2Attention(hf_config, layer_idx=0).eval()
    mla = random_mla(dtype=torch.float32)  # transformers turns its rope pairs in float32
    hf.load_state_dict({k: v for k, v in mla.state_dict().items()})
    x = torch.randn(2, 9, c.n_embd)
    freqs = DeepseekV2RotaryEmbedding(hf_config)(x, torch.arange(9)[None])
    mask = torch.zeros(9, 9).masked_fill(~causal_mask(9, 9), float("-inf"))[None, None]
    expected, _ = hf(x, attention_mask=mask, position_embeddings=freqs)
    torch.testing.assert_close(mla(x), expected, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(mla(x, absorbed=True), expected, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("seed", [0, 1])
def test_absorbed_equals_explicit_with_and_without_cache(seed):
    mla = random_mla(seed=seed)
    x = torch.randn(2, 7, CONFIG.n_embd, dtype=torch.float64)
    full = mla(x)
    torch.testing.assert_close(mla(x, absorbed=True), full)
    for absorbed in (False, True):
        cache = LatentCache()
        steps = [mla(x[:, :4], cache=cache, absorbed=absorbed)]
        steps += [mla(x[:, t : t + 1], start=t, cache=cache, absorbed=absorbed) for t in range(4, 7)]
        torch.testing.assert_close(torch.cat(steps, 1), full)
        assert cache.length == 7


def test_cache_holds_only_latent_and_rope_key():
    mla = random_mla(dtype=torch.float32)
    cache = LatentCache()
    mla(torch.randn(3, 10, CONFIG.n_embd), cache=cache)
    assert cache.latent.shape == (3, 10, 12) and cache.rope_key.shape == (3, 10, 4)
    assert cache.nbytes == kv_cache_bytes(CONFIG, 10, batch=3, dtype=torch.float32) == 3 * 10 * 16 * 4


def test_gradients_flow_through_the_absorbed_form():
    mla = random_mla()
    x = torch.randn(1, 5, CONFIG.n_embd, dtype=torch.float64)
    grads = torch.autograd.grad(mla(x, absorbed=True).sum(), list(mla.parameters()))
    expected = torch.autograd.grad(mla(x).sum(), list(mla.parameters()))
    for grad, expected_grad in zip(grads, expected):
        torch.testing.assert_close(grad, expected_grad)


@pytest.mark.parametrize("name, value", [("kv_lora_rank", 0), ("qk_rope_head_dim", 3), ("n_head", 0)])
def test_bad_config(name, value):
    with pytest.raises(ValueError, match=name):
        MLAConfig(**{name: value})
