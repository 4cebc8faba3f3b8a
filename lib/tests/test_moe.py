"""MoE against running every expert densely, against transformers' Mixtral block, and its losses by hand."""

import pytest
import torch
from transformers import MixtralConfig
from transformers.models.mixtral.modeling_mixtral import MixtralSparseMoeBlock, load_balancing_loss_func

from minillm.moe import MoE, load_balancing_loss, route, router_z_loss


def dense_reference(moe, x):
    """Every expert on every token, weighted by the renormalised top-k probabilities (0 elsewhere)."""
    flat = x.reshape(-1, x.size(-1))
    probs = torch.softmax(moe.router(flat), dim=-1)
    top = torch.topk(probs, moe.top_k, dim=-1)
    gate = torch.zeros_like(probs).scatter(1, top.indices, top.values)
    if moe.normalize:
        gate = gate / gate.sum(dim=-1, keepdim=True)
    outputs = torch.stack([expert(flat) for expert in moe.experts], dim=1)  # (N, E, C)
    return (gate[..., None] * outputs).sum(1).view(x.shape)


@pytest.mark.parametrize("n_experts, top_k, normalize", [(4, 2, True), (6, 1, False), (3, 3, True)])
def test_equals_dense_weighted_experts_and_gradients(n_experts, top_k, normalize):
    torch.manual_seed(0)
    moe = MoE(8, 12, n_experts, top_k, normalize=normalize).double()
    x = torch.randn(2, 5, 8, dtype=torch.float64, requires_grad=True)
    y, logits = moe(x)
    assert y.shape == x.shape and y.dtype == torch.float64 and logits.shape == (10, n_experts)
    expected = dense_reference(moe, x)
    torch.testing.assert_close(y, expected)
    grads = torch.autograd.grad(y.sum(), [x, *moe.parameters()], allow_unused=True)
    expected_grads = torch.autograd.grad(expected.sum(), [x, *moe.parameters()], allow_unused=True)
    for grad, expected_grad in zip(grads, expected_grads):
        torch.testing.assert_close(grad if grad is not None else 0 * expected_grad, expected_grad)


def test_equals_transformers_mixtral_block():
    config = MixtralConfig(hidden_size=16, intermediate_size=24, num_local_experts=4, num_experts_per_tok=2)
    torch.manual_seed(0)
    hf = MixtralSparseMoeBlock(config).eval()
    for p in hf.parameters():
        torch.nn.init.normal_(p, std=0.3)
    moe = MoE(16, 24, 4, 2)
    with torch.no_grad():
        moe.router.weight.copy_(hf.gate.weight)
        for e, expert in enumerate(moe.experts):
            gate, up = hf.experts.gate_up_proj[e].chunk(2, dim=0)
            expert.w1.weight.copy_(gate)
            expert.w3.weight.copy_(up)
            expert.w2.weight.copy_(hf.experts.down_proj[e])
    x = torch.randn(3, 7, 16)
    y, logits = moe(x)
    torch.testing.assert_close(y, hf(x), atol=1e-5, rtol=1e-5)
    # transformers counts each of the k slots' assignments separately: k times Switch's normalised loss
    torch.testing.assert_close(2 * load_balancing_loss(logits, 2), load_balancing_loss_func((logits,), 4, 2))


def test_load_balancing_loss_by_hand():
    uniform = torch.zeros(8, 4)  # ties: topk picks some expert, but P is uniform, so the loss is 4 * sum f_i / 4
    torch.testing.assert_close(load_balancing_loss(uniform, 1), torch.tensor(1.0))
    collapsed = torch.tensor([[30.0, 0, 0, 0]]).repeat(8, 1)  # all tokens and all probability on expert 0
    torch.testing.assert_close(load_balancing_loss(collapsed, 1), torch.tensor(4.0), atol=1e-4, rtol=0)
    logits = torch.log(torch.tensor([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]]))
    # top-1: expert 0 then expert 1, f = (1/2, 1/2, 0); P = (0.3, 0.45, 0.25); 3 * (0.15 + 0.225) = 1.125
    torch.testing.assert_close(load_balancing_loss(logits, 1), torch.tensor(1.125))
    # top-2: experts {0, 1} and {1, 2}, f = (1/4, 1/2, 1/4); 3 * (0.075 + 0.225 + 0.0625) = 1.0875
    torch.testing.assert_close(load_balancing_loss(logits, 2), torch.tensor(1.0875))


def test_router_z_loss_by_hand_and_gradient():
    logits = torch.tensor([[0.0, 0.0], [1.0, -1.0]], requires_grad=True)
    lse = torch.tensor([2.0, torch.e + 1 / torch.e]).log()
    torch.testing.assert_close(router_z_loss(logits), lse.pow(2).mean())
    router_z_loss(logits).backward()
    assert logits.grad.abs().sum() > 0


def test_route_normalises_and_orders():
    weights, experts = route(torch.log(torch.tensor([[0.1, 0.6, 0.3]])), 2)
    torch.testing.assert_close(weights, torch.tensor([[2 / 3, 1 / 3]]))
    assert experts.tolist() == [[1, 2]]


@pytest.mark.parametrize("kwargs, words", [(dict(top_k=5), "top_k"), (dict(top_k=0), "top_k"),
                                           (dict(n_experts=0), "n_experts")])
def test_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        MoE(**{**dict(n_embd=8, hidden=8, n_experts=4, top_k=2), **kwargs})
