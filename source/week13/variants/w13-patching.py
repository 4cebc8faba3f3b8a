# %% variant: wrong-position
# Patches the position before the one asked for.
def patch_residual(model, idx, clean_residual, layer, positions):
    """Logits (B, T, V) of model on idx with the residual stream LEAVING block `layer` replaced, at the given
    positions, by clean_residual (B, T, C) (the clean run's Trace.residuals[layer + 1]).

    A block's forward returns a tuple (x, attention weights or None): replace x's rows at `positions` (a list of
    ints; [] patches nothing) in a forward hook on model.blocks[layer] that returns the new tuple; do not change
    the stored output in place. Remove the hook before returning, under torch.no_grad().
    layer outside 0 .. n_layer - 1: ValueError naming layer.
    """
    ### BEGIN SOLUTION
    if not 0 <= layer < len(model.blocks):
        raise ValueError(f"layer must be in 0 .. {len(model.blocks) - 1}, got {layer}")
    positions = list(positions)

    def replace(module, inputs, output):
        x = output[0].clone()
        x[:, [max(p - 1, 0) for p in positions]] = clean_residual[:, [max(p - 1, 0) for p in positions]]
        return (x, *output[1:])

    handle = model.blocks[layer].register_forward_hook(replace)
    try:
        with torch.no_grad():
            return model(idx)[0]
    finally:
        handle.remove()
    ### END SOLUTION


def recovery(patched, clean, corrupted):
    """(patched - corrupted) / (clean - corrupted) of logit differences (tensors or floats of one shape)."""
    ### BEGIN SOLUTION
    return (patched - corrupted) / (clean - corrupted)
    ### END SOLUTION

# %% variant: block-input
# Patches the stream entering block `layer` (a pre-hook) instead of the one leaving it.
def patch_residual(model, idx, clean_residual, layer, positions):
    """Logits (B, T, V) of model on idx with the residual stream LEAVING block `layer` replaced, at the given
    positions, by clean_residual (B, T, C) (the clean run's Trace.residuals[layer + 1]).

    A block's forward returns a tuple (x, attention weights or None): replace x's rows at `positions` (a list of
    ints; [] patches nothing) in a forward hook on model.blocks[layer] that returns the new tuple; do not change
    the stored output in place. Remove the hook before returning, under torch.no_grad().
    layer outside 0 .. n_layer - 1: ValueError naming layer.
    """
    ### BEGIN SOLUTION
    if not 0 <= layer < len(model.blocks):
        raise ValueError(f"layer must be in 0 .. {len(model.blocks) - 1}, got {layer}")
    positions = list(positions)

    def replace(module, inputs):
        x = inputs[0].clone()
        x[:, positions] = clean_residual[:, positions]
        return (x, *inputs[1:])

    handle = model.blocks[layer].register_forward_pre_hook(replace)
    try:
        with torch.no_grad():
            return model(idx)[0]
    finally:
        handle.remove()
    ### END SOLUTION


def recovery(patched, clean, corrupted):
    """(patched - corrupted) / (clean - corrupted) of logit differences (tensors or floats of one shape)."""
    ### BEGIN SOLUTION
    return (patched - corrupted) / (clean - corrupted)
    ### END SOLUTION

# %% variant: unnormalised-recovery
# Reports the raw restored logit difference, not its share.
def patch_residual(model, idx, clean_residual, layer, positions):
    """Logits (B, T, V) of model on idx with the residual stream LEAVING block `layer` replaced, at the given
    positions, by clean_residual (B, T, C) (the clean run's Trace.residuals[layer + 1]).

    A block's forward returns a tuple (x, attention weights or None): replace x's rows at `positions` (a list of
    ints; [] patches nothing) in a forward hook on model.blocks[layer] that returns the new tuple; do not change
    the stored output in place. Remove the hook before returning, under torch.no_grad().
    layer outside 0 .. n_layer - 1: ValueError naming layer.
    """
    ### BEGIN SOLUTION
    if not 0 <= layer < len(model.blocks):
        raise ValueError(f"layer must be in 0 .. {len(model.blocks) - 1}, got {layer}")
    positions = list(positions)

    def replace(module, inputs, output):
        x = output[0].clone()
        x[:, positions] = clean_residual[:, positions]
        return (x, *output[1:])

    handle = model.blocks[layer].register_forward_hook(replace)
    try:
        with torch.no_grad():
            return model(idx)[0]
    finally:
        handle.remove()
    ### END SOLUTION


def recovery(patched, clean, corrupted):
    """(patched - corrupted) / (clean - corrupted) of logit differences (tensors or floats of one shape)."""
    ### BEGIN SOLUTION
    return patched - corrupted
    ### END SOLUTION
