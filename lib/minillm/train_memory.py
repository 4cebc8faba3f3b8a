"""Week 11: the memory a training step needs, from a config, before anything is allocated.

Four parts, for P parameters stored in `bytes_per_number` bytes each (4 for float32):
    weights      P numbers
    gradients    P numbers, one per weight
    AdamW        2 P numbers: the first and the second moment of every weight
    activations  what the forward pass keeps for the backward pass, per token of the batch.

The activations are counted for minillm.model.GPT in its GPT-2 shape (LayerNorm, GELU MLP of 4 n_embd,
learned positions, SDPA attention, no dropout), tensor by tensor, per token and layer:
    LayerNorm output C + its mean and 1/std 2, q k v 3C, attention output C + log-sum-exp per head H,
    heads merged C, residual C, LayerNorm output C + 2, MLP hidden 4C, after the GELU 4C
    = 16 C + H + 4 numbers; and outside the blocks: the embeddings' sum C, the final LayerNorm output C + 2,
    the log-softmax of the logits V (kept by the cross-entropy).
With gradient checkpointing a block keeps only its output, C per token and layer, and recomputes the rest
during the backward pass (one block's activations are then alive at a time).
`minillm.memory.retained_memory` measures the same activations on the real model (lib/tests/test_train_memory.py): they
agree to the byte but for 8 seq_len + 8 bytes (the int64 positions and the loss).
"""

from minillm.model import ModelConfig

GPT2_SHAPE = {"norm": "layernorm", "mlp": "gelu", "positions": "learned", "attention": "sdpa", "dropout": 0.0}


def parameter_count(config: ModelConfig) -> int:
    """The parameters of GPT(config) in its GPT-2 shape (biases if config.bias, tied embeddings counted once)."""
    C, V, L, hidden = config.n_embd, config.vocab_size, config.n_layer, config.mlp_hidden_dim
    bias = config.bias
    kv = 2 * config.kv_heads * config.head_dim
    attention = C * (C + kv) + C * C + bias * (C + kv + C)
    mlp = 2 * C * hidden + bias * (hidden + C)
    norm = C * (1 + bias)  # a LayerNorm: a weight, and a bias if config.bias
    embeddings = V * C * (1 if config.tie_embeddings else 2) + config.block_size * C
    return L * (attention + mlp + 2 * norm) + embeddings + norm


def activation_numbers(config: ModelConfig, batch_size: int, seq_len: int, checkpointing: bool = False) -> int:
    """Numbers the forward pass of GPT(config) keeps for backward on a (batch_size, seq_len) batch with targets."""
    C, H, V, L = config.n_embd, config.n_head, config.vocab_size, config.n_layer
    per_layer = C if checkpointing else 16 * C + H + 4
    return batch_size * seq_len * (L * per_layer + 2 * C + 2 + V)


def training_memory(config: ModelConfig, batch_size: int, seq_len: int, bytes_per_number: int = 4,
                    checkpointing: bool = False) -> dict:
    """Bytes of a training step of GPT(config) with AdamW: {"weights", "gradients", "adamw", "activations", "total"}.

    ValueError naming the field when config is not in the GPT-2 shape this counts (see GPT2_SHAPE), when
    seq_len is not in 1 .. block_size or batch_size < 1.
    """
    for field, value in GPT2_SHAPE.items():
        if getattr(config, field) != value:
            raise ValueError(f"training_memory counts the GPT-2 shape: config.{field} must be {value!r}, "
                             f"got {getattr(config, field)!r}")
    if config.n_experts is not None or config.mlp_hidden not in (None, 4 * config.n_embd):
        raise ValueError("training_memory counts a dense MLP of 4 n_embd: config.n_experts / mlp_hidden differ")
    if not 1 <= seq_len <= config.block_size:
        raise ValueError(f"seq_len must be in 1 .. block_size={config.block_size}, got {seq_len}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    p = parameter_count(config) * bytes_per_number
    parts = {"weights": p, "gradients": p, "adamw": 2 * p,
             "activations": activation_numbers(config, batch_size, seq_len, checkpointing) * bytes_per_number}
    return {**parts, "total": sum(parts.values())}
