"""LoRA (Hu et al. 2021): a frozen linear layer plus a trainable low-rank update, W x + (alpha / r) B A x.

A (r, in_features) starts as peft does (kaiming-uniform with a = sqrt(5), torch's nn.Linear default) and
B (out_features, r) starts at zero, so a freshly wrapped model gives exactly the outputs it gave before.

`apply_lora` wraps every linear layer inside the transformer blocks by module replacement: the fused
attention projection `attn.qkv` is wrapped as one layer (one A shared by q, k and v, one B with a row per
q/k/v output; this is what peft does to GPT-2's fused `c_attn`), then `attn.out`, and the MLP's layers.
The embeddings, norms and the language-model head stay frozen and unwrapped.

Adapters are small: `adapter_state_dict` holds only the A and B tensors, and `load_adapter` puts a saved
one back. Several adapters share one frozen base by loading each in turn (e.g. one per task).
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from minillm.quantize import QuantLinear

ADAPTER_KEYS = ("lora_A", "lora_B")


class LoRALinear(nn.Module):
    """base(x) + dropout(x) @ A.T @ B.T * alpha / r, with base frozen; x: (..., in) -> (..., out).

    base: an nn.Linear or a QuantLinear (QLoRA: the adapter trains on top of the quantised weight).
    merge() adds (alpha / r) B A into an nn.Linear base's weight; unmerge() takes it out again.
    """

    def __init__(self, base, r, alpha, dropout=0.0, name="layer"):
        super().__init__()
        check_rank(base, r, name)
        self.base, self.r, self.alpha, self.scaling, self.name = base, r, alpha, alpha / r, name
        for p in base.parameters():
            p.requires_grad_(False)
        weight = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=weight.dtype, device=weight.device))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=weight.dtype, device=weight.device))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.merged = False

    @property
    def in_features(self):
        return self.base.in_features

    @property
    def out_features(self):
        return self.base.out_features

    def delta_weight(self):
        """The update the adapter adds to the base weight: (alpha / r) B A, shape (out, in)."""
        return self.scaling * self.lora_B @ self.lora_A

    def forward(self, x):
        y = self.base(x)
        if self.merged:
            return y
        return y + F.linear(F.linear(self.dropout(x), self.lora_A), self.lora_B) * self.scaling

    def merge(self):
        if self.merged:
            raise ValueError(f"LoRA layer {self.name!r} is already merged")
        if not isinstance(self.base, nn.Linear):
            raise TypeError(f"LoRA layer {self.name!r} has a {type(self.base).__name__} base, which cannot be merged")
        with torch.no_grad():
            self.base.weight += self.delta_weight()
        self.merged = True

    def unmerge(self):
        if not self.merged:
            raise ValueError(f"LoRA layer {self.name!r} is not merged")
        with torch.no_grad():
            self.base.weight -= self.delta_weight()
        self.merged = False

    def extra_repr(self):
        return f"r={self.r}, alpha={self.alpha}, merged={self.merged}"


def check_rank(layer, r, name):
    """Raise unless r is an integer with 1 <= r <= min(in_features, out_features) of layer."""
    limit = min(layer.in_features, layer.out_features)
    if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= limit:
        raise ValueError(f"rank r={r!r} for layer {name!r} must be an integer from 1 to {limit} (its smaller size)")


def lora_targets(model):
    """(name, module) of every linear layer inside model.blocks, in order; LoRALinear layers included."""
    found = []
    for name, module in model.blocks.named_modules(prefix="blocks"):
        if isinstance(module, LoRALinear):
            found.append((name, module))
        elif isinstance(module, (nn.Linear, QuantLinear)) and not name.endswith(".base"):
            found.append((name, module))
    return found


def apply_lora(model, r, alpha, dropout=0.0):
    """Freeze every parameter of a GPT, then wrap each linear layer of its blocks in a LoRALinear.

    Checks every layer before changing any: a layer already wrapped or a rank outside 1 .. min(in, out)
    raises ValueError naming the layer, with the model untouched. Returns the model.
    """
    targets = lora_targets(model)
    for name, module in targets:
        if isinstance(module, LoRALinear):
            raise ValueError(f"layer {name!r} already has LoRA applied")
        check_rank(module, r, name)
    for p in model.parameters():
        p.requires_grad_(False)
    for name, module in targets:
        parent_name, _, child = name.rpartition(".")
        setattr(model.get_submodule(parent_name), child, LoRALinear(module, r, alpha, dropout, name))
    return model


def lora_layers(model):
    """Every LoRALinear in model, in order."""
    return [m for m in model.modules() if isinstance(m, LoRALinear)]


def count_trainable(model):
    """Number of parameters with requires_grad (a tied parameter counts once)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def _merge_all(model, merging):
    layers = lora_layers(model)
    if not layers:
        raise ValueError("the model has no LoRA layers")
    for layer in layers:
        if layer.merged == merging:
            raise ValueError(f"LoRA layer {layer.name!r} is {'already' if merging else 'not'} merged")
        if merging and not isinstance(layer.base, nn.Linear):
            raise TypeError(f"LoRA layer {layer.name!r} has a {type(layer.base).__name__} base, which cannot be merged")
    for layer in layers:
        layer.merge() if merging else layer.unmerge()
    return model


def merge_lora(model):
    """Fold every adapter into its base weight (outputs unchanged); checks all layers before changing any."""
    return _merge_all(model, True)


def unmerge_lora(model):
    """Take every merged adapter back out of its base weight; checks all layers before changing any."""
    return _merge_all(model, False)


def adapter_state_dict(model):
    """The adapters alone: {parameter name: cloned tensor} for every lora_A and lora_B."""
    return {k: v.detach().clone() for k, v in model.state_dict().items() if k.rsplit(".", 1)[-1] in ADAPTER_KEYS}


def load_adapter(model, state):
    """Copy a saved adapter (from adapter_state_dict) into the model's LoRA layers.

    The keys and shapes must match the model's adapters exactly and no layer may be merged; otherwise
    ValueError, with nothing changed.
    """
    current = {k: v for k, v in model.state_dict().items() if k.rsplit(".", 1)[-1] in ADAPTER_KEYS}
    if set(state) != set(current):
        missing, extra = sorted(set(current) - set(state)), sorted(set(state) - set(current))
        raise ValueError(f"adapter keys do not match the model: missing {missing[:3]}, unexpected {extra[:3]}")
    for key, value in state.items():
        if value.shape != current[key].shape:
            raise ValueError(f"adapter {key!r} has shape {tuple(value.shape)}, the model's is {tuple(current[key].shape)}")
    merged = [layer.name for layer in lora_layers(model) if layer.merged]
    if merged:
        raise ValueError(f"unmerge before loading an adapter: layer {merged[0]!r} is merged")
    with torch.no_grad():
        for key, value in state.items():
            current[key].copy_(value)
    return model
