# %% variant: half-split-pairs
# Pairs x[i] with x[i + D/2] (Hugging Face Llama's layout) instead of the library's interleaved neighbours.
def apply_rope(x, start=0, theta=10000.0):
    D = x.size(-1)
    positions = torch.arange(start, start + x.size(-2), dtype=torch.float64)
    inv_freq = theta ** (-torch.arange(0, D, 2, dtype=torch.float64) / D)
    angles = torch.outer(positions, inv_freq)
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    x0, x1 = x[..., : D // 2], x[..., D // 2 :]
    return torch.cat((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1)


# %% variant: clockwise
# Rotates by -angle: the sign of sin is swapped in both coordinates.
def apply_rope(x, start=0, theta=10000.0):
    D = x.size(-1)
    positions = torch.arange(start, start + x.size(-2), dtype=torch.float64)
    inv_freq = theta ** (-torch.arange(0, D, 2, dtype=torch.float64) / D)
    angles = torch.outer(positions, inv_freq)
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x0 * cos + x1 * sin, -x0 * sin + x1 * cos), dim=-1).flatten(-2)


# %% variant: frequencies-without-the-2
# Uses theta ** (-i / D) for pair i instead of theta ** (-2i / D): the slow pairs turn too fast.
def apply_rope(x, start=0, theta=10000.0):
    D = x.size(-1)
    positions = torch.arange(start, start + x.size(-2), dtype=torch.float64)
    inv_freq = theta ** (-torch.arange(0, D // 2, dtype=torch.float64) / D)
    angles = torch.outer(positions, inv_freq)
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).flatten(-2)


# %% variant: ignores-start
# Always numbers the positions from 0, so a cached decoding step would get the wrong rotation.
def apply_rope(x, start=0, theta=10000.0):
    D = x.size(-1)
    positions = torch.arange(x.size(-2), dtype=torch.float64)
    inv_freq = theta ** (-torch.arange(0, D, 2, dtype=torch.float64) / D)
    angles = torch.outer(positions, inv_freq)
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).flatten(-2)
