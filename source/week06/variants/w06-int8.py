# %% variant: one-scale-per-tensor
# One scale for the whole matrix instead of one per row.
def quantize_int8(w):
    """absmax int8 per output row. w: (out, in) floating tensor -> (codes, scale).

    scale: (out, 1) in w's dtype, max |w| of the row / 127 (0 for a row of zeros).
    codes: (out, in) torch.int8, torch.round(w / scale) (round half to even, as torch.round), 0 where scale is 0.
    Raise ValueError naming "w" for an empty tensor or one holding inf or nan.
    """
    ### BEGIN SOLUTION
    if w.numel() == 0:
        raise ValueError("w is empty: nothing to quantise")
    if not torch.isfinite(w).all():
        raise ValueError("w holds non-finite values")
    scale = w.abs().amax().expand(w.shape[0], 1) / 127
    safe = torch.where(scale == 0, torch.ones_like(scale), scale)
    return torch.round(w / safe).clamp(-127, 127).to(torch.int8), scale
    ### END SOLUTION


def dequantize_int8(codes, scale):
    """codes (out, in) int8, scale (out, 1) -> codes * scale, in scale's dtype."""
    ### BEGIN SOLUTION
    return codes.to(scale.dtype) * scale
    ### END SOLUTION

# %% variant: floor-not-round
# Codes are truncated toward zero instead of rounded.
def quantize_int8(w):
    """absmax int8 per output row. w: (out, in) floating tensor -> (codes, scale).

    scale: (out, 1) in w's dtype, max |w| of the row / 127 (0 for a row of zeros).
    codes: (out, in) torch.int8, torch.round(w / scale) (round half to even, as torch.round), 0 where scale is 0.
    Raise ValueError naming "w" for an empty tensor or one holding inf or nan.
    """
    ### BEGIN SOLUTION
    if w.numel() == 0:
        raise ValueError("w is empty: nothing to quantise")
    if not torch.isfinite(w).all():
        raise ValueError("w holds non-finite values")
    scale = w.abs().amax(dim=1, keepdim=True) / 127
    safe = torch.where(scale == 0, torch.ones_like(scale), scale)
    return torch.trunc(w / safe).clamp(-127, 127).to(torch.int8), scale
    ### END SOLUTION


def dequantize_int8(codes, scale):
    """codes (out, in) int8, scale (out, 1) -> codes * scale, in scale's dtype."""
    ### BEGIN SOLUTION
    return codes.to(scale.dtype) * scale
    ### END SOLUTION

# %% variant: accepts-non-finite
# inf and nan are not refused (an inf makes the whole row's scale inf).
def quantize_int8(w):
    """absmax int8 per output row. w: (out, in) floating tensor -> (codes, scale).

    scale: (out, 1) in w's dtype, max |w| of the row / 127 (0 for a row of zeros).
    codes: (out, in) torch.int8, torch.round(w / scale) (round half to even, as torch.round), 0 where scale is 0.
    Raise ValueError naming "w" for an empty tensor or one holding inf or nan.
    """
    ### BEGIN SOLUTION
    if w.numel() == 0:
        raise ValueError("w is empty: nothing to quantise")
    scale = w.abs().amax(dim=1, keepdim=True) / 127
    safe = torch.where(scale == 0, torch.ones_like(scale), scale)
    return torch.round(w / safe).clamp(-127, 127).to(torch.int8), scale
    ### END SOLUTION


def dequantize_int8(codes, scale):
    """codes (out, in) int8, scale (out, 1) -> codes * scale, in scale's dtype."""
    ### BEGIN SOLUTION
    return codes.to(scale.dtype) * scale
    ### END SOLUTION

# %% variant: scale-128
# The scale divides by 128, so the largest weight maps to 127/128 of its value.
def quantize_int8(w):
    """absmax int8 per output row. w: (out, in) floating tensor -> (codes, scale).

    scale: (out, 1) in w's dtype, max |w| of the row / 127 (0 for a row of zeros).
    codes: (out, in) torch.int8, torch.round(w / scale) (round half to even, as torch.round), 0 where scale is 0.
    Raise ValueError naming "w" for an empty tensor or one holding inf or nan.
    """
    ### BEGIN SOLUTION
    if w.numel() == 0:
        raise ValueError("w is empty: nothing to quantise")
    if not torch.isfinite(w).all():
        raise ValueError("w holds non-finite values")
    scale = w.abs().amax(dim=1, keepdim=True) / 128
    safe = torch.where(scale == 0, torch.ones_like(scale), scale)
    return torch.round(w / safe).clamp(-127, 127).to(torch.int8), scale
    ### END SOLUTION


def dequantize_int8(codes, scale):
    """codes (out, in) int8, scale (out, 1) -> codes * scale, in scale's dtype."""
    ### BEGIN SOLUTION
    return codes.to(scale.dtype) * scale
    ### END SOLUTION
