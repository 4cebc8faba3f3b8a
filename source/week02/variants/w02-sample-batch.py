# %% variant: targets-not-shifted
# Returns the same window as input and target: the model would learn to copy its input, not to predict.
def sample_batch(tokens, batch_size, block_size, generator):
    if len(tokens) < block_size + 1:
        raise ValueError("tokens: too short for one window")
    starts = torch.randint(len(tokens) - block_size, (batch_size,), generator=generator)
    x = torch.stack([torch.from_numpy(np.asarray(tokens[s:s + block_size], dtype=np.int64)) for s in starts.tolist()])
    return x, x.clone()


# %% variant: keeps-uint16
# Right windows, but left in the shard's dtype: uint16 tensors cannot index an embedding table.
def sample_batch(tokens, batch_size, block_size, generator):
    if len(tokens) < block_size + 1:
        raise ValueError("tokens: too short for one window")
    starts = torch.randint(len(tokens) - block_size, (batch_size,), generator=generator)
    windows = torch.from_numpy(np.stack([np.asarray(tokens[s:s + block_size + 1]) for s in starts.tolist()]))
    return windows[:, :-1], windows[:, 1:]


# %% variant: start-range-too-small
# Draws starts below len(tokens) - block_size - 1, an off-by-one that never uses the last window (and other draws).
def sample_batch(tokens, batch_size, block_size, generator):
    if len(tokens) < block_size + 1:
        raise ValueError("tokens: too short for one window")
    starts = torch.randint(len(tokens) - block_size - 1, (batch_size,), generator=generator)
    windows = np.stack([np.asarray(tokens[s:s + block_size + 1], dtype=np.int64) for s in starts.tolist()])
    windows = torch.from_numpy(windows)
    return windows[:, :-1], windows[:, 1:]

# %% variant: converts-whole-shard
# Converts the whole shard to int64 on every call, then slices the windows out of the copy.
def sample_batch(tokens, batch_size, block_size, generator):
    """A random batch of training windows (x, y) from one shard.

    tokens: 1-D array of N token ids (a uint16 memmap, a NumPy array or a tensor, of any integer dtype: ids
    above 65535 too); ValueError if N < block_size + 1.
    Draw the window starts with exactly this one call:
        starts = torch.randint(N - block_size, (batch_size,), generator=generator)
    Returns (x, y), two int64 tensors of shape (batch_size, block_size), on the CPU:
        x[b] = tokens[starts[b] : starts[b] + block_size]
        y[b] = tokens[starts[b] + 1 : starts[b] + block_size + 1]   (each position's next token)
    Read only the windows from `tokens` (index it), never the whole array: no copy of the shard, however big.
    """
    if len(tokens) < block_size + 1:
        raise ValueError(f"tokens: need at least block_size + 1 = {block_size + 1} ids, got {len(tokens)}")
    starts = torch.randint(len(tokens) - block_size, (batch_size,), generator=generator)
    data = np.asarray(tokens, dtype=np.int64)
    windows = np.stack([data[s:s + block_size + 1] for s in starts.tolist()])
    windows = torch.from_numpy(windows)
    return windows[:, :-1], windows[:, 1:]
    ### END SOLUTION

# %% variant: through-uint16
# Reads each window as uint16 first: ids above 65535 wrap around.
def sample_batch(tokens, batch_size, block_size, generator):
    """A random batch of training windows (x, y) from one shard.

    tokens: 1-D array of N token ids (a uint16 memmap, a NumPy array or a tensor, of any integer dtype: ids
    above 65535 too); ValueError if N < block_size + 1.
    Draw the window starts with exactly this one call:
        starts = torch.randint(N - block_size, (batch_size,), generator=generator)
    Returns (x, y), two int64 tensors of shape (batch_size, block_size), on the CPU:
        x[b] = tokens[starts[b] : starts[b] + block_size]
        y[b] = tokens[starts[b] + 1 : starts[b] + block_size + 1]   (each position's next token)
    Read only the windows from `tokens` (index it), never the whole array: no copy of the shard, however big.
    """
    if len(tokens) < block_size + 1:
        raise ValueError(f"tokens: need at least block_size + 1 = {block_size + 1} ids, got {len(tokens)}")
    starts = torch.randint(len(tokens) - block_size, (batch_size,), generator=generator)
    windows = np.stack([np.asarray(tokens[s:s + block_size + 1], dtype=np.uint16).astype(np.int64) for s in starts.tolist()])
    windows = torch.from_numpy(windows)
    return windows[:, :-1], windows[:, 1:]
    ### END SOLUTION
