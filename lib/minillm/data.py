"""Data on disk and in batches: find the corpus, store token ids as a memory-mapped shard, sample batches.

A shard is a 1-D array of token ids saved in NumPy's .npy format (the header records the dtype), so
`load_tokens` maps it into memory without reading it: a batch touches only the pages it needs.
"""

import os
from pathlib import Path

import numpy as np
import torch


def find_data_file(name: str = "tinyshakespeare.txt") -> Path:
    """Path of the course data file `name`, searched in this order:
    $COURSE_DATA_DIR, ./data, ../data, and the repository's data/ folder next to the installed library.
    Raises FileNotFoundError listing every place it looked.
    """
    folders = []
    if os.environ.get("COURSE_DATA_DIR"):
        folders.append(Path(os.environ["COURSE_DATA_DIR"]))
    folders += [Path("data"), Path("..") / "data", Path(__file__).resolve().parents[2] / "data"]
    candidates = [folder / name for folder in folders]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = "\n  ".join(str(c.resolve()) for c in candidates)
    raise FileNotFoundError(f"data file {name!r} not found; looked in:\n  {looked}\nSet COURSE_DATA_DIR to its folder.")


def write_tokens(path, ids, dtype=np.uint16) -> None:
    """Save token ids (1-D sequence of ints) to `path` as a .npy shard of `dtype`.
    Raises ValueError if an id does not fit in `dtype` (uint16 holds 0..65535, enough for a vocabulary of 65536).
    """
    ids = np.asarray(ids)
    dtype = np.dtype(dtype)
    if ids.ndim != 1:
        raise ValueError(f"ids must be 1-D, got shape {ids.shape}")
    if ids.size and not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must be integers, got dtype {ids.dtype}")
    if not np.issubdtype(dtype, np.integer):
        raise TypeError(f"dtype must be an integer type, got {dtype}")
    limits = np.iinfo(dtype)
    if ids.size and (ids.min() < limits.min or ids.max() > limits.max):
        bad = ids[(ids < limits.min) | (ids > limits.max)][0]
        raise ValueError(f"ids: token id {bad} does not fit in {dtype} ({limits.min}..{limits.max}); use a wider dtype")
    with open(path, "wb") as f:  # a file object stops np.save from appending ".npy" to the name
        np.save(f, ids.astype(dtype))


def load_tokens(path) -> np.memmap:
    """Memory-map a shard written by `write_tokens`: a read-only 1-D array, nothing read until indexed."""
    return np.load(path, mmap_mode="r")


def train_val_split(tokens, val_fraction: float = 0.1):
    """(train, val): the first (1 - val_fraction) of `tokens` and the rest, in order.
    A contiguous split keeps training windows from overlapping validation text. Works on anything sliceable
    (str, list, NumPy array, tensor).
    """
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    cut = int(len(tokens) * (1.0 - val_fraction))
    return tokens[:cut], tokens[cut:]


def random_batches(tokens, batch_size: int, block_size: int, generator: torch.Generator | None = None, device="cpu"):
    """One random batch (x, y) of windows from `tokens` (1-D NumPy array, memmap or tensor of ids).

    x: (batch_size, block_size) int64, tokens[i : i + block_size] for random starts i;
    y: (batch_size, block_size) int64, the same windows shifted by one (tokens[i + 1 : i + block_size + 1]),
    so y[b, t] is the token that follows x[b, : t + 1]. Starts come from `generator` (default: torch's global RNG).
    """
    if batch_size < 1 or block_size < 1:
        raise ValueError(f"batch_size and block_size must be >= 1, got {batch_size} and {block_size}")
    if len(tokens) < block_size + 1:
        raise ValueError(f"tokens: need at least block_size + 1 = {block_size + 1} tokens, got {len(tokens)}")
    starts = torch.randint(len(tokens) - block_size, (batch_size,), generator=generator)
    positions = starts[:, None] + torch.arange(block_size + 1)  # (batch_size, block_size + 1)
    if isinstance(tokens, torch.Tensor):
        windows = tokens[positions].long()
    else:
        windows = torch.from_numpy(np.asarray(tokens[positions.numpy()], dtype=np.int64))
    windows = windows.to(device)
    return windows[:, :-1].contiguous(), windows[:, 1:].contiguous()
