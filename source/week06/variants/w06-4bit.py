# %% variant: high-nibble-first
# Even elements go in the high nibble.
def quantize_4bit(w, group_size):
    """Group-wise symmetric 4-bit quantisation. w: (out, in) floating -> (packed, scales).

    Each row is cut into in // group_size groups of group_size consecutive weights.
    scales: (out, in // group_size) in w's dtype, max |group| / 7 (0 for a group of zeros).
    codes: torch.round(w / scale) in [-7, 7] (0 where scale is 0), stored as code + 8 in 4 bits.
    packed: (out, in // 2) torch.uint8; byte j of a row = nibble of element 2j | (nibble of element 2j + 1) << 4.
    Raise ValueError naming "group_size" unless it is a positive int dividing in; ValueError if in is odd, or
    w is empty or holds inf or nan.
    """
    ### BEGIN SOLUTION
    if w.numel() == 0 or not torch.isfinite(w).all():
        raise ValueError("w must be non-empty and finite")
    out, n = w.shape
    if not isinstance(group_size, int) or group_size < 1 or n % group_size:
        raise ValueError(f"group_size={group_size!r} must divide the row length {n}")
    if n % 2:
        raise ValueError(f"the row length {n} must be even to pack two codes per byte")
    groups = w.reshape(out, n // group_size, group_size)
    scales = groups.abs().amax(dim=2, keepdim=True) / 7
    safe = torch.where(scales == 0, torch.ones_like(scales), scales)
    nibbles = (torch.round(groups / safe).clamp(-7, 7) + 8).to(torch.uint8).reshape(out, n // 2, 2)
    return (nibbles[..., 0] << 4) | nibbles[..., 1], scales.squeeze(2)
    ### END SOLUTION


def dequantize_4bit(packed, scales):
    """packed (out, in // 2) uint8, scales (out, in // group_size) -> weights (out, in) in scales' dtype."""
    ### BEGIN SOLUTION
    out, half = packed.shape
    codes = torch.stack([packed >> 4, packed & 0xF], dim=2).reshape(out, 2 * half).to(scales.dtype) - 8
    group_size = 2 * half // scales.shape[1]
    return (codes.reshape(out, -1, group_size) * scales.unsqueeze(2)).reshape(out, 2 * half)
    ### END SOLUTION

# %% variant: scale-per-row
# One scale per row, repeated for every group.
def quantize_4bit(w, group_size):
    """Group-wise symmetric 4-bit quantisation. w: (out, in) floating -> (packed, scales).

    Each row is cut into in // group_size groups of group_size consecutive weights.
    scales: (out, in // group_size) in w's dtype, max |group| / 7 (0 for a group of zeros).
    codes: torch.round(w / scale) in [-7, 7] (0 where scale is 0), stored as code + 8 in 4 bits.
    packed: (out, in // 2) torch.uint8; byte j of a row = nibble of element 2j | (nibble of element 2j + 1) << 4.
    Raise ValueError naming "group_size" unless it is a positive int dividing in; ValueError if in is odd, or
    w is empty or holds inf or nan.
    """
    ### BEGIN SOLUTION
    if w.numel() == 0 or not torch.isfinite(w).all():
        raise ValueError("w must be non-empty and finite")
    out, n = w.shape
    if not isinstance(group_size, int) or group_size < 1 or n % group_size:
        raise ValueError(f"group_size={group_size!r} must divide the row length {n}")
    if n % 2:
        raise ValueError(f"the row length {n} must be even to pack two codes per byte")
    groups = w.reshape(out, n // group_size, group_size)
    scales = groups.abs().amax(dim=(1, 2), keepdim=True).expand(-1, n // group_size, 1) / 7
    safe = torch.where(scales == 0, torch.ones_like(scales), scales)
    nibbles = (torch.round(groups / safe).clamp(-7, 7) + 8).to(torch.uint8).reshape(out, n // 2, 2)
    return nibbles[..., 0] | (nibbles[..., 1] << 4), scales.squeeze(2)
    ### END SOLUTION


def dequantize_4bit(packed, scales):
    """packed (out, in // 2) uint8, scales (out, in // group_size) -> weights (out, in) in scales' dtype."""
    ### BEGIN SOLUTION
    out, half = packed.shape
    codes = torch.stack([packed & 0xF, packed >> 4], dim=2).reshape(out, 2 * half).to(scales.dtype) - 8
    group_size = 2 * half // scales.shape[1]
    return (codes.reshape(out, -1, group_size) * scales.unsqueeze(2)).reshape(out, 2 * half)
    ### END SOLUTION

# %% variant: offset-7
# Codes are stored as code + 7 (and read back with - 7).
def quantize_4bit(w, group_size):
    """Group-wise symmetric 4-bit quantisation. w: (out, in) floating -> (packed, scales).

    Each row is cut into in // group_size groups of group_size consecutive weights.
    scales: (out, in // group_size) in w's dtype, max |group| / 7 (0 for a group of zeros).
    codes: torch.round(w / scale) in [-7, 7] (0 where scale is 0), stored as code + 8 in 4 bits.
    packed: (out, in // 2) torch.uint8; byte j of a row = nibble of element 2j | (nibble of element 2j + 1) << 4.
    Raise ValueError naming "group_size" unless it is a positive int dividing in; ValueError if in is odd, or
    w is empty or holds inf or nan.
    """
    ### BEGIN SOLUTION
    if w.numel() == 0 or not torch.isfinite(w).all():
        raise ValueError("w must be non-empty and finite")
    out, n = w.shape
    if not isinstance(group_size, int) or group_size < 1 or n % group_size:
        raise ValueError(f"group_size={group_size!r} must divide the row length {n}")
    if n % 2:
        raise ValueError(f"the row length {n} must be even to pack two codes per byte")
    groups = w.reshape(out, n // group_size, group_size)
    scales = groups.abs().amax(dim=2, keepdim=True) / 7
    safe = torch.where(scales == 0, torch.ones_like(scales), scales)
    nibbles = (torch.round(groups / safe).clamp(-7, 7) + 7).to(torch.uint8).reshape(out, n // 2, 2)
    return nibbles[..., 0] | (nibbles[..., 1] << 4), scales.squeeze(2)
    ### END SOLUTION


def dequantize_4bit(packed, scales):
    """packed (out, in // 2) uint8, scales (out, in // group_size) -> weights (out, in) in scales' dtype."""
    ### BEGIN SOLUTION
    out, half = packed.shape
    codes = torch.stack([packed & 0xF, packed >> 4], dim=2).reshape(out, 2 * half).to(scales.dtype) - 7
    group_size = 2 * half // scales.shape[1]
    return (codes.reshape(out, -1, group_size) * scales.unsqueeze(2)).reshape(out, 2 * half)
    ### END SOLUTION

# %% variant: no-group-check
# A group size that does not divide the row is not refused.
def quantize_4bit(w, group_size):
    """Group-wise symmetric 4-bit quantisation. w: (out, in) floating -> (packed, scales).

    Each row is cut into in // group_size groups of group_size consecutive weights.
    scales: (out, in // group_size) in w's dtype, max |group| / 7 (0 for a group of zeros).
    codes: torch.round(w / scale) in [-7, 7] (0 where scale is 0), stored as code + 8 in 4 bits.
    packed: (out, in // 2) torch.uint8; byte j of a row = nibble of element 2j | (nibble of element 2j + 1) << 4.
    Raise ValueError naming "group_size" unless it is a positive int dividing in; ValueError if in is odd, or
    w is empty or holds inf or nan.
    """
    ### BEGIN SOLUTION
    if w.numel() == 0 or not torch.isfinite(w).all():
        raise ValueError("w must be non-empty and finite")
    out, n = w.shape
    group_size = max(1, min(group_size, n))
    if n % 2:
        raise ValueError(f"the row length {n} must be even to pack two codes per byte")
    groups = w.reshape(out, n // group_size, group_size)
    scales = groups.abs().amax(dim=2, keepdim=True) / 7
    safe = torch.where(scales == 0, torch.ones_like(scales), scales)
    nibbles = (torch.round(groups / safe).clamp(-7, 7) + 8).to(torch.uint8).reshape(out, n // 2, 2)
    return nibbles[..., 0] | (nibbles[..., 1] << 4), scales.squeeze(2)
    ### END SOLUTION


def dequantize_4bit(packed, scales):
    """packed (out, in // 2) uint8, scales (out, in // group_size) -> weights (out, in) in scales' dtype."""
    ### BEGIN SOLUTION
    out, half = packed.shape
    codes = torch.stack([packed & 0xF, packed >> 4], dim=2).reshape(out, 2 * half).to(scales.dtype) - 8
    group_size = 2 * half // scales.shape[1]
    return (codes.reshape(out, -1, group_size) * scales.unsqueeze(2)).reshape(out, 2 * half)
    ### END SOLUTION
