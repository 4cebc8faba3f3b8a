"""The interpretability hooks against transformers' Llama (same random weights), torch.linalg and hand-built cases."""

import math

import numpy as np
import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from minillm import interpret
from minillm.model import GPT, ModelConfig
from test_model import random_weights  # large random weights, norm gains around 1: attention is peaked


@pytest.fixture(scope="module")
def llama_pair():
    config = LlamaConfig(
        vocab_size=37, hidden_size=32, intermediate_size=48, num_hidden_layers=3, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=16, rms_norm_eps=1e-6,
        rope_parameters={"rope_type": "default", "rope_theta": 500.0}, attn_implementation="eager",
    )  # fmt: skip
    hf = random_weights(LlamaForCausalLM(config)).eval()
    return hf, GPT.from_hf_llama(hf).eval()


def test_trace_matches_transformers_attentions_hidden_states_and_gates(llama_pair):
    hf, ours = llama_pair
    idx = torch.randint(0, 37, (2, 11), generator=torch.Generator().manual_seed(1))
    hf_gates = []
    handles = [layer.mlp.act_fn.register_forward_hook(lambda m, a, out: hf_gates.append(out)) for layer in hf.model.layers]
    with torch.no_grad():
        expected = hf(idx, output_attentions=True, output_hidden_states=True)
    for handle in handles:
        handle.remove()
    got = interpret.trace(ours, idx)
    assert len(got.attentions) == len(got.gates) == 3 and len(got.residuals) == 4
    torch.testing.assert_close(got.logits, expected.logits, atol=1e-5, rtol=1e-5)
    for mine, theirs in zip(got.attentions, expected.attentions):
        torch.testing.assert_close(mine, theirs, atol=1e-5, rtol=1e-5)
    # HF's hidden states: the embeddings, the stream after each layer but the last, then the final norm of the last
    for mine, theirs in zip(got.residuals[:3], expected.hidden_states[:3]):
        torch.testing.assert_close(mine, theirs, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(ours.final_norm(got.residuals[3]), expected.hidden_states[3], atol=1e-5, rtol=1e-5)
    for mine, theirs in zip(got.gates, hf_gates):
        torch.testing.assert_close(mine, theirs, atol=1e-5, rtol=1e-5)


def test_trace_removes_its_hooks_and_restores_training_mode(llama_pair):
    _, ours = llama_pair
    ours.train()
    interpret.trace(ours, torch.zeros(1, 4, dtype=torch.long))
    assert ours.training
    ours.eval()
    modules = [ours.blocks[0], *ours.blocks, *(b.mlp.w1 for b in ours.blocks)]
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in modules)
    with pytest.raises(ValueError, match="block_size"):
        interpret.trace(ours, torch.zeros(1, 17, dtype=torch.long))
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in modules)


def test_gpt2_models_have_no_gates():
    model = GPT(ModelConfig.gpt2(vocab_size=20, block_size=8, n_layer=2, n_head=2, n_embd=8))
    got = interpret.trace(model, torch.zeros(1, 5, dtype=torch.long))
    assert got.gates == [] and len(got.residuals) == 3
    with pytest.raises(ValueError, match="SwiGLU"):
        interpret.gate_activity(got.gates)


def test_logit_lens_of_the_last_layer_is_the_models_logits(llama_pair):
    _, ours = llama_pair
    idx = torch.randint(0, 37, (2, 9), generator=torch.Generator().manual_seed(2))
    got = interpret.trace(ours, idx)
    lens = interpret.logit_lens(ours, got.residuals)
    assert lens.shape == (4, 2, 9, 37)
    torch.testing.assert_close(lens[-1], ours(idx)[0])
    # layer 0 by hand: the embeddings through the final norm and the head
    torch.testing.assert_close(lens[0], ours.lm_head(ours.final_norm(ours.token_embedding(idx))))


def test_target_rank_by_hand():
    logits = torch.tensor([[0.5, 2.0, -1.0, 2.0], [3.0, 1.0, 0.0, 4.0]])
    ranks = interpret.target_rank(logits, torch.tensor([1, 2]))
    assert ranks.tolist() == [0, 3] and ranks.dtype == torch.int64  # a tie with the top does not lower the rank


def test_entropy_of_uniform_one_hot_and_masked_rows():
    uniform = torch.full((2, 5), 1 / 5, dtype=torch.float64)
    torch.testing.assert_close(interpret.attention_entropy(uniform), torch.full((2,), math.log(5), dtype=torch.float64))
    causal = torch.tril(torch.ones(4, 4))
    causal = causal / causal.sum(-1, keepdim=True)  # row i uniform over i + 1 keys, zeros on the future
    torch.testing.assert_close(interpret.attention_entropy(causal), torch.log(torch.arange(1.0, 5.0)))
    assert interpret.attention_entropy(torch.eye(3)).tolist() == [0.0, 0.0, 0.0]


def test_a_hand_built_previous_token_head_is_found():
    T = 6
    previous = torch.zeros(T, T)
    previous[0, 0] = 1
    previous[torch.arange(1, T), torch.arange(T - 1)] = 1
    first = torch.zeros(T, T)
    first[:, 0] = 1
    uniform = torch.tril(torch.ones(T, T))
    uniform = uniform / uniform.sum(-1, keepdim=True)
    layer0 = torch.stack([uniform, previous])[None].repeat(2, 1, 1, 1)  # (B=2, H=2, T, T)
    layer1 = torch.stack([first, uniform])[None].repeat(2, 1, 1, 1)
    torch.testing.assert_close(interpret.previous_token_score(layer0), torch.tensor([sum(1 / i for i in range(2, T + 1)) / (T - 1), 1.0]))
    assert interpret.previous_token_heads([layer0, layer1]) == [(0, 1)]
    torch.testing.assert_close(interpret.first_token_attention(layer1), torch.tensor([1.0, sum(1 / i for i in range(1, T + 1)) / T]))
    with pytest.raises(ValueError, match="2 tokens"):
        interpret.previous_token_score(torch.ones(1, 1, 1, 1))


def test_gate_activity_counts_values_above_the_threshold():
    gates = [torch.tensor([[[0.0, 0.2, 0.05, 1.0]]]), torch.tensor([[[-0.2, 0.1, 0.11, 0.3]]])]
    torch.testing.assert_close(interpret.gate_activity(gates, threshold=0.1), torch.tensor([0.5, 0.5]))


def test_pca_finds_a_known_axis_and_matches_svd():
    g = torch.Generator().manual_seed(0)
    axis = torch.tensor([3.0, 4.0, 0.0]) / 5
    noise = torch.randn(500, 3, generator=g, dtype=torch.float64) * torch.tensor([0.1, 0.3, 0.6], dtype=torch.float64)
    x = 10 * torch.randn(500, 1, generator=g, dtype=torch.float64) * axis.double() + noise + torch.tensor([5.0, -2, 7])
    components, explained, projected = interpret.pca(x, 2)
    torch.testing.assert_close(components[0], axis.double(), atol=5e-3, rtol=0)
    assert explained[0] > 0.99 and explained.sum() <= 1
    # against numpy's eigen-decomposition of the covariance matrix (eigenvalues ascending)
    values, vectors = np.linalg.eigh(np.cov(x.numpy().T))
    np.testing.assert_allclose(explained.numpy(), (values[::-1] / values.sum())[:2], rtol=1e-10)
    np.testing.assert_allclose(components.abs().numpy(), np.abs(vectors[:, ::-1][:, :2].T), atol=1e-10)
    torch.testing.assert_close(projected, (x - x.mean(0)) @ components.T)
    with pytest.raises(ValueError, match="k must"):
        interpret.pca(x, 4)


def test_patching_everything_recovers_the_clean_run_and_nothing_recovers_nothing(llama_pair):
    _, ours = llama_pair
    g = torch.Generator().manual_seed(3)
    clean, corrupted = torch.randint(0, 37, (2, 8), generator=g), torch.randint(0, 37, (2, 8), generator=g)
    clean_trace, corrupted_logits = interpret.trace(ours, clean), ours(corrupted)[0]
    for layer in range(3):
        everything = interpret.patch_residual(ours, corrupted, clean_trace.residuals[layer + 1], layer, range(8))
        torch.testing.assert_close(everything, clean_trace.logits)
        nothing = interpret.patch_residual(ours, corrupted, clean_trace.residuals[layer + 1], layer, [])
        torch.testing.assert_close(nothing, corrupted_logits)
    # at the last layer only the patched position changes: the logits there are the clean ones
    last = interpret.patch_residual(ours, corrupted, clean_trace.residuals[3], 2, [5])
    torch.testing.assert_close(last[:, 5], clean_trace.logits[:, 5])
    torch.testing.assert_close(last[:, :5], corrupted_logits[:, :5])
    # a patch at position 5 cannot reach earlier positions (causal)
    early = interpret.patch_residual(ours, corrupted, clean_trace.residuals[1], 0, [5])
    torch.testing.assert_close(early[:, :5], corrupted_logits[:, :5])
    assert not torch.allclose(early[:, 5:], corrupted_logits[:, 5:])
    diffs = [interpret.logit_difference(x, 3, 4) for x in (everything, clean_trace.logits, corrupted_logits)]
    torch.testing.assert_close(interpret.recovery(*diffs), torch.ones(2))
    torch.testing.assert_close(interpret.recovery(diffs[2], diffs[1], diffs[2]), torch.zeros(2))
    with pytest.raises(ValueError, match="layer"):
        interpret.patch_residual(ours, corrupted, clean_trace.residuals[1], 3, [0])
