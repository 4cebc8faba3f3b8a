"""Peak tensor memory of a piece of code, on any device (CPU included), by watching every allocation.

`peak_memory(fn)` runs fn under a TorchDispatchMode that sees each operation's outputs: a storage not seen
before adds its bytes to the live total, and a weak reference releases them when the storage is freed. The
peak of that total is the memory fn needed beyond what existed before it ran (its inputs, the weights).
Views share their base's storage and are counted once; an output in an input's storage (a view, an in-place
result) is not new, so a view of a weight made before fn (the `w.t()` inside a linear layer) is not counted;
memory allocated outside PyTorch's operators is not seen. `retained_memory(fn)` counts what fn allocated and
left alive when it returned: the activations a forward pass keeps for backward, while its loss lives.
"""

import weakref

import torch

from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves


class _Tracker(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.live = self.peak = 0
        self._seen = {}  # data pointer of a live storage -> a weak reference to it

    def _release(self, ref, key, nbytes):
        self.live -= nbytes
        if self._seen.get(key) is ref:
            del self._seen[key]

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        inputs = {t.untyped_storage().data_ptr() for t in tree_leaves((args, kwargs)) if isinstance(t, torch.Tensor)}
        for t in tree_leaves(out):
            if not hasattr(t, "untyped_storage"):
                continue
            storage = t.untyped_storage()
            key, nbytes = storage.data_ptr(), storage.nbytes()
            seen = self._seen.get(key)
            if nbytes == 0 or key in inputs or (seen is not None and seen() is storage):
                continue
            self._seen[key] = weakref.ref(storage, lambda ref, key=key, nbytes=nbytes: self._release(ref, key, nbytes))
            self.live += nbytes
            self.peak = max(self.peak, self.live)
        return out


def peak_memory(fn, *args, **kwargs):
    """Run fn(*args, **kwargs) -> (its result, the peak bytes of tensor storage it allocated while running)."""
    with _Tracker() as tracker:
        result = fn(*args, **kwargs)
    return result, tracker.peak


def retained_memory(fn, *args, **kwargs):
    """Run fn(*args, **kwargs) -> (its result, the bytes of tensor storage it allocated that are alive when it returns)."""
    with _Tracker() as tracker:
        result = fn(*args, **kwargs)
    return result, tracker.live
