"""Weight quantisation: absmax int8 per output row, group-wise 4-bit packed two codes per byte, and a frozen
linear layer that stores its weight quantised and dequantises it on the fly (the base of QLoRA).

int8:  scale = max|row| / 127 per row, codes round(w / scale) in [-127, 127]; w ~ code * scale.
4-bit: each row is cut into groups of group_size weights; scale = max|group| / 7, codes round(w / scale) in
       [-7, 7], stored as code + 8 in a nibble (1 .. 15); element 2j of a row goes in the low nibble of byte
       j, element 2j + 1 in the high nibble.
NF4:   QLoRA's 4-bit NormalFloat: scale = max|group|, and each w / scale in [-1, 1] becomes the index of the
       nearest of 16 levels placed at quantiles of a standard normal (NF4_LEVELS), packed as above.
Round to nearest, so each element's error is at most scale / 2 (NF4: scale times half the widest gap between
neighbouring levels); a row (or group) of zeros has scale 0 and dequantises to exact zeros.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

INT8_MAX, INT4_MAX = 127, 7


def _nf4_levels(offset=0.9677083):
    # Dettmers et al. 2023: 8 positive and 7 negative normal quantiles between offset and 1/2, and an exact zero,
    # scaled so that the extremes are -1 and 1
    quantiles = lambda n: torch.special.ndtri(torch.linspace(offset, 0.5, n, dtype=torch.float64)[:-1])
    levels = torch.cat([quantiles(9), torch.zeros(1, dtype=torch.float64), -quantiles(8)]).sort().values
    return levels / levels.abs().max()


NF4_LEVELS = _nf4_levels()  # (16,) float64, ascending, from -1 to 1 with 0 at index 7


def check_weight(w, name="weight"):
    """Raise ValueError unless w is a non-empty 2-D floating tensor of finite values."""
    if not isinstance(w, torch.Tensor) or w.dim() != 2 or not w.is_floating_point():
        raise ValueError(f"{name} must be a 2-D floating-point tensor, got {getattr(w, 'shape', type(w))}")
    if w.numel() == 0:
        raise ValueError(f"{name} is empty (shape {tuple(w.shape)}); there is nothing to quantise")
    if not torch.isfinite(w).all():
        raise ValueError(f"{name} holds non-finite values (inf or nan), which have no scale")


def _codes(w, scale, limit):
    safe = torch.where(scale == 0, torch.ones_like(scale), scale)
    return torch.round(w / safe).clamp(-limit, limit)


def quantize_int8(w):
    """w: (out, in) float -> (codes int8 (out, in), scale (out, 1) in w's dtype), absmax per row."""
    check_weight(w)
    scale = w.abs().amax(dim=1, keepdim=True) / INT8_MAX
    return _codes(w, scale, INT8_MAX).to(torch.int8), scale


def dequantize_int8(codes, scale):
    """codes int8 (out, in), scale (out, 1) -> codes * scale in scale's dtype."""
    return codes.to(scale.dtype) * scale


def check_group_size(w, group_size):
    """Raise ValueError unless group_size is a positive integer dividing w's rows and w's rows are even."""
    n = w.shape[1]
    if isinstance(group_size, bool) or not isinstance(group_size, int) or group_size < 1 or n % group_size:
        raise ValueError(f"group_size={group_size!r} must be a positive integer that divides the row length {n}")
    if n % 2:
        raise ValueError(f"row length {n} must be even to pack two 4-bit codes per byte")


def quantize_4bit(w, group_size):
    """w: (out, in) float -> (packed uint8 (out, in // 2), scales (out, in // group_size) in w's dtype)."""
    check_weight(w)
    check_group_size(w, group_size)
    out, n = w.shape
    groups = w.reshape(out, n // group_size, group_size)
    scales = groups.abs().amax(dim=2, keepdim=True) / INT4_MAX
    return _pack(_codes(groups, scales, INT4_MAX) + 8), scales.squeeze(2)


def dequantize_4bit(packed, scales):
    """packed uint8 (out, in // 2), scales (out, in // group_size) -> weights (out, in) in scales' dtype."""
    return _per_group(_unpack(packed).to(scales.dtype) - 8, scales)


def quantize_nf4(w, group_size):
    """NF4: w (out, in) float -> (packed uint8 (out, in // 2) level indices, scales (out, in // group_size))."""
    check_weight(w)
    check_group_size(w, group_size)
    out, n = w.shape
    groups = w.reshape(out, n // group_size, group_size)
    scales = groups.abs().amax(dim=2, keepdim=True)
    safe = torch.where(scales == 0, torch.ones_like(scales), scales)
    levels = NF4_LEVELS.to(w.dtype)
    return _pack((groups / safe).unsqueeze(-1).sub(levels).abs().argmin(dim=-1)), scales.squeeze(2)


def dequantize_nf4(packed, scales):
    """packed uint8 (out, in // 2), scales (out, in // group_size) -> weights (out, in) in scales' dtype."""
    return _per_group(NF4_LEVELS.to(scales.dtype)[_unpack(packed).long()], scales)


def _pack(nibbles):
    # (out, ..., even count) values 0..15 -> (out, count // 2) uint8, element 2j in the low nibble of byte j
    pairs = nibbles.to(torch.uint8).reshape(nibbles.shape[0], -1, 2)
    return pairs[..., 0] | (pairs[..., 1] << 4)


def _unpack(packed):
    # the inverse of _pack: (out, half) uint8 -> (out, 2 * half) uint8 values 0..15
    return torch.stack([packed & 0xF, packed >> 4], dim=2).reshape(packed.shape[0], -1)


def _per_group(values, scales):
    # values (out, in) times each group's scale, scales (out, in // group_size)
    out, n = values.shape
    return (values.reshape(out, scales.shape[1], -1) * scales.unsqueeze(2)).reshape(out, n)


FORMATS = {8: (quantize_int8, dequantize_int8), 4: (quantize_4bit, dequantize_4bit), "nf4": (quantize_nf4, dequantize_nf4)}


class QuantLinear(nn.Module):
    """A frozen linear layer stored quantised and dequantised on every forward pass.

    bits: 8 (int8 per row), 4 (group-wise 4-bit) or "nf4" (group-wise NF4); group_size for the last two.

    Built from an nn.Linear; x: (..., in_features) -> (..., out_features). Holds buffers only, no parameters.
    """

    def __init__(self, linear, bits=8, group_size=64):
        super().__init__()
        if bits not in FORMATS:
            raise ValueError(f"bits={bits!r} must be one of {list(FORMATS)}")
        w = linear.weight.detach()
        self.in_features, self.out_features, self.bits = linear.in_features, linear.out_features, bits
        codes, scale = quantize_int8(w) if bits == 8 else FORMATS[bits][0](w, group_size)
        self.register_buffer("codes", codes)
        self.register_buffer("scale", scale)
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().clone())

    @property
    def weight(self):
        """The dequantised weight (out_features, in_features)."""
        return FORMATS[self.bits][1](self.codes, self.scale)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bits={self.bits}"


def quantize_model(model, bits=8, group_size=64):
    """Replace every nn.Linear inside model.blocks with a QuantLinear; checks every layer before changing any.

    A layer whose weight cannot be quantised (see check_weight, check_group_size) raises ValueError naming it.
    """
    targets = [(n, m) for n, m in model.blocks.named_modules(prefix="blocks") if isinstance(m, nn.Linear)]
    for name, module in targets:
        try:
            check_weight(module.weight.detach())
            if bits != 8:
                check_group_size(module.weight, group_size)
        except ValueError as error:
            raise ValueError(f"layer {name!r}: {error}") from None
    for name, module in targets:
        parent_name, _, child = name.rpartition(".")
        setattr(model.get_submodule(parent_name), child, QuantLinear(module, bits, group_size))
    return model
