"""peak_memory against allocations whose sizes are known by hand."""

import torch

from minillm.memory import peak_memory, retained_memory


def test_counts_new_storage_once_and_frees_it():
    x = torch.randn(100)  # made before: not counted

    def work():
        a = torch.empty(1000)  # 4000 bytes
        view = a[10:20].view(2, 5)  # a view: no new storage
        b = torch.empty(500, dtype=torch.float64)  # 4000 bytes: peak 8000
        del a, view, b
        return (x * 2).sum()  # 400 bytes, then a 4-byte result

    result, peak = peak_memory(work)
    torch.testing.assert_close(result, (x * 2).sum())
    assert peak == 8000


def test_sees_the_backward_pass():
    q = torch.randn(1, 1, 256, 8, requires_grad=True)
    _, peak = peak_memory(lambda: (q @ q.transpose(-2, -1)).softmax(-1).sum().backward())
    assert peak >= 2 * 256 * 256 * 4  # the scores and the softmax, each (256, 256) float32


def test_views_of_tensors_made_before_are_not_new():
    w = torch.randn(50, 20)  # 4000 bytes, made before
    x = torch.randn(3, 20)
    _, peak = peak_memory(lambda: x @ w.t())  # the transpose is a view of w: only the (3, 50) result is new
    assert peak == 3 * 50 * 4


def test_retained_memory_counts_what_is_still_alive():
    def work():
        scratch = torch.empty(1000)  # freed before the end
        del scratch
        return torch.empty(10, dtype=torch.float64), torch.empty(5)

    (kept, other), retained = retained_memory(work)
    assert retained == 10 * 8 + 5 * 4
