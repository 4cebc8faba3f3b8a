"""LoRA against peft's LoRA on the same weights, and the contracts: zero start, gradients, merge, adapters, bad input."""

import copy
import math

import pytest
import torch
import torch.nn as nn

from minillm.lora import (LoRALinear, adapter_state_dict, apply_lora, count_trainable, load_adapter, lora_layers,
                          merge_lora, unmerge_lora)
from minillm.model import GPT, ModelConfig
from minillm.quantize import QuantLinear, quantize_model

TARGETS = ["qkv", "out", "fc", "proj"]


def small_gpt(seed=0, **overrides):
    torch.manual_seed(seed)
    config = ModelConfig.gpt2(vocab_size=37, block_size=16, n_layer=2, n_head=2, n_embd=16, **overrides)
    return GPT(config).eval()


def randomise_b(model, seed=1):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in lora_layers(model):
            layer.lora_B.copy_(torch.randn(layer.lora_B.shape, generator=g) * 0.1)


def weights(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_wrapped_model_starts_unchanged_and_a_has_peft_init():
    model = small_gpt()
    idx = torch.randint(0, 37, (2, 9))
    before = model(idx)[0]
    apply_lora(model, r=4, alpha=8)
    torch.testing.assert_close(model(idx)[0], before, rtol=0, atol=0)
    for layer in lora_layers(model):
        bound = 1 / math.sqrt(layer.in_features)  # kaiming-uniform with a = sqrt(5)
        assert layer.lora_A.abs().max() <= bound and layer.lora_A.abs().max() > 0.5 * bound
        assert torch.equal(layer.lora_B, torch.zeros_like(layer.lora_B))


@pytest.mark.parametrize("r, alpha", [(1, 1), (4, 16), (8, 8)])
def test_outputs_and_merged_weights_match_peft_on_the_course_gpt(r, alpha):
    from peft import LoraConfig, inject_adapter_in_model

    ours = small_gpt()
    theirs = inject_adapter_in_model(LoraConfig(r=r, lora_alpha=alpha, target_modules=TARGETS), copy.deepcopy(ours))
    apply_lora(ours, r=r, alpha=alpha)
    randomise_b(ours)
    with torch.no_grad():
        for name, param in theirs.named_parameters():
            if "lora_" in name:
                key = name.replace(".lora_A.default.weight", ".lora_A").replace(".lora_B.default.weight", ".lora_B")
                param.copy_(ours.get_parameter(key))
    assert count_trainable(ours) == sum(p.numel() for p in theirs.parameters() if p.requires_grad)
    idx = torch.randint(0, 37, (3, 11))
    torch.testing.assert_close(ours(idx)[0], theirs(idx)[0])
    merge_lora(ours)
    for module in theirs.modules():
        if hasattr(module, "merge") and hasattr(module, "lora_A"):
            module.merge()
    ours_merged = {k.replace(".base.", "."): v for k, v in ours.state_dict().items() if "lora_" not in k}
    theirs_merged = {k.replace(".base_layer.", "."): v for k, v in theirs.state_dict().items() if "lora_" not in k}
    assert ours_merged.keys() == theirs_merged.keys()
    for key in ours_merged:
        torch.testing.assert_close(ours_merged[key], theirs_merged[key])


def test_every_block_linear_is_wrapped_and_only_adapters_get_gradients():
    model = apply_lora(small_gpt(), r=2, alpha=4)
    names = [layer.name for layer in lora_layers(model)]
    assert names == [f"blocks.{i}.{part}" for i in range(2) for part in ("attn.qkv", "attn.out", "mlp.fc", "mlp.proj")]
    # per layer r * (in + out): qkv 16 -> 48, out 16 -> 16, fc 16 -> 64, proj 64 -> 16
    assert count_trainable(model) == 2 * 2 * ((16 + 48) + (16 + 16) + (16 + 64) + (64 + 16))
    randomise_b(model)
    idx = torch.randint(0, 37, (2, 8))
    model(idx, idx)[1].backward()
    for name, param in model.named_parameters():
        if "lora_" in name:
            assert param.grad is not None and param.grad.abs().sum() > 0, name
        else:
            assert param.grad is None and not param.requires_grad, name


def test_dropout_acts_on_the_adapter_path_only():
    torch.manual_seed(0)
    layer = LoRALinear(nn.Linear(8, 6), r=2, alpha=2, dropout=0.5)
    x = torch.randn(4, 8)
    base = layer.base(x)
    torch.testing.assert_close(layer.train()(x), base)  # B = 0: dropout cannot change the output
    with torch.no_grad():
        layer.lora_B.normal_()
    outputs = {tuple(layer.train()(x).flatten().tolist()) for _ in range(5)}
    assert len(outputs) > 1
    expected = base + x @ layer.lora_A.T @ layer.lora_B.T
    torch.testing.assert_close(layer.eval()(x), expected)


def test_merge_unmerge_round_trip():
    model = apply_lora(small_gpt(seed=3), r=4, alpha=8)
    randomise_b(model)
    base = {k: v for k, v in weights(model).items() if "lora_" not in k}
    idx = torch.randint(0, 37, (2, 12))
    adapter_out = model(idx)[0]
    merge_lora(model)
    assert all(layer.merged for layer in lora_layers(model))
    torch.testing.assert_close(model(idx)[0], adapter_out, rtol=1e-5, atol=1e-5)
    unmerge_lora(model)
    for key, value in base.items():
        torch.testing.assert_close(model.state_dict()[key], value, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(model(idx)[0], adapter_out, rtol=1e-5, atol=1e-5)


def test_adapters_save_alone_and_switch_over_one_base():
    model = apply_lora(small_gpt(), r=2, alpha=4)
    idx = torch.randint(0, 37, (2, 8))
    randomise_b(model, seed=1)
    first, out_first = adapter_state_dict(model), model(idx)[0]
    randomise_b(model, seed=2)
    second, out_second = adapter_state_dict(model), model(idx)[0]
    assert all(k.endswith((".lora_A", ".lora_B")) for k in first)
    assert sum(v.numel() for v in first.values()) == count_trainable(model)
    load_adapter(model, first)
    torch.testing.assert_close(model(idx)[0], out_first, rtol=0, atol=0)
    load_adapter(model, second)
    torch.testing.assert_close(model(idx)[0], out_second, rtol=0, atol=0)
    torch.save(first, buffer := __import__("io").BytesIO())
    buffer.seek(0)
    load_adapter(model, torch.load(buffer))
    torch.testing.assert_close(model(idx)[0], out_first, rtol=0, atol=0)


def test_qlora_trains_only_the_adapters_on_a_quantised_base():
    model = small_gpt()
    quantize_model(model, bits=4, group_size=8)
    apply_lora(model, r=2, alpha=4)
    assert all(isinstance(layer.base, QuantLinear) for layer in lora_layers(model))
    frozen = {k: v.clone() for k, v in model.state_dict().items() if "lora_" not in k}
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    idx = torch.randint(0, 37, (2, 8))
    losses = []
    for _ in range(5):
        loss = model(idx, idx)[1]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    for key, value in frozen.items():
        assert torch.equal(model.state_dict()[key], value), key
    with pytest.raises(TypeError, match="blocks.0.attn.qkv"):
        merge_lora(model)


def test_bad_input_names_the_layer_and_leaves_the_model_untouched():
    model = small_gpt()
    before = weights(model)
    with pytest.raises(ValueError, match=r"r=0 .*blocks\.0\.attn\.qkv"):
        apply_lora(model, r=0, alpha=1)
    with pytest.raises(ValueError, match=r"r=17 .*blocks\.0\.attn\.qkv.* 16"):
        apply_lora(model, r=17, alpha=1)
    assert not lora_layers(model) and weights(model).keys() == before.keys()
    apply_lora(model, r=2, alpha=2)
    wrapped = weights(model)
    with pytest.raises(ValueError, match=r"blocks\.0\.attn\.qkv.* already has LoRA"):
        apply_lora(model, r=2, alpha=2)
    with pytest.raises(ValueError, match="not merged"):
        unmerge_lora(model)
    randomise_b(model)
    wrapped = weights(model)
    lora_layers(model)[3].merge()
    with pytest.raises(ValueError, match=r"blocks\.0\.mlp\.proj.* already merged"):
        merge_lora(model)
    lora_layers(model)[3].unmerge()
    with pytest.raises(ValueError, match="unexpected"):
        load_adapter(model, {**adapter_state_dict(model), "blocks.9.x.lora_A": torch.zeros(1)})
    for key, value in wrapped.items():
        torch.testing.assert_close(model.state_dict()[key], value, rtol=1e-6, atol=1e-6)
