"""The model's building blocks against PyTorch and hand-derived values; whole models against transformers."""

import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM

from minillm.generate import KVCache
from minillm.model import GPT, MLP, Block, CausalSelfAttention, ModelConfig, RMSNorm, RotaryEmbedding, SwiGLU, make_norm
from minillm.moe import MoE, load_balancing_loss


def tiny(preset="gpt2", **overrides):
    sizes = dict(vocab_size=37, block_size=16, n_layer=2, n_head=4, n_embd=32)
    return getattr(ModelConfig, preset)(**{**sizes, **overrides})


def random_weights(module, std=0.3, seed=0):
    """Large random weights everywhere (norm gains and biases too): attention is peaked, so errors show."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            norm_gain = p.dim() == 1 and name.endswith("weight")
            p.copy_(torch.randn(p.shape, generator=g) * std + (1.0 if norm_gain else 0.0))
    return module


# --- building blocks ---------------------------------------------------------------------------------------


def test_rmsnorm_matches_torch():
    weight = torch.randn(10)
    ours = RMSNorm(10, eps=1e-5)
    ours.load_state_dict({"weight": weight})
    reference = nn.RMSNorm(10, eps=1e-5)
    reference.load_state_dict({"weight": weight})
    x = torch.randn(3, 4, 10) * 5
    torch.testing.assert_close(ours(x), reference(x))


def test_rmsnorm_keeps_float64_precision_and_upcasts_half_precision():
    ours, reference = RMSNorm(10).double(), nn.RMSNorm(10, eps=1e-5, dtype=torch.float64)
    x = torch.randn(3, 10, dtype=torch.float64) * 5
    torch.testing.assert_close(ours(x), reference(x), atol=1e-13, rtol=1e-13)  # was float32-accurate only
    half = torch.randn(4, 10, dtype=torch.bfloat16)
    expected = nn.RMSNorm(10, eps=1e-5)(half.float()).to(torch.bfloat16)
    torch.testing.assert_close(RMSNorm(10).to(torch.bfloat16)(half), expected)


def test_norm_choice_and_bias():
    assert isinstance(make_norm(tiny("gpt2")), nn.LayerNorm) and make_norm(tiny("gpt2")).bias is not None
    assert make_norm(tiny("gpt2", bias=False)).bias is None
    assert isinstance(make_norm(tiny("llama")), RMSNorm)
    x = torch.randn(2, 32)
    torch.testing.assert_close(make_norm(tiny("gpt2", norm_eps=1e-3))(x), F.layer_norm(x, (32,), eps=1e-3))


def test_gelu_mlp_by_hand():
    fc_w, fc_b, proj_w, proj_b = torch.randn(24, 6), torch.randn(24), torch.randn(6, 24), torch.randn(6)
    mlp = MLP(6, 24)
    mlp.load_state_dict({"fc.weight": fc_w, "fc.bias": fc_b, "proj.weight": proj_w, "proj.bias": proj_b})
    x = torch.randn(2, 5, 6)
    h = x @ fc_w.T + fc_b
    gelu_tanh = 0.5 * h * (1 + torch.tanh(math.sqrt(2 / math.pi) * (h + 0.044715 * h**3)))  # GPT-2's GELU
    torch.testing.assert_close(mlp(x), gelu_tanh @ proj_w.T + proj_b)


def test_exact_gelu_choice():
    block = Block(tiny("gpt2", gelu_approximate="none"))
    h = torch.randn(2, 5, block.mlp.fc.in_features)
    erf_gelu = 0.5 * block.mlp.fc(h) * (1 + torch.erf(block.mlp.fc(h) / math.sqrt(2)))  # nn.GELU()
    torch.testing.assert_close(block.mlp(h), block.mlp.proj(erf_gelu))
    with pytest.raises(ValueError, match="gelu_approximate"):
        tiny("gpt2", gelu_approximate="fast")


def test_swiglu_by_hand():
    w1, w2, w3 = torch.randn(16, 6), torch.randn(6, 16), torch.randn(16, 6)
    mlp = SwiGLU(6, 16)
    mlp.load_state_dict({"w1.weight": w1, "w2.weight": w2, "w3.weight": w3})
    x = torch.randn(2, 5, 6)
    gate = x @ w1.T
    torch.testing.assert_close(mlp(x), (gate * torch.sigmoid(gate) * (x @ w3.T)) @ w2.T)


def test_mlp_hidden_defaults():
    assert tiny("gpt2").mlp_hidden_dim == 4 * 32
    assert ModelConfig.llama(n_embd=768).mlp_hidden_dim == 2048  # 2/3 * 4 * 768 exactly
    assert ModelConfig.llama(n_embd=128, n_head=4).mlp_hidden_dim == 384  # 341.3 rounded up to a multiple of 64
    assert ModelConfig.llama(n_embd=128, n_head=4, mlp_hidden=100).mlp_hidden_dim == 100


def test_rope_rotates_interleaved_pairs_by_hand():
    theta, head_dim, position = 100.0, 4, 3
    x = torch.randn(1, 1, position + 1, head_dim)
    rotated = RotaryEmbedding(head_dim, max_positions=8, theta=theta)(x)[0, 0, position]
    expected = []
    for i, pair in enumerate(x[0, 0, position].view(2, 2)):  # pairs (x0, x1) and (x2, x3)
        angle = position * theta ** (-2 * i / head_dim)
        rotation = torch.tensor([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
        expected.append(rotation @ pair)
    torch.testing.assert_close(rotated, torch.cat(expected))


def test_rope_scores_depend_on_relative_position_only():
    rope = RotaryEmbedding(8, max_positions=32)
    q, k = torch.randn(8), torch.randn(8)

    def score(m, n):
        rotated_q = rope(q.expand(1, 1, 32, 8))[0, 0, m]
        rotated_k = rope(k.expand(1, 1, 32, 8))[0, 0, n]
        return rotated_q @ rotated_k

    torch.testing.assert_close(score(5, 2), score(20, 17))
    torch.testing.assert_close(score(2, 9), score(13, 20))
    assert not torch.allclose(score(5, 2), score(5, 3))


def test_rope_start_offset_matches_full_sequence():
    rope = RotaryEmbedding(8, max_positions=16)
    x = torch.randn(2, 3, 10, 8)
    torch.testing.assert_close(rope(x[:, :, 6:], start=6), rope(x)[:, :, 6:])


@pytest.mark.parametrize("n_kv_head", [1, 2, 4])
def test_grouped_query_attention_equals_attention_with_repeated_kv_heads(n_kv_head):
    gqa_config = tiny("llama", n_kv_head=n_kv_head)
    gqa = random_weights(CausalSelfAttention(gqa_config))
    assert gqa.qkv.weight.shape == ((4 + 2 * n_kv_head) * 8, 32)
    q, k, v = gqa.qkv.weight.split([32, 8 * n_kv_head, 8 * n_kv_head])

    def repeat(rows):  # each kv head's 8 rows, once per query head of its group
        return rows.view(n_kv_head, 8, 32).repeat_interleave(4 // n_kv_head, dim=0).reshape(32, 32)

    mha = CausalSelfAttention(tiny("llama", n_kv_head=4))
    mha.load_state_dict({"qkv.weight": torch.cat([q, repeat(k), repeat(v)]), "out.weight": gqa.out.weight})
    x = torch.randn(2, 7, 32)
    torch.testing.assert_close(gqa(x)[0], mha(x)[0])


# --- the whole model ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", ["gpt2", "llama"])
def test_attention_implementations_and_mask_styles_agree(preset):
    reference = random_weights(GPT(tiny(preset, n_kv_head=2)).eval())
    idx = torch.randint(0, 37, (2, 16))
    expected = reference(idx)[0]
    for implementation in ("naive", "sdpa", "flash"):
        for mask_style in ("implicit", "explicit"):
            model = GPT(tiny(preset, n_kv_head=2, attention=implementation, causal_mask=mask_style)).eval()
            model.load_state_dict(reference.state_dict())
            torch.testing.assert_close(model(idx)[0], expected, msg=f"{implementation}, {mask_style} mask")


def test_the_future_does_not_change_the_past():
    model = GPT(tiny("llama")).eval()
    idx = torch.randint(0, 37, (1, 12))
    changed = idx.clone()
    changed[0, 8:] = (changed[0, 8:] + 1) % 37
    torch.testing.assert_close(model(idx)[0][:, :8], model(changed)[0][:, :8])


def test_dropout_is_off_in_eval_mode():
    model = GPT(tiny("gpt2", dropout=0.5))
    no_dropout = GPT(tiny("gpt2"))
    no_dropout.load_state_dict(model.state_dict())
    idx = torch.randint(0, 37, (2, 10))
    model.train()
    assert not torch.allclose(model(idx)[0], no_dropout(idx)[0])
    model.eval()
    torch.testing.assert_close(model(idx)[0], no_dropout(idx)[0])


def test_loss_is_cross_entropy_ignoring_minus_100():
    model = GPT(tiny("gpt2"))
    idx, targets = torch.randint(0, 37, (2, 6)), torch.randint(0, 37, (2, 6))
    targets[0, :3] = -100
    logits, loss = model(idx, targets)
    log_probs = logits.log_softmax(-1)
    kept = targets != -100
    expected = -log_probs[kept].gather(-1, targets[kept][:, None]).mean()
    torch.testing.assert_close(loss, expected)
    assert model(idx)[1] is None


def test_return_attentions():
    model = GPT(tiny("llama", n_kv_head=2)).eval()
    idx = torch.randint(0, 37, (2, 9))
    logits, loss, attentions = model(idx, return_attentions=True)
    torch.testing.assert_close(logits, model(idx)[0])
    assert len(attentions) == 2
    for weights in attentions:
        assert weights.shape == (2, 4, 9, 9)
        torch.testing.assert_close(weights.sum(-1), torch.ones(2, 4, 9))
        assert (weights.triu(diagonal=1) == 0).all()


def test_tied_embeddings_share_one_matrix():
    model = GPT(tiny("gpt2"))
    assert model.lm_head.weight is model.token_embedding.weight
    assert GPT(tiny("llama")).lm_head.weight is not GPT(tiny("llama")).token_embedding.weight
    by_hand = 37 * 32 + 16 * 32 + 2 * (2 * 2 * 32 + (32 * 96 + 96) + (32 * 32 + 32) + 2 * (32 * 128) + 128 + 32)
    assert model.num_parameters() == by_hand + 2 * 32


def test_kv_cache_logits_equal_full_forward():
    model = GPT(tiny("llama", n_kv_head=2)).eval()
    idx = torch.randint(0, 37, (2, 14))
    cache = KVCache(2)
    pieces = [model(idx[:, a:b], kv_cache=cache)[0] for a, b in [(0, 5), (5, 6), (6, 14)]]
    torch.testing.assert_close(torch.cat(pieces, dim=1), model(idx)[0])


def test_context_longer_than_block_size():
    model = GPT(tiny("gpt2"))
    with pytest.raises(ValueError, match="idx.*block_size=16"):
        model(torch.zeros(1, 17, dtype=torch.long))
    cache = KVCache(2)
    model(torch.zeros(1, 10, dtype=torch.long), kv_cache=cache)
    with pytest.raises(ValueError, match="idx.*10 cached.*block_size=16"):
        model(torch.zeros(1, 7, dtype=torch.long), kv_cache=cache)
    with pytest.raises(TypeError, match="idx"):
        model(torch.zeros(1, 4))


def test_bad_state_dicts_name_the_keys():
    model = GPT(tiny("gpt2"))
    state = model.state_dict()
    missing = {k: v for k, v in state.items() if k != "blocks.1.attn.qkv.bias"}
    with pytest.raises(ValueError, match="missing key blocks.1.attn.qkv.bias"):
        model.load_state_dict(missing)
    with pytest.raises(ValueError, match="unexpected key blocks.2.attn.qkv.bias"):
        model.load_state_dict({**state, "blocks.2.attn.qkv.bias": torch.zeros(96)})
    with pytest.raises(ValueError, match=r"final_norm.weight: expected \(32,\), got \(33,\)"):
        model.load_state_dict({**state, "final_norm.weight": torch.zeros(33)})
    with pytest.raises(ValueError, match="missing key position_embedding.weight"):
        GPT(tiny("gpt2")).load_state_dict(GPT(tiny("gpt2", positions="rope")).state_dict())


@pytest.mark.parametrize(
    "overrides, field",
    [
        (dict(n_embd=30), "n_embd"),
        (dict(n_kv_head=3), "n_kv_head"),
        (dict(norm="batchnorm"), "norm"),
        (dict(positions="alibi"), "positions"),
        (dict(attention="fast"), "attention"),
        (dict(causal_mask="none"), "causal_mask"),
        (dict(mlp="relu"), "mlp"),
        (dict(n_layer=0), "n_layer"),
        (dict(dropout=1.0), "dropout"),
        (dict(n_embd=36, n_head=12, positions="rope"), "rope"),
    ],
)
def test_config_validation_names_the_field(overrides, field):
    with pytest.raises(ValueError, match=field):
        tiny("gpt2", **overrides)


# --- loading transformers models ---------------------------------------------------------------------------


def test_gpt2_from_transformers_gives_the_same_logits_and_loss():
    torch.manual_seed(0)
    config = GPT2Config(
        vocab_size=37, n_positions=16, n_embd=32, n_layer=2, n_head=4, attn_implementation="eager"
    )
    hf = random_weights(GPT2LMHeadModel(config), std=0.2).eval()
    idx = torch.randint(0, 37, (2, 16))
    expected = hf(idx, labels=idx)
    ours = GPT.from_hf_gpt2(hf).eval()
    logits, loss = ours(idx[:, :-1], targets=idx[:, 1:])  # HF shifts the labels itself
    torch.testing.assert_close(logits, expected.logits[:, :-1], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(loss, expected.loss, atol=1e-5, rtol=1e-5)
    assert ours.num_parameters() == hf.num_parameters()
    flash = GPT.from_hf_gpt2(hf, attention="flash").eval()
    torch.testing.assert_close(flash(idx)[0], expected.logits, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("n_kv_head, tie", [(2, False), (4, True)])
def test_llama_from_transformers_gives_the_same_logits(n_kv_head, tie):
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=37, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=n_kv_head, max_position_embeddings=16, rms_norm_eps=1e-6,
        rope_parameters={"rope_type": "default", "rope_theta": 500.0}, tie_word_embeddings=tie,
        attn_implementation="eager",
    )  # fmt: skip
    hf = random_weights(LlamaForCausalLM(config), std=0.2).eval()
    idx = torch.randint(0, 37, (2, 16))
    ours = GPT.from_hf_llama(hf).eval()
    assert (ours.config.kv_heads, ours.config.rope_theta, ours.config.tie_embeddings) == (n_kv_head, 500.0, tie)
    torch.testing.assert_close(ours(idx)[0], hf(idx).logits, atol=1e-5, rtol=1e-5)
    assert ours.num_parameters() == hf.num_parameters()


def test_unsupported_transformers_configs_are_refused():
    config = GPT2Config(vocab_size=37, n_positions=16, n_embd=32, n_layer=1, n_head=4, activation_function="relu")
    with pytest.raises(ValueError, match="activation_function"):
        GPT.from_hf_gpt2(GPT2LMHeadModel(config))


def test_one_expert_equals_the_dense_swiglu_model():
    sizes = dict(vocab_size=30, block_size=16, n_layer=2, n_head=2, n_embd=16)
    torch.manual_seed(0)
    dense = GPT(ModelConfig.llama(**sizes))
    routed = GPT(ModelConfig.llama(**sizes, n_experts=1, experts_top_k=1))
    state = {key.replace(".mlp.", ".mlp.experts.0."): value for key, value in dense.state_dict().items()}
    state.update({key: value for key, value in routed.state_dict().items() if key.endswith("router.weight")})
    routed.load_state_dict(state)
    idx = torch.randint(30, (2, 9))
    torch.testing.assert_close(routed(idx)[0], dense(idx)[0])


def test_experts_keep_router_logits_for_the_balancing_loss():
    config = ModelConfig.llama(vocab_size=30, block_size=16, n_layer=2, n_head=2, n_embd=16, n_experts=4)
    model = GPT(config)
    assert all(isinstance(block.mlp, MoE) for block in model.blocks)
    assert GPT(ModelConfig.llama(vocab_size=30, block_size=16, n_layer=2, n_head=2, n_embd=16)).router_logits() == []
    _, loss = model(torch.randint(30, (3, 5)), torch.randint(30, (3, 5)))
    logits = model.router_logits()
    assert len(logits) == 2 and logits[0].shape == (15, 4)
    aux = sum(load_balancing_loss(z, config.experts_top_k) for z in logits)
    (loss + 0.01 * aux).backward()
    assert model.blocks[0].mlp.router.weight.grad.abs().sum() > 0


@pytest.mark.parametrize("overrides, words", [(dict(n_experts=4, experts_top_k=5), "experts_top_k"),
                                              (dict(n_experts=0), "n_experts"),
                                              (dict(n_experts=4, mlp="gelu"), "n_experts")])
def test_bad_expert_settings(overrides, words):
    with pytest.raises(ValueError, match=words):
        ModelConfig.llama(**overrides)
