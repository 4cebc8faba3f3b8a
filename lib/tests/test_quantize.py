"""Quantisers on hand-derived cases and their error bounds; the quantised linear layer; bad input."""

import pytest
import torch
import torch.nn as nn

from minillm.model import GPT, ModelConfig
from minillm.quantize import (NF4_LEVELS, QuantLinear, dequantize_4bit, dequantize_int8, dequantize_nf4, quantize_4bit,
                              quantize_int8, quantize_model, quantize_nf4)

# the NF4 data type as published with QLoRA (bitsandbytes' table), to float32 precision
PUBLISHED_NF4 = [-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
                 -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
                 0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
                 0.7229568362236023, 1.0]


def test_int8_hand_derived_row():
    w = torch.tensor([[127.0, -63.5, 0.0, 1.2], [0.0, 0.0, 0.0, 0.0], [-2.54, 2.54, 2.54, 2.54]])
    codes, scale = quantize_int8(w)
    assert codes.dtype == torch.int8 and scale.shape == (3, 1)
    torch.testing.assert_close(scale, torch.tensor([[1.0], [0.0], [0.02]]))
    # -63.5 is halfway: round half to even gives -64
    assert codes.tolist() == [[127, -64, 0, 1], [0, 0, 0, 0], [-127, 127, 127, 127]]
    back = dequantize_int8(codes, scale)
    assert torch.equal(back[1], torch.zeros(4))  # zeros stay exact
    torch.testing.assert_close(back[2], w[2])  # a row of one magnitude is representable
    torch.testing.assert_close(back[0], torch.tensor([127.0, -64.0, 0.0, 1.0]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_int8_error_at_most_half_a_step_and_exact_on_grid(seed):
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(7, 33, generator=g, dtype=torch.float64) * 10 ** seed
    codes, scale = quantize_int8(w)
    assert scale.dtype == torch.float64
    error = (dequantize_int8(codes, scale) - w).abs()
    assert (error <= scale / 2 * (1 + 1e-9)).all()
    grid = dequantize_int8(codes, scale)
    torch.testing.assert_close(dequantize_int8(*quantize_int8(grid)), grid)


def test_4bit_packs_two_codes_per_byte_low_nibble_first():
    w = torch.tensor([[7.0, -7.0, 1.0, 0.0, 0.5, 0.2, -0.3, 0.0]])
    packed, scales = quantize_4bit(w, group_size=4)
    torch.testing.assert_close(scales, torch.tensor([[1.0, 0.5 / 7]]))
    assert packed.dtype == torch.uint8 and packed.shape == (1, 4)
    # codes + 8: [15, 1, 9, 8] and [15, 2.8 -> 11, -4.2 -> 4, 8]
    assert packed.tolist() == [[15 | 1 << 4, 9 | 8 << 4, 15 | 11 << 4, 4 | 8 << 4]]
    torch.testing.assert_close(dequantize_4bit(packed, scales)[0, :4], w[0, :4])


@pytest.mark.parametrize("group_size", [2, 8, 32])
def test_4bit_error_bound_per_group(group_size):
    g = torch.Generator().manual_seed(group_size)
    w = torch.randn(5, 64, generator=g)
    w[2] = 0.0
    packed, scales = quantize_4bit(w, group_size)
    back = dequantize_4bit(packed, scales)
    step = scales.repeat_interleave(group_size, dim=1)
    assert ((back - w).abs() <= step / 2 + 1e-6).all()
    assert torch.equal(back[2], torch.zeros(64))
    torch.testing.assert_close(dequantize_4bit(*quantize_4bit(back, group_size)), back)


def test_nf4_levels_match_the_published_table():
    torch.testing.assert_close(NF4_LEVELS, torch.tensor(PUBLISHED_NF4, dtype=torch.float64), rtol=0, atol=1e-6)


@pytest.mark.parametrize("group_size", [4, 16, 64])
def test_nf4_nearest_level_error_bound_and_exact_levels(group_size):
    g = torch.Generator().manual_seed(group_size)
    w = torch.randn(3, 64, generator=g, dtype=torch.float64)
    w[1, :group_size] = 0.0
    packed, scales = quantize_nf4(w, group_size)
    back = dequantize_nf4(packed, scales)
    step = scales.repeat_interleave(group_size, dim=1)
    widest_gap = (NF4_LEVELS[1:] - NF4_LEVELS[:-1]).max()
    assert ((back - w).abs() <= step * widest_gap / 2 + 1e-12).all()
    assert torch.equal(back[1, :group_size], torch.zeros(group_size, dtype=torch.float64))
    # each weight went to its nearest level: no other level is closer
    normalised = (w / torch.where(step == 0, 1.0, step)).unsqueeze(-1)
    nearest = (normalised - NF4_LEVELS).abs().min(dim=-1).values
    torch.testing.assert_close(((back / torch.where(step == 0, 1.0, step)).unsqueeze(-1) - normalised).abs().squeeze(-1),
                               nearest)
    levels_row = (NF4_LEVELS * 3.0).repeat(4).reshape(1, 64)  # every level, scale 3: exact
    torch.testing.assert_close(dequantize_nf4(*quantize_nf4(levels_row, 16)), levels_row, rtol=0, atol=1e-12)


def test_quant_linear_matches_dequantised_weight_and_has_no_parameters():
    torch.manual_seed(0)
    linear = nn.Linear(16, 6)
    x = torch.randn(3, 5, 16)
    for bits, group in [(8, None), (4, 8), ("nf4", 8)]:
        layer = QuantLinear(linear, bits=bits, group_size=group)
        assert list(layer.parameters()) == []
        torch.testing.assert_close(layer(x), nn.functional.linear(x, layer.weight, linear.bias))
        assert (layer.weight - linear.weight).abs().max() < (0.02 if bits == 8 else 0.1)
    torch.testing.assert_close(QuantLinear(linear, bits="nf4", group_size=8).weight,
                               dequantize_nf4(*quantize_nf4(linear.weight.detach(), 8)))


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="empty"):
        quantize_int8(torch.empty(0, 4))
    with pytest.raises(ValueError, match="non-finite"):
        quantize_int8(torch.tensor([[1.0, float("inf")]]))
    with pytest.raises(ValueError, match="non-finite"):
        quantize_4bit(torch.tensor([[1.0, float("nan")]]), 2)
    with pytest.raises(ValueError, match="group_size=3 .* 8"):
        quantize_4bit(torch.ones(2, 8), 3)
    with pytest.raises(ValueError, match=r"bits=3 .*nf4"):
        QuantLinear(nn.Linear(4, 4), bits=3)
    torch.manual_seed(0)
    model = GPT(ModelConfig.gpt2(vocab_size=11, block_size=8, n_layer=1, n_head=2, n_embd=8))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError, match=r"blocks\.0\.attn\.qkv.*group_size=16"):
        quantize_model(model, bits=4, group_size=16)
    with torch.no_grad():
        model.blocks[0].mlp.proj.weight[0, 0] = float("nan")
    before["blocks.0.mlp.proj.weight"][0, 0] = float("nan")
    with pytest.raises(ValueError, match=r"blocks\.0\.mlp\.proj.*non-finite"):
        quantize_model(model, bits=8)
    after = model.state_dict()
    assert after.keys() == before.keys()
    for key in before:
        torch.testing.assert_close(after[key], before[key], equal_nan=True)
