"""functional.py against F.softmax, F.log_softmax and F.cross_entropy, including huge logits."""

import pytest
import torch
import torch.nn.functional as F

from minillm import functional


@pytest.mark.parametrize("shape, dim", [((5,), -1), ((3, 7), -1), ((2, 4, 6), 1), ((2, 3, 1), -1)])
@pytest.mark.parametrize("seed", [0, 1])
def test_softmax_and_log_softmax_equal_pytorch(shape, dim, seed):
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed)) * 5
    torch.testing.assert_close(functional.softmax(x, dim), F.softmax(x, dim))
    torch.testing.assert_close(functional.log_softmax(x, dim), F.log_softmax(x, dim))


@pytest.mark.parametrize("scale", [1e4, 1e30])
def test_huge_logits_stay_finite_and_equal_pytorch(scale):
    x = torch.tensor([[1.0, -1.0, 0.5, 0.0], [0.0, 0.0, 0.0, 1.0]], dtype=torch.float32) * scale
    probs = functional.softmax(x)
    log_probs = functional.log_softmax(x)
    assert torch.isfinite(probs).all(), "softmax overflowed: subtract the row max before exp()"
    assert torch.isfinite(log_probs).all(), "log_softmax overflowed: use x - max - log(sum(exp(x - max)))"
    torch.testing.assert_close(probs, F.softmax(x, -1))
    torch.testing.assert_close(log_probs, F.log_softmax(x, -1))
    targets = torch.tensor([1, 2])
    for smoothing in (0.0, 0.1):
        ours = functional.cross_entropy(x, targets, label_smoothing=smoothing)
        assert torch.isfinite(ours), f"cross_entropy is not finite for logits of size {scale}"
        torch.testing.assert_close(ours, F.cross_entropy(x, targets, label_smoothing=smoothing))


def test_masked_logits_get_zero_probability():
    x = torch.tensor([[0.0, float("-inf"), 1.0]])
    torch.testing.assert_close(functional.softmax(x), F.softmax(x, -1))
    assert functional.softmax(x)[0, 1] == 0


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("ignore", [False, True])
def test_cross_entropy_equals_pytorch_with_gradients(smoothing, ignore):
    gen = torch.Generator().manual_seed(3)
    logits = torch.randn(2, 5, 11, generator=gen) * 3
    targets = torch.randint(0, 11, (2, 5), generator=gen)
    if ignore:
        targets[0, :3] = -100
        targets[1, 4] = -100
    ours_in = logits.clone().requires_grad_()
    ref_in = logits.clone().requires_grad_()
    ours = functional.cross_entropy(ours_in, targets, label_smoothing=smoothing)
    ref = F.cross_entropy(ref_in.view(-1, 11), targets.view(-1), label_smoothing=smoothing)
    torch.testing.assert_close(ours, ref, msg="loss differs from F.cross_entropy: mean over kept targets only?")
    ours.backward()
    ref.backward()
    torch.testing.assert_close(ours_in.grad, ref_in.grad)


def test_cross_entropy_custom_ignore_index_and_hand_value():
    logits = torch.log(torch.tensor([[0.5, 0.25, 0.25], [0.1, 0.2, 0.7]]))
    targets = torch.tensor([0, 7])
    loss = functional.cross_entropy(logits, targets, ignore_index=7)
    torch.testing.assert_close(loss, torch.log(torch.tensor(2.0)))  # only -log(0.5) counts


def test_cross_entropy_all_ignored_is_nan_like_pytorch():
    logits = torch.randn(3, 4)
    targets = torch.full((3,), -100)
    assert torch.isnan(functional.cross_entropy(logits, targets))
    assert torch.isnan(F.cross_entropy(logits, targets))


def test_cross_entropy_rejects_bad_input():
    logits = torch.randn(2, 3, 5)
    with pytest.raises(ValueError, match="targets shape"):
        functional.cross_entropy(logits, torch.zeros(2, 4, dtype=torch.long))
    with pytest.raises(TypeError, match="targets"):
        functional.cross_entropy(logits, torch.zeros(2, 3))
    with pytest.raises(TypeError, match="logits"):
        functional.cross_entropy(torch.zeros(2, 3, 5, dtype=torch.long), torch.zeros(2, 3, dtype=torch.long))
    with pytest.raises(ValueError, match=r"targets must be in \[0, 5\)"):
        functional.cross_entropy(logits, torch.full((2, 3), 5))
    with pytest.raises(ValueError, match="label_smoothing"):
        functional.cross_entropy(logits, torch.zeros(2, 3, dtype=torch.long), label_smoothing=1.5)
