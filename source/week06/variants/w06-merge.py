# %% variant: no-scaling
# The merge adds B A without the alpha / r scaling.
def merge_lora(model):
    """Fold each LoRA layer's update into its base: base.weight += scaling * lora_B @ lora_A; set merged = True.

    LoRA layers are the modules with a `merged` attribute (the library's lora.LoRALinear and yours). If any is
    already merged, raise ValueError naming it by its module name (e.g. "blocks.1.mlp.fc") before changing any.
    Update the weight in place under torch.no_grad(); lora_A and lora_B are left as they are. Returns the model.
    """
    ### BEGIN SOLUTION
    layers = [(name, m) for name, m in model.named_modules() if hasattr(m, "merged")]
    for name, m in layers:
        if m.merged:
            raise ValueError(f"LoRA layer {name!r} is already merged")
    with torch.no_grad():
        for _, m in layers:
            m.base.weight += m.lora_B @ m.lora_A
            m.merged = True
    return model
    ### END SOLUTION


def unmerge_lora(model):
    """The reverse: base.weight -= scaling * lora_B @ lora_A; merged = False. A layer that is not merged raises
    ValueError naming it, before any change. Returns the model."""
    ### BEGIN SOLUTION
    layers = [(name, m) for name, m in model.named_modules() if hasattr(m, "merged")]
    for name, m in layers:
        if not m.merged:
            raise ValueError(f"LoRA layer {name!r} is not merged")
    with torch.no_grad():
        for _, m in layers:
            m.base.weight -= m.scaling * m.lora_B @ m.lora_A
            m.merged = False
    return model
    ### END SOLUTION

# %% variant: flag-not-set
# Merging updates the weight but does not set merged, so the update counts twice.
def merge_lora(model):
    """Fold each LoRA layer's update into its base: base.weight += scaling * lora_B @ lora_A; set merged = True.

    LoRA layers are the modules with a `merged` attribute (the library's lora.LoRALinear and yours). If any is
    already merged, raise ValueError naming it by its module name (e.g. "blocks.1.mlp.fc") before changing any.
    Update the weight in place under torch.no_grad(); lora_A and lora_B are left as they are. Returns the model.
    """
    ### BEGIN SOLUTION
    layers = [(name, m) for name, m in model.named_modules() if hasattr(m, "merged")]
    for name, m in layers:
        if m.merged:
            raise ValueError(f"LoRA layer {name!r} is already merged")
    with torch.no_grad():
        for _, m in layers:
            m.base.weight += m.scaling * m.lora_B @ m.lora_A
    return model
    ### END SOLUTION


def unmerge_lora(model):
    """The reverse: base.weight -= scaling * lora_B @ lora_A; merged = False. A layer that is not merged raises
    ValueError naming it, before any change. Returns the model."""
    ### BEGIN SOLUTION
    layers = [(name, m) for name, m in model.named_modules() if hasattr(m, "merged")]
    for name, m in layers:
        if not m.merged:
            raise ValueError(f"LoRA layer {name!r} is not merged")
    with torch.no_grad():
        for _, m in layers:
            m.base.weight -= m.scaling * m.lora_B @ m.lora_A
            m.merged = False
    return model
    ### END SOLUTION

# %% variant: unmerge-only-flag
# Unmerge clears the flag but leaves the update in the weight.
def merge_lora(model):
    """Fold each LoRA layer's update into its base: base.weight += scaling * lora_B @ lora_A; set merged = True.

    LoRA layers are the modules with a `merged` attribute (the library's lora.LoRALinear and yours). If any is
    already merged, raise ValueError naming it by its module name (e.g. "blocks.1.mlp.fc") before changing any.
    Update the weight in place under torch.no_grad(); lora_A and lora_B are left as they are. Returns the model.
    """
    ### BEGIN SOLUTION
    layers = [(name, m) for name, m in model.named_modules() if hasattr(m, "merged")]
    for name, m in layers:
        if m.merged:
            raise ValueError(f"LoRA layer {name!r} is already merged")
    with torch.no_grad():
        for _, m in layers:
            m.base.weight += m.scaling * m.lora_B @ m.lora_A
            m.merged = True
    return model
    ### END SOLUTION


def unmerge_lora(model):
    """The reverse: base.weight -= scaling * lora_B @ lora_A; merged = False. A layer that is not merged raises
    ValueError naming it, before any change. Returns the model."""
    ### BEGIN SOLUTION
    layers = [(name, m) for name, m in model.named_modules() if hasattr(m, "merged")]
    for name, m in layers:
        if not m.merged:
            raise ValueError(f"LoRA layer {name!r} is not merged")
    with torch.no_grad():
        for _, m in layers:
            m.merged = False
    return model
    ### END SOLUTION

# %% variant: merge-twice-allowed
# Merging an already merged model is not refused.
def merge_lora(model):
    """Fold each LoRA layer's update into its base: base.weight += scaling * lora_B @ lora_A; set merged = True.

    LoRA layers are the modules with a `merged` attribute (the library's lora.LoRALinear and yours). If any is
    already merged, raise ValueError naming it by its module name (e.g. "blocks.1.mlp.fc") before changing any.
    Update the weight in place under torch.no_grad(); lora_A and lora_B are left as they are. Returns the model.
    """
    ### BEGIN SOLUTION
    layers = [(name, m) for name, m in model.named_modules() if hasattr(m, "merged")]
    with torch.no_grad():
        for _, m in layers:
            m.base.weight += m.scaling * m.lora_B @ m.lora_A
            m.merged = True
    return model
    ### END SOLUTION


def unmerge_lora(model):
    """The reverse: base.weight -= scaling * lora_B @ lora_A; merged = False. A layer that is not merged raises
    ValueError naming it, before any change. Returns the model."""
    ### BEGIN SOLUTION
    layers = [(name, m) for name, m in model.named_modules() if hasattr(m, "merged")]
    for name, m in layers:
        if not m.merged:
            raise ValueError(f"LoRA layer {name!r} is not merged")
    with torch.no_grad():
        for _, m in layers:
            m.base.weight -= m.scaling * m.lora_B @ m.lora_A
            m.merged = False
    return model
    ### END SOLUTION
