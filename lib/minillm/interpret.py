"""Looking inside a course GPT (week 13): capture what each layer computes, and the statistics read from it.

`trace` runs the model once with forward hooks and returns a `Trace`: the residual stream before the first block
and after every block, each layer's attention probabilities and each SwiGLU layer's gate silu(w1 h). The
model's code is not changed; the hooks are removed when the run ends, even if it fails. On top of a trace:
attention entropy, attention to the first token and previous-token scores per head; the logit lens (the final
norm and unembedding applied to every residual stream) and the rank of the correct token; gate activity; a
PCA; and activation patching (a clean run's residual stream written into a corrupted run).

Shapes: B batch, T tokens, C = n_embd, H = n_head, L = n_layer, F = the SwiGLU hidden size, V = vocab_size.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from minillm.model import SwiGLU


@dataclass
class Trace:
    """One forward pass, layer by layer.

    logits (B, T, V); residuals: L + 1 tensors (B, T, C), [0] the embeddings entering block 0 and [i + 1] the
    stream leaving block i (so residuals[L] is what the final norm sees); attentions: L tensors (B, H, T, T),
    row i = query i's softmax over keys 0 .. T - 1 (zero on the future); gates: L tensors (B, T, F) of
    silu(w1 mlp_norm(x)), empty when the MLPs are not SwiGLU.
    """

    logits: torch.Tensor
    residuals: list
    attentions: list
    gates: list


@contextmanager
def hooks(handles):
    """Remove every hook handle in `handles` (a list filled inside the block) when the block ends."""
    try:
        yield handles
    finally:
        for handle in handles:
            handle.remove()


def _check_layer(model, layer):
    n_layer = len(model.blocks)
    if not isinstance(layer, int) or not 0 <= layer < n_layer:
        raise ValueError(f"layer must be an int in 0 .. {n_layer - 1} (the model has {n_layer} blocks), got {layer!r}")


@torch.no_grad()
def trace(model, idx):
    """Run `model` (a minillm GPT) on idx (B, T) in eval mode and return its Trace; training mode is restored."""
    residuals, gates = [], []
    was_training = model.training
    model.eval()
    with hooks([]) as handles:
        handles.append(model.blocks[0].register_forward_pre_hook(lambda module, args: residuals.append(args[0])))
        for block in model.blocks:
            handles.append(block.register_forward_hook(lambda module, args, output: residuals.append(output[0])))
            if isinstance(block.mlp, SwiGLU):
                handles.append(block.mlp.w1.register_forward_hook(lambda m, args, out: gates.append(F.silu(out))))
        try:
            logits, _, attentions = model(idx, return_attentions=True)
        finally:
            model.train(was_training)
    return Trace(logits, residuals, list(attentions), gates)


def attention_entropy(probs):
    """Entropy in nats of each attention row: probs (..., T_q, T_k) -> (..., T_q), with 0 log 0 = 0.

    A row spread evenly over n keys has entropy log(n); a row on one key has 0.
    """
    return -torch.where(probs > 0, probs * probs.log(), torch.zeros_like(probs)).sum(dim=-1)


def first_token_attention(probs):
    """Mean attention paid to key 0: probs (B, H, T, T) -> (H,), averaged over the batch and every query."""
    return probs[..., 0].mean(dim=(0, 2))


def previous_token_score(probs):
    """Mean attention from query i to key i - 1 over queries 1 .. T - 1 and the batch: (B, H, T, T) -> (H,).

    1 for a head that always looks at the previous token; needs T >= 2.
    """
    if probs.size(-1) < 2:
        raise ValueError(f"previous_token_score needs at least 2 tokens, got T = {probs.size(-1)}")
    return probs.diagonal(offset=-1, dim1=-2, dim2=-1).mean(dim=(0, 2))


def previous_token_heads(attentions, threshold=0.5):
    """(layer, head) pairs whose previous_token_score exceeds threshold, in order; attentions as Trace's."""
    return [(layer, head) for layer, probs in enumerate(attentions)
            for head, score in enumerate(previous_token_score(probs).tolist()) if score > threshold]


@torch.no_grad()
def logit_lens(model, residuals):
    """The final norm and unembedding applied to each residual stream: L + 1 tensors (B, T, C) -> (L + 1, B, T, V).

    The last entry is the model's own logits ("interpreting GPT: the logit lens", nostalgebraist, 2020).
    """
    return torch.stack([model.lm_head(model.final_norm(r)) for r in residuals])


def target_rank(logits, targets):
    """0-based rank of each target among the logits: (..., V) and (...) int -> (...) int64.

    Rank = how many tokens have a strictly larger logit; 0 means the target is the top prediction.
    """
    chosen = logits.gather(-1, targets.unsqueeze(-1))
    return (logits > chosen).sum(dim=-1)


def gate_activity(gates, threshold=0.1):
    """Fraction of SwiGLU gate values silu(w1 h) above threshold, per layer: L tensors (B, T, F) -> (L,) float."""
    if not gates:
        raise ValueError("no gates: the model's MLPs are not SwiGLU (trace records gates for mlp='swiglu' only)")
    return torch.stack([(g > threshold).float().mean() for g in gates])


def pca(x, k):
    """Principal components of the rows of x (N, C): (components (k, C), explained (k,), projected (N, k)).

    Rows are centred; components are unit rows, by decreasing variance, each with its largest-magnitude entry
    positive (an SVD's signs are arbitrary); explained is each one's share of the total variance; projected is
    the centred rows in the component basis.
    """
    if x.dim() != 2:
        raise ValueError(f"x must be (N, C), got shape {tuple(x.shape)}")
    if not isinstance(k, int) or not 1 <= k <= min(x.shape):
        raise ValueError(f"k must be an int in 1 .. {min(x.shape)} for x of shape {tuple(x.shape)}, got {k!r}")
    centred = x - x.mean(dim=0)
    _, s, vh = torch.linalg.svd(centred, full_matrices=False)
    components = vh[:k]
    signs = components.gather(1, components.abs().argmax(dim=1, keepdim=True)).sign()
    components = components * signs
    variance = s**2
    return components, variance[:k] / variance.sum(), centred @ components.T


@torch.no_grad()
def patch_residual(model, idx, clean_residual, layer, positions):
    """Logits (B, T, V) of model on idx with the stream leaving block `layer` replaced by clean_residual (B, T, C)
    at the given positions (a list of ints; [] patches nothing). clean_residual: Trace.residuals[layer + 1] of
    the clean run."""
    _check_layer(model, layer)
    positions = list(positions)

    def replace(module, args, output):
        x = output[0].clone()
        x[:, positions] = clean_residual[:, positions]
        return (x, *output[1:])

    was_training = model.training
    model.eval()
    with hooks([model.blocks[layer].register_forward_hook(replace)]):
        try:
            logits, _ = model(idx)
        finally:
            model.train(was_training)
    return logits


def logit_difference(logits, good, bad):
    """logits[..., -1, good] - logits[..., -1, bad] at the last position: (B, T, V) -> (B,)."""
    return logits[:, -1, good] - logits[:, -1, bad]


def recovery(patched, clean, corrupted):
    """(patched - corrupted) / (clean - corrupted): 0 when patching restored nothing, 1 when all of it."""
    return (patched - corrupted) / (clean - corrupted)
