"""The per-token pieces of alignment losses against PyTorch's own cross-entropy and Categorical."""

import pytest
import torch
import torch.nn.functional as F

from minillm.align import entropy, masked_mean, sft_loss, token_logprobs


def batch(seed=0, B=3, T=5, V=11, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(B, T, V, generator=g, dtype=dtype) * 3
    targets = torch.randint(0, V, (B, T), generator=g)
    mask = (torch.rand(B, T, generator=g) > 0.4).to(dtype)
    mask[0, 0] = 1
    return logits, targets, mask


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_token_logprobs_and_entropy_equal_torch(dtype):
    logits, targets, _ = batch(dtype=dtype)
    expected = -F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
    torch.testing.assert_close(token_logprobs(logits, targets), expected)
    torch.testing.assert_close(entropy(logits), torch.distributions.Categorical(logits=logits).entropy())
    assert token_logprobs(logits, targets).dtype == dtype


def test_extremes_stay_finite():
    logits = torch.tensor([[[1e4, -1e4, 0.0]]])
    assert torch.isfinite(token_logprobs(logits, torch.tensor([[1]]))).all()
    assert entropy(logits).item() == pytest.approx(0.0, abs=1e-6)
    assert entropy(torch.zeros(1, 1, 7)).item() == pytest.approx(torch.log(torch.tensor(7.0)).item())


def test_sft_loss_is_cross_entropy_over_the_masked_tokens_only():
    logits, targets, mask = batch()
    ignored = targets.masked_fill(mask == 0, -100)
    torch.testing.assert_close(sft_loss(logits, targets, mask), F.cross_entropy(logits.transpose(1, 2), ignored))


def test_masked_mean_refuses_an_empty_mask():
    assert masked_mean(torch.tensor([1.0, 3.0, 5.0]), torch.tensor([1.0, 0.0, 1.0])).item() == 3.0
    with pytest.raises(ValueError, match="mask"):
        masked_mean(torch.ones(3), torch.zeros(3))
