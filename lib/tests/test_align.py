"""The per-token pieces of alignment losses against PyTorch's own cross-entropy and Categorical; the SFT, DPO and
GRPO losses against hand-derived values (test_align_trl.py checks them against TRL)."""

import math

import pytest
import torch
import torch.nn.functional as F

from minillm.align import (dpo_loss, entropy, group_advantages, grpo_loss, k3_kl, masked_mean, masked_sum_normalise,
                           sft_accumulate, sft_loss, token_logprobs)
from minillm.chat import collate
from minillm.model import GPT, ModelConfig


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


def test_masked_mean_along_a_dim_and_sum_normalisation_by_hand():
    values, mask = torch.tensor([[1.0, 2.0, 6.0], [4.0, 8.0, 5.0]]), torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    torch.testing.assert_close(masked_mean(values, mask, dim=1), torch.tensor([3.5, 8.0]))
    torch.testing.assert_close(masked_sum_normalise(values, mask, 10.0), torch.tensor(1.5))
    torch.testing.assert_close(masked_sum_normalise(values, mask, 2.0, dim=1), torch.tensor([3.5, 4.0]))
    with pytest.raises(ValueError, match="some row"):
        masked_mean(values, torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]), dim=1)
    with pytest.raises(ValueError, match="normaliser"):
        masked_sum_normalise(values, mask, 0)


def tiny_gpt(seed=0):
    torch.manual_seed(seed)
    return GPT(ModelConfig.llama(vocab_size=13, block_size=16, n_layer=1, n_head=2, n_embd=8))


def test_accumulated_sft_gradients_equal_the_whole_batch_at_once():
    g = torch.Generator().manual_seed(3)
    rows = [(torch.randint(0, 13, (n,), generator=g).tolist(), [0] * (n // 2) + [1] * (n - n // 2)) for n in (4, 9, 6, 12)]
    whole = tiny_gpt()
    inputs, targets, mask = collate(rows, 0)
    sft_loss(whole(inputs)[0], targets, mask).backward()
    parts = tiny_gpt()
    calls = []
    parts.register_forward_hook(lambda *_: calls.append(1))
    loss = sft_accumulate(parts, [collate(rows[:1], 0), collate(rows[1:], 0)])  # 3 answer tokens, then 18
    assert len(calls) == 2
    assert loss == pytest.approx(sft_loss(whole(inputs)[0], targets, mask).item(), rel=1e-5)
    for (name, a), b in zip(whole.named_parameters(), parts.parameters()):
        torch.testing.assert_close(b.grad, a.grad, msg=name)


def test_dpo_loss_by_hand():
    # log-ratios: chosen 1.0 - 3.0 = -2, rejected 0.5 - 4.0 = -3.5; margin 1.5; beta 0.2 -> -log sigmoid(0.3)
    loss = dpo_loss(torch.tensor([1.0, -1.0]), torch.tensor([0.5, -1.0]), torch.tensor([3.0, 0.0]),
                    torch.tensor([4.0, 2.0]), beta=0.2)
    second = -math.log(1 / (1 + math.exp(-0.2 * (-1.0 - 0.0 - (-1.0 - 2.0)))))
    assert loss.item() == pytest.approx((-math.log(1 / (1 + math.exp(-0.3))) + second) / 2)
    same = torch.tensor([-2.0], requires_grad=True)
    flat = dpo_loss(same, same, torch.tensor([-1.0]), torch.tensor([-1.0]))
    flat.backward()
    assert flat.item() == pytest.approx(math.log(2)) and same.grad.item() == 0.0
    with pytest.raises(ValueError, match="beta"):
        dpo_loss(same, same, same, same, beta=0.0)


def test_group_advantages_by_hand_and_the_degenerate_groups():
    rewards = torch.tensor([[1.0, 0.0, 0.0, 1.0], [0.5, 0.5, 0.5, 0.5]])
    std = math.sqrt(1 / 3)  # sample std of 1, 0, 0, 1 (Bessel: divide by 3)
    expected = torch.tensor([[0.5, -0.5, -0.5, 0.5], [0.0, 0.0, 0.0, 0.0]])
    torch.testing.assert_close(group_advantages(rewards, scale=False), expected)
    torch.testing.assert_close(group_advantages(rewards), expected / torch.tensor([[std + 1e-4], [1e-4]]))
    assert torch.isfinite(group_advantages(rewards)).all()
    with pytest.raises(ValueError, match="group of one"):
        group_advantages(torch.tensor([[1.0], [0.0]]))


def test_k3_and_grpo_loss_by_hand():
    torch.testing.assert_close(k3_kl(torch.tensor([-1.0, -2.0]), torch.tensor([-1.0, -1.0])),
                               torch.tensor([0.0, math.e - 1 - 1]))
    # one response of two tokens; ratios e^0.5 (clipped at 1.2 for A > 0) and e^-0.5; no KL (ref = policy)
    logp, old = torch.tensor([[-1.0, -2.0, -9.0]]), torch.tensor([[-1.5, -1.5, -9.0]])
    mask = torch.tensor([[1.0, 1.0, 0.0]])
    positive = grpo_loss(logp, old, logp, torch.tensor([2.0]), mask, clip_eps=0.2, beta=0.1)
    assert positive.item() == pytest.approx(-(1.2 * 2 + math.exp(-0.5) * 2) / 2, rel=1e-6)
    negative = grpo_loss(logp, old, logp, torch.tensor([-2.0]), mask, clip_eps=0.2, beta=0.1)
    assert negative.item() == pytest.approx((math.exp(0.5) * 2 + 0.8 * 2) / 2, rel=1e-6)
    ref = torch.tensor([[0.0, -2.0, 5.0]])  # k3 at token 0: e^1 - 1 - 1; token 2 is masked out
    kl = grpo_loss(logp, logp, ref, torch.tensor([0.0]), mask, beta=0.5)
    assert kl.item() == pytest.approx(0.5 * (math.e - 2) / 2, rel=1e-6)
