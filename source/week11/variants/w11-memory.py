# %% variant: adam-states-once
# AdamW counted as one number per weight (only m, or only v).
def training_memory_breakdown(config, batch_size, seq_len):
    """Bytes of one AdamW training step of GPT(config) in float32 on a (batch_size, seq_len) batch.

    config: a ModelConfig in the GPT-2 shape above (you may build GPT(config) to count its parameters P;
    a tied embedding counts once). Returns a dict of Python ints:
        {"weights": 4 P, "gradients": 4 P, "adamw": 8 P,
         "activations": 4 * batch_size * seq_len * (n_layer * (16 C + H + 4) + 2 C + 2 + V),
         "total": the sum of the four}
    The tests compare with the memory PyTorch allocates on several configs (biases or none, tied or untied
    embeddings, other widths, heads and depths) and check the return types.
    """
    ### BEGIN SOLUTION
    p = 4 * sum(param.numel() for param in GPT(config).parameters())
    C, H, V, L = config.n_embd, config.n_head, config.vocab_size, config.n_layer
    parts = {"weights": p, "gradients": p, "adamw": p,
             "activations": 4 * batch_size * seq_len * (L * (16 * C + H + 4) + 2 * C + 2 + V)}
    parts["total"] = sum(parts.values())
    return parts
    ### END SOLUTION

# %% variant: activations-forget-heads
# Forgets the attention's log-sum-exp, one number per head and token.
def training_memory_breakdown(config, batch_size, seq_len):
    """Bytes of one AdamW training step of GPT(config) in float32 on a (batch_size, seq_len) batch.

    config: a ModelConfig in the GPT-2 shape above (you may build GPT(config) to count its parameters P;
    a tied embedding counts once). Returns a dict of Python ints:
        {"weights": 4 P, "gradients": 4 P, "adamw": 8 P,
         "activations": 4 * batch_size * seq_len * (n_layer * (16 C + H + 4) + 2 C + 2 + V),
         "total": the sum of the four}
    The tests compare with the memory PyTorch allocates on several configs (biases or none, tied or untied
    embeddings, other widths, heads and depths) and check the return types.
    """
    ### BEGIN SOLUTION
    p = 4 * sum(param.numel() for param in GPT(config).parameters())
    C, H, V, L = config.n_embd, config.n_head, config.vocab_size, config.n_layer
    parts = {"weights": p, "gradients": p, "adamw": 2 * p,
             "activations": 4 * batch_size * seq_len * (L * (16 * C + 4) + 2 * C + 2 + V)}
    parts["total"] = sum(parts.values())
    return parts
    ### END SOLUTION

# %% variant: activations-forget-logits
# Forgets the log-softmax of the logits the cross-entropy keeps.
def training_memory_breakdown(config, batch_size, seq_len):
    """Bytes of one AdamW training step of GPT(config) in float32 on a (batch_size, seq_len) batch.

    config: a ModelConfig in the GPT-2 shape above (you may build GPT(config) to count its parameters P;
    a tied embedding counts once). Returns a dict of Python ints:
        {"weights": 4 P, "gradients": 4 P, "adamw": 8 P,
         "activations": 4 * batch_size * seq_len * (n_layer * (16 C + H + 4) + 2 C + 2 + V),
         "total": the sum of the four}
    The tests compare with the memory PyTorch allocates on several configs (biases or none, tied or untied
    embeddings, other widths, heads and depths) and check the return types.
    """
    ### BEGIN SOLUTION
    p = 4 * sum(param.numel() for param in GPT(config).parameters())
    C, H, V, L = config.n_embd, config.n_head, config.vocab_size, config.n_layer
    parts = {"weights": p, "gradients": p, "adamw": 2 * p,
             "activations": 4 * batch_size * seq_len * (L * (16 * C + H + 4) + 2 * C + 2)}
    parts["total"] = sum(parts.values())
    return parts
    ### END SOLUTION
