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
