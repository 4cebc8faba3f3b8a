"""The three attention implementations against torch's F.scaled_dot_product_attention, outputs and gradients."""

import pytest
import torch
import torch.nn.functional as F

from minillm.attention import attention, causal_mask, flash_attention, naive_attention, sdpa_attention

IMPLEMENTATIONS = {
    "naive": naive_attention,
    "sdpa": sdpa_attention,
    "flash": lambda *args, **kwargs: flash_attention(*args, block_q=3, block_k=4, **kwargs),  # ragged tiles
    "flash-one-tile": flash_attention,
}

# (n_head, n_kv_head, t_q, t_k, mask kind)
CASES = {
    "no mask": (4, 4, 7, 7, None),
    "causal": (4, 4, 9, 9, "causal"),
    "bool mask": (4, 4, 6, 11, "bool"),
    "additive mask": (4, 4, 6, 11, "additive"),
    "broadcast bool mask": (4, 4, 5, 5, "bool (T_q, T_k)"),
    "gqa 2 groups, causal": (4, 2, 8, 8, "causal"),
    "gqa one kv head, bool mask": (4, 1, 5, 9, "bool"),
    "q shorter than k, causal": (2, 2, 3, 10, "causal"),
    "single query after a cache, causal": (4, 2, 1, 10, "causal"),
    "single token, causal": (2, 2, 1, 1, "causal"),
}


def make_inputs(n_head, n_kv_head, t_q, t_k, kind, batch=2, head_dim=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(batch, n_head, t_q, head_dim, generator=g, requires_grad=True)
    k = torch.randn(batch, n_kv_head, t_k, head_dim, generator=g, requires_grad=True)
    v = torch.randn(batch, n_kv_head, t_k, head_dim, generator=g, requires_grad=True)
    visible = torch.rand(batch, 1, t_q, t_k, generator=g) < 0.4
    visible[..., -1] = True  # every row sees a key, but whole leading tiles of a row may be hidden
    mask = {
        None: None,
        "causal": None,
        "bool": visible,
        "bool (T_q, T_k)": visible[0, 0],
        "additive": torch.randn(batch, 1, t_q, t_k, generator=g).masked_fill(~visible, float("-inf")),
    }[kind]
    return q, k, v, mask


def reference(q, k, v, mask, is_causal):
    """torch's own kernel on explicit full-size tensors: heads repeated, causal mask aligned to the end."""
    group = q.size(1) // k.size(1)
    k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
    if is_causal:
        t_q, t_k = q.size(2), k.size(2)
        mask = torch.arange(t_k)[None, :] <= torch.arange(t_q)[:, None] + (t_k - t_q)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", IMPLEMENTATIONS)
def test_matches_torch_outputs_and_gradients(name, case):
    *shape, kind = CASES[case]
    q, k, v, mask = make_inputs(*shape, kind)
    is_causal = kind == "causal"
    out = IMPLEMENTATIONS[name](q, k, v, mask=mask, is_causal=is_causal)
    expected = reference(q, k, v, mask, is_causal)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=1e-5, msg=f"{name} output differs ({case})")

    upstream = torch.randn_like(out)
    grads = torch.autograd.grad((out * upstream).sum(), (q, k, v))
    expected_grads = torch.autograd.grad((expected * upstream).sum(), (q, k, v))
    for which, grad, expected_grad in zip("qkv", grads, expected_grads):
        torch.testing.assert_close(grad, expected_grad, atol=1e-5, rtol=1e-5, msg=f"{name} d{which} ({case})")


def test_causal_mask_is_aligned_to_the_end():
    expected = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]], dtype=torch.bool)
    assert torch.equal(causal_mask(2, 4), expected)
    assert torch.equal(causal_mask(3, 3), torch.ones(3, 3, dtype=torch.bool).tril())


def test_naive_returns_softmax_weights():
    q, k, v, _ = make_inputs(2, 1, 5, 5, "causal")
    out, weights = naive_attention(q, k, v, is_causal=True, return_weights=True)
    assert weights.shape == (2, 2, 5, 5)
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 2, 5))
    assert (weights.triu(diagonal=1) == 0).all(), "a query attended to a later key"
    torch.testing.assert_close(weights @ v.repeat_interleave(2, dim=1), out)


@pytest.mark.parametrize("name", ["naive", "sdpa", "flash"])
def test_dispatch_by_name(name):
    q, k, v, _ = make_inputs(4, 2, 6, 6, "causal")
    out = attention(q, k, v, is_causal=True, implementation=name)
    torch.testing.assert_close(out, reference(q, k, v, None, True))


def test_dropout_changes_the_output_only_when_asked():
    q, k, v, _ = make_inputs(2, 2, 6, 6, None)
    for name in ("naive", "sdpa", "flash"):
        torch.manual_seed(0)
        dropped = attention(q, k, v, dropout_p=0.5, implementation=name)
        assert not torch.allclose(dropped, reference(q, k, v, None, False)), name


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(is_causal=True, mask=torch.ones(4, 4, dtype=torch.bool)), ValueError, "not both"),
        (dict(mask=torch.ones(4, 4, dtype=torch.long)), TypeError, "mask"),
        (dict(dropout_p=1.0), ValueError, "dropout_p"),
        (dict(implementation="fast"), ValueError, "implementation"),
    ],
)
def test_bad_arguments(kwargs, error, words):
    q, k, v, _ = make_inputs(2, 2, 4, 4, None)
    with pytest.raises(error, match=words):
        attention(q, k, v, **kwargs)


def test_bad_shapes():
    q, k, v, _ = make_inputs(3, 2, 4, 4, None)
    with pytest.raises(ValueError, match="multiple"):
        naive_attention(q, k, v)
    with pytest.raises(ValueError, match="q must be a 4-D"):
        sdpa_attention(q[0], k, v)
    with pytest.raises(ValueError, match="k and v"):
        flash_attention(q, k, v[:, :1])
    with pytest.raises(ValueError, match="block_q"):
        flash_attention(q, k[:, :1], v[:, :1], block_q=0)


@pytest.mark.parametrize("is_causal", [False, True])
@pytest.mark.parametrize("t_q, t_k, block_q, block_k", [(13, 13, 4, 5), (7, 19, 3, 8), (1, 9, 2, 2), (10, 10, 16, 16)])
def test_flash_lse_and_float64_gradients(is_causal, t_q, t_k, block_q, block_k):
    g = torch.Generator().manual_seed(t_q * t_k)
    q, k, v = (torch.randn(2, 3, t, 6, dtype=torch.float64, generator=g, requires_grad=True) for t in (t_q, t_k, t_k))
    out, lse = flash_attention(q, k, v, is_causal=is_causal, block_q=block_q, block_k=block_k, return_lse=True)
    assert out.dtype == lse.dtype == torch.float64 and lse.shape == (2, 3, t_q)
    _, weights = naive_attention(q, k, v, is_causal=is_causal, return_weights=True)
    scores = q @ k.transpose(-2, -1) / 6**0.5
    if is_causal:
        scores = scores.masked_fill(~causal_mask(t_q, t_k), float("-inf"))
    torch.testing.assert_close(lse, scores.logsumexp(-1))
    expected = reference(q, k, v, None, is_causal)
    torch.testing.assert_close(out, expected)
    upstream = torch.randn(out.shape, dtype=torch.float64, generator=g)
    grads = torch.autograd.grad((out * upstream).sum(), (q, k, v))
    for grad, expected_grad in zip(grads, torch.autograd.grad((expected * upstream).sum(), (q, k, v))):
        torch.testing.assert_close(grad, expected_grad)


def test_flash_saves_no_score_matrix():
    q, k, v, _ = make_inputs(2, 2, 32, 32, None)
    out = flash_attention(q, k, v, is_causal=True, block_q=8, block_k=8)
    assert all(t is None or t.numel() < 32 * 32 * 2 * 2 for t in out.grad_fn.saved_tensors)


def test_flash_dropout_backward_replays_its_masks():
    g = torch.Generator().manual_seed(1)
    q, k, v = (torch.randn(1, 2, t, 4, dtype=torch.float64, generator=g, requires_grad=True) for t in (5, 7, 7))

    def dropped(q, k, v):
        torch.manual_seed(0)  # the same masks on every call
        return flash_attention(q, k, v, dropout_p=0.3, block_q=2, block_k=3)

    assert torch.autograd.gradcheck(dropped, (q, k, v))
