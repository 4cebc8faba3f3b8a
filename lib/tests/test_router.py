"""The adapter router: nearest centroid by hand, serving equal to loading the adapter directly, switches counted."""

import pytest
import torch

from minillm.lora import adapter_state_dict, apply_lora, lora_layers
from minillm.model import GPT, ModelConfig
from minillm.router import AdapterRouter


def lora_gpt():
    torch.manual_seed(0)
    model = GPT(ModelConfig.gpt2(vocab_size=37, block_size=16, n_layer=2, n_head=2, n_embd=16)).eval()
    return apply_lora(model, r=2, alpha=4)


def random_adapter(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in lora_layers(model):
            layer.lora_B.copy_(torch.randn(layer.lora_B.shape, generator=g) * 0.1)
    return adapter_state_dict(model)


def test_route_picks_the_nearest_normalised_centroid():
    examples = {"math": torch.tensor([[1.0, 0.0], [10.0, 1.0]]), "lists": torch.tensor([[0.0, 3.0]])}
    router = AdapterRouter({"math": {}, "lists": {}}, examples)
    expected = torch.tensor([(1.0 + 10 / 101**0.5) / 2, (1 / 101**0.5) / 2])
    torch.testing.assert_close(router.centroids[0], expected)
    assert router.route(torch.tensor([[5.0, 0.5], [0.1, 2.0], [-1.0, -1.0]])) == ["math", "lists", "lists"]


def test_serve_loads_the_adapter_only_when_it_changes():
    model = lora_gpt()
    adapters = {"a": random_adapter(model, 1), "b": random_adapter(model, 2)}
    idx = torch.randint(0, 37, (1, 6), generator=torch.Generator().manual_seed(3))
    expected = {}
    for name, state in adapters.items():
        with torch.no_grad():
            for key, value in state.items():
                model.get_parameter(key).copy_(value)
        expected[name] = model(idx)[0]
    router = AdapterRouter(adapters, {"a": torch.randn(2, 4), "b": torch.randn(2, 4)})
    switched = [router.serve(model, name) for name in ["a", "a", "b", "a"]]
    assert switched == [True, False, True, True] and len(router.switch_seconds) == 3
    torch.testing.assert_close(model(idx)[0], expected["a"], rtol=0, atol=0)
    router.serve(model, "b")
    torch.testing.assert_close(model(idx)[0], expected["b"], rtol=0, atol=0)
    assert not torch.equal(expected["a"], expected["b"])


def test_router_refuses_bad_input():
    with pytest.raises(ValueError, match="empty"):
        AdapterRouter({}, {})
    with pytest.raises(ValueError, match="different"):
        AdapterRouter({"a": {}}, {"b": torch.ones(1, 2)})
    with pytest.raises(ValueError, match="non-empty"):
        AdapterRouter({"a": {}}, {"a": torch.ones(0, 2)})
    router = AdapterRouter({"a": {}}, {"a": torch.ones(1, 2)})
    with pytest.raises(KeyError, match="unknown adapter"):
        router.serve(lora_gpt(), "c")
