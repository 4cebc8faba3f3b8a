# %% variant: after-up-product
# Measures silu(w1 h) * w3 h (after the up-projection product) instead of the gate.
def gate_activity(model, idx, threshold=0.1):
    """Fraction of SwiGLU gate values silu(w1 h) > threshold in each layer, over all tokens and hidden units.

    model: a Llama-style minillm GPT (each block.mlp has w1, the gate projection); idx: (B, T) token ids.
    Returns a float32 tensor (n_layer,). Capture w1's output with forward hooks, run the model once under
    torch.no_grad(), and remove every hook before returning (the model is left as it was).
    """
    ### BEGIN SOLUTION
    gates, handles = [], []
    try:
        for block in model.blocks:
            handles.append(block.mlp.w3.register_forward_hook(lambda m, a, out, mlp=block.mlp: gates.append(F.silu(mlp.w1(a[0])) * out)))
        with torch.no_grad():
            model(idx)
    finally:
        for handle in handles:
            handle.remove()
    return torch.stack([(g > threshold).float().mean() for g in gates])
    ### END SOLUTION

# %% variant: before-silu
# Counts w1 h > threshold, before the SiLU.
def gate_activity(model, idx, threshold=0.1):
    """Fraction of SwiGLU gate values silu(w1 h) > threshold in each layer, over all tokens and hidden units.

    model: a Llama-style minillm GPT (each block.mlp has w1, the gate projection); idx: (B, T) token ids.
    Returns a float32 tensor (n_layer,). Capture w1's output with forward hooks, run the model once under
    torch.no_grad(), and remove every hook before returning (the model is left as it was).
    """
    ### BEGIN SOLUTION
    gates, handles = [], []
    try:
        for block in model.blocks:
            handles.append(block.mlp.w1.register_forward_hook(lambda m, a, out: gates.append(out)))
        with torch.no_grad():
            model(idx)
    finally:
        for handle in handles:
            handle.remove()
    return torch.stack([(g > threshold).float().mean() for g in gates])
    ### END SOLUTION

# %% variant: hooks-left-on
# Never removes its hooks: they stay on the model for every later call.
def gate_activity(model, idx, threshold=0.1):
    """Fraction of SwiGLU gate values silu(w1 h) > threshold in each layer, over all tokens and hidden units.

    model: a Llama-style minillm GPT (each block.mlp has w1, the gate projection); idx: (B, T) token ids.
    Returns a float32 tensor (n_layer,). Capture w1's output with forward hooks, run the model once under
    torch.no_grad(), and remove every hook before returning (the model is left as it was).
    """
    ### BEGIN SOLUTION
    gates, handles = [], []
    try:
        for block in model.blocks:
            handles.append(block.mlp.w1.register_forward_hook(lambda m, a, out: gates.append(F.silu(out))))
        with torch.no_grad():
            model(idx)
    finally:
        pass
    return torch.stack([(g > threshold).float().mean() for g in gates])
    ### END SOLUTION
