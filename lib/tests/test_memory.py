"""peak_memory against allocations whose sizes are known by hand."""

import torch

from minillm.memory import peak_memory


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
