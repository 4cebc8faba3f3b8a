# %% variant: wraps-lm-head-too
# The output head is wrapped as well.
LAYERS = ("attn.qkv", "attn.out", "mlp.fc", "mlp.proj")  # the linear layers of a GPT-2 style block


def apply_lora(model, r, alpha, wrap=LoRALinear):
    """Freeze every parameter of a GPT-2 style course GPT, then replace each block's LAYERS by wrap(layer, r, alpha).

    Before changing anything: if any of these layers already is a `wrap` instance, raise ValueError naming it
    by its full name, e.g. "blocks.0.attn.qkv" (the model must be left exactly as it was). The output head and
    everything else are not wrapped. Returns the model. The tests pass the library's minillm.lora.LoRALinear
    as wrap, and check which layers are wrapped, the trainable count, which parameters get gradients, the
    outputs at the start and the double application.
    """
    ### BEGIN SOLUTION
    targets = []
    for i, block in enumerate(model.blocks):
        for path in LAYERS:
            parent_name, child = path.split(".")
            parent = getattr(block, parent_name)
            if isinstance(getattr(parent, child), wrap):
                raise ValueError(f"layer 'blocks.{i}.{path}' already has LoRA applied")
            targets.append((parent, child))
    for p in model.parameters():
        p.requires_grad_(False)
    for parent, child in targets:
        setattr(parent, child, wrap(getattr(parent, child), r, alpha))
    model.lm_head = wrap(model.lm_head, r, alpha)
    return model
    ### END SOLUTION


def count_trainable(model):
    """The number of parameters (elements) that require gradients; a tied parameter counts once."""
    ### BEGIN SOLUTION
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
    ### END SOLUTION

# %% variant: forgets-to-freeze
# Only the wrapped layers are frozen (by the wrapper); embeddings and norms still train.
LAYERS = ("attn.qkv", "attn.out", "mlp.fc", "mlp.proj")  # the linear layers of a GPT-2 style block


def apply_lora(model, r, alpha, wrap=LoRALinear):
    """Freeze every parameter of a GPT-2 style course GPT, then replace each block's LAYERS by wrap(layer, r, alpha).

    Before changing anything: if any of these layers already is a `wrap` instance, raise ValueError naming it
    by its full name, e.g. "blocks.0.attn.qkv" (the model must be left exactly as it was). The output head and
    everything else are not wrapped. Returns the model. The tests pass the library's minillm.lora.LoRALinear
    as wrap, and check which layers are wrapped, the trainable count, which parameters get gradients, the
    outputs at the start and the double application.
    """
    ### BEGIN SOLUTION
    targets = []
    for i, block in enumerate(model.blocks):
        for path in LAYERS:
            parent_name, child = path.split(".")
            parent = getattr(block, parent_name)
            if isinstance(getattr(parent, child), wrap):
                raise ValueError(f"layer 'blocks.{i}.{path}' already has LoRA applied")
            targets.append((parent, child))
    for parent, child in targets:
        setattr(parent, child, wrap(getattr(parent, child), r, alpha))
    return model
    ### END SOLUTION


def count_trainable(model):
    """The number of parameters (elements) that require gradients; a tied parameter counts once."""
    ### BEGIN SOLUTION
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
    ### END SOLUTION

# %% variant: no-double-check
# Applying twice wraps the wrappers instead of refusing.
LAYERS = ("attn.qkv", "attn.out", "mlp.fc", "mlp.proj")  # the linear layers of a GPT-2 style block


def apply_lora(model, r, alpha, wrap=LoRALinear):
    """Freeze every parameter of a GPT-2 style course GPT, then replace each block's LAYERS by wrap(layer, r, alpha).

    Before changing anything: if any of these layers already is a `wrap` instance, raise ValueError naming it
    by its full name, e.g. "blocks.0.attn.qkv" (the model must be left exactly as it was). The output head and
    everything else are not wrapped. Returns the model. The tests pass the library's minillm.lora.LoRALinear
    as wrap, and check which layers are wrapped, the trainable count, which parameters get gradients, the
    outputs at the start and the double application.
    """
    ### BEGIN SOLUTION
    targets = []
    for i, block in enumerate(model.blocks):
        for path in LAYERS:
            parent_name, child = path.split(".")
            parent = getattr(block, parent_name)
            targets.append((parent, child))
    for p in model.parameters():
        p.requires_grad_(False)
    for parent, child in targets:
        setattr(parent, child, wrap(getattr(parent, child), r, alpha))
    return model
    ### END SOLUTION


def count_trainable(model):
    """The number of parameters (elements) that require gradients; a tied parameter counts once."""
    ### BEGIN SOLUTION
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
    ### END SOLUTION

# %% variant: counts-all
# count_trainable counts every parameter.
LAYERS = ("attn.qkv", "attn.out", "mlp.fc", "mlp.proj")  # the linear layers of a GPT-2 style block


def apply_lora(model, r, alpha, wrap=LoRALinear):
    """Freeze every parameter of a GPT-2 style course GPT, then replace each block's LAYERS by wrap(layer, r, alpha).

    Before changing anything: if any of these layers already is a `wrap` instance, raise ValueError naming it
    by its full name, e.g. "blocks.0.attn.qkv" (the model must be left exactly as it was). The output head and
    everything else are not wrapped. Returns the model. The tests pass the library's minillm.lora.LoRALinear
    as wrap, and check which layers are wrapped, the trainable count, which parameters get gradients, the
    outputs at the start and the double application.
    """
    ### BEGIN SOLUTION
    targets = []
    for i, block in enumerate(model.blocks):
        for path in LAYERS:
            parent_name, child = path.split(".")
            parent = getattr(block, parent_name)
            if isinstance(getattr(parent, child), wrap):
                raise ValueError(f"layer 'blocks.{i}.{path}' already has LoRA applied")
            targets.append((parent, child))
    for p in model.parameters():
        p.requires_grad_(False)
    for parent, child in targets:
        setattr(parent, child, wrap(getattr(parent, child), r, alpha))
    return model
    ### END SOLUTION


def count_trainable(model):
    """The number of parameters (elements) that require gradients; a tied parameter counts once."""
    ### BEGIN SOLUTION
    return sum(p.numel() for p in model.parameters())
    ### END SOLUTION
