"""minillm.train_memory against the real model: its parameters, the activations minillm.memory measures while
the loss is alive, gradient checkpointing's same gradients and smaller memory, and AdamW's real states."""

import pytest
import torch

from minillm.memory import peak_memory, retained_memory
from minillm.model import GPT, ModelConfig
from minillm.train_memory import activation_numbers, parameter_count, training_memory

CONFIGS = [dict(), dict(n_layer=3), dict(n_embd=32, n_head=4, bias=False), dict(vocab_size=200, tie_embeddings=False)]


def make(checkpointing=False, **overrides):
    config = ModelConfig(**{**dict(vocab_size=100, block_size=64, n_layer=1, n_head=2, n_embd=16,
                                   gradient_checkpointing=checkpointing), **overrides})
    torch.manual_seed(0)
    return config, GPT(config)


@pytest.mark.parametrize("overrides", CONFIGS)
@pytest.mark.parametrize("checkpointing", [False, True])
def test_activations_equal_what_the_forward_pass_keeps(overrides, checkpointing):
    config, model = make(checkpointing, **overrides)
    B, T = 3, 10
    idx = torch.randint(0, config.vocab_size, (B, T))
    _, kept = retained_memory(lambda: model(idx, idx)[1])
    counted = training_memory(config, B, T, checkpointing=checkpointing)["activations"]
    assert kept - counted == 8 * T + 8  # the int64 positions and two scalars of the loss, not activations
    assert parameter_count(config) == model.num_parameters()


def test_weights_gradients_and_adamw_states_as_torch_allocates_them():
    config, model = make(n_layer=2)
    parts = training_memory(config, 2, 8)
    optimizer = torch.optim.AdamW(model.parameters())
    model(torch.zeros(2, 8, dtype=torch.long), torch.zeros(2, 8, dtype=torch.long))[1].backward()
    optimizer.step()
    nbytes = lambda tensors: sum(t.numel() * t.element_size() for t in tensors)
    assert parts["weights"] == nbytes(model.parameters())
    assert parts["gradients"] == nbytes(p.grad for p in model.parameters())
    states = [s for state in optimizer.state.values() for k, s in state.items() if k != "step"]
    assert parts["adamw"] == nbytes(states)
    assert parts["total"] == sum(parts[k] for k in ("weights", "gradients", "adamw", "activations"))
    assert training_memory(config, 2, 8, bytes_per_number=2)["weights"] == parts["weights"] // 2


def test_checkpointing_gives_the_same_gradients_with_less_memory():
    grads, peaks = {}, {}
    for checkpointing in (False, True):
        config, model = make(checkpointing, n_layer=4, n_embd=32)
        idx = torch.randint(0, config.vocab_size, (4, 32), generator=torch.Generator().manual_seed(1))
        _, peaks[checkpointing] = peak_memory(lambda: model(idx, idx)[1].backward())
        grads[checkpointing] = [p.grad for p in model.parameters()]
    for plain, checkpointed in zip(grads[False], grads[True]):
        torch.testing.assert_close(checkpointed, plain, rtol=0, atol=1e-6)
    assert peaks[True] < 0.7 * peaks[False]
    assert activation_numbers(config, 4, 32, True) < activation_numbers(config, 4, 32)


def test_bad_configs_name_the_field():
    for overrides, field in [(dict(norm="rmsnorm"), "norm"), (dict(attention="naive"), "attention"),
                             (dict(dropout=0.1), "dropout"), (dict(mlp_hidden=10), "mlp_hidden")]:
        config, _ = make(**overrides)
        with pytest.raises(ValueError, match=field):
            training_memory(config, 2, 8)
    config, _ = make()
    with pytest.raises(ValueError, match="seq_len"):
        training_memory(config, 2, 65)
    with pytest.raises(ValueError, match="batch_size"):
        training_memory(config, 0, 8)
