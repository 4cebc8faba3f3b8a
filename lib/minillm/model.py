"""A GPT that is GPT-2 or Llama-shaped by configuration, and loads either family's weights from transformers.

`ModelConfig` chooses the pieces: learned or rotary positions, LayerNorm or RMSNorm, a GELU or SwiGLU MLP,
biases or none, tied embeddings or not, full or grouped-query attention and which attention implementation
runs (see minillm.attention). `ModelConfig.gpt2(...)` and `ModelConfig.llama(...)` are the two presets.

State-dict keys of `GPT` (C = n_embd, V = vocab_size, D = C // n_head, H_kv = kv_heads, F = mlp_hidden_dim):

    token_embedding.weight          (V, C)
    position_embedding.weight       (block_size, C)              positions="learned" only
    blocks.{i}.attn_norm.weight     (C,)   .bias (C,)            bias only for norm="layernorm" and bias=True
    blocks.{i}.attn.qkv.weight      ((n_head + 2 * H_kv) * D, C) rows: all query heads, then keys, then values
    blocks.{i}.attn.qkv.bias        ((n_head + 2 * H_kv) * D,)   bias=True only (as every .bias below)
    blocks.{i}.attn.out.weight      (C, C)  .bias (C,)
    blocks.{i}.mlp_norm.weight      (C,)    .bias (C,)
    blocks.{i}.mlp.fc.weight        (F, C)  .bias (F,)           mlp="gelu": proj(gelu(fc x))
    blocks.{i}.mlp.proj.weight      (C, F)  .bias (C,)
    blocks.{i}.mlp.w1.weight        (F, C)  .bias (F,)           mlp="swiglu": w2(silu(w1 x) * w3 x)
    blocks.{i}.mlp.w2.weight        (C, F)  .bias (C,)
    blocks.{i}.mlp.w3.weight        (F, C)  .bias (F,)
    blocks.{i}.mlp.router.weight    (n_experts, C)               n_experts set: minillm.moe.MoE's keys
    blocks.{i}.mlp.experts.{e}.w1.weight, .w2.weight, .w3.weight  as mlp="swiglu"'s, one set per expert
    final_norm.weight               (C,)    .bias (C,)
    lm_head.weight                  (V, C)                       token_embedding.weight itself when tied

With positions="rope", each query and key head is rotated in interleaved pairs (x0, x1), (x2, x3), ... as in
the RoFormer paper; HF Llama rotates half-split pairs (x_i, x_{i+D/2}), so `GPT.from_hf_llama` reorders the
rows of its q and k projections.
"""

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

from minillm.attention import IMPLEMENTATIONS, attention, causal_mask, naive_attention

SWIGLU_MULTIPLE = 64  # the default SwiGLU hidden size is a multiple of this (Llama: 256, too big for tiny models)

CHOICES = {
    "positions": ("learned", "rope"),
    "norm": ("layernorm", "rmsnorm"),
    "mlp": ("gelu", "swiglu"),
    "gelu_approximate": ("tanh", "none"),
    "attention": tuple(IMPLEMENTATIONS),
    "causal_mask": ("implicit", "explicit"),
}


@dataclass
class ModelConfig:
    """Sizes and architecture choices. The defaults are GPT-2 small; the presets keep those sizes unless told.

    n_kv_head=None means n_head (plain multi-head attention); mlp_hidden=None means 4 * n_embd for "gelu" and
    2/3 * 4 * n_embd rounded up to a multiple of SWIGLU_MULTIPLE for "swiglu" (about the same parameter
    count: SwiGLU has three matrices). Read the values in use from `kv_heads` and `mlp_hidden_dim`.
    causal_mask="explicit" builds the boolean mask and passes it to attention; "implicit" passes is_causal=True.
    n_experts (mlp="swiglu" only) replaces each block's MLP by a minillm.moe.MoE of n_experts SwiGLU experts of
    size mlp_hidden_dim, experts_top_k of them per token; each block keeps its router logits in `router_logits`
    for the auxiliary losses (see GPT.router_logits).
    gelu_approximate: F.gelu's `approximate` for mlp="gelu": "tanh" as GPT-2 was trained, "none" the exact
    erf form (nanoGPT's nn.GELU(); its forward pass is several times cheaper than "tanh" on CPU).
    gradient_checkpointing (week 11): while gradients are recorded, each block keeps only its input for the
    backward pass and runs its forward again there (torch.utils.checkpoint): the same gradients, with one
    block's activations alive at a time instead of every block's. Ignored with a KV cache or attention weights.
    """

    vocab_size: int = 50257
    block_size: int = 1024
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    n_kv_head: int | None = None
    positions: str = "learned"
    norm: str = "layernorm"
    mlp: str = "gelu"
    gelu_approximate: str = "tanh"
    bias: bool = True
    tie_embeddings: bool = True
    dropout: float = 0.0
    attention: str = "sdpa"
    causal_mask: str = "implicit"
    mlp_hidden: int | None = None
    n_experts: int | None = None
    experts_top_k: int = 2
    rope_theta: float = 10000.0
    norm_eps: float = 1e-5
    gradient_checkpointing: bool = False

    def __post_init__(self):
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd", "n_kv_head", "mlp_hidden", "n_experts"):
            value = getattr(self, name)
            optional = name in ("n_kv_head", "mlp_hidden", "n_experts")
            if not (optional and value is None) and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")
        if self.n_head % self.kv_heads:
            raise ValueError(f"n_head ({self.n_head}) must be divisible by n_kv_head ({self.n_kv_head})")
        if self.n_experts is not None:
            if self.mlp != "swiglu":
                raise ValueError(f"n_experts needs mlp='swiglu' (the experts are SwiGLU MLPs), got {self.mlp!r}")
            if not isinstance(self.experts_top_k, int) or not 1 <= self.experts_top_k <= self.n_experts:
                raise ValueError(f"experts_top_k must be between 1 and n_experts ({self.n_experts}), "
                                 f"got {self.experts_top_k!r}")
        if self.positions == "rope" and self.head_dim % 2:
            raise ValueError(f"positions='rope' needs an even head size n_embd // n_head, got {self.head_dim}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.rope_theta <= 0 or self.norm_eps <= 0:
            raise ValueError(f"rope_theta and norm_eps must be positive, got {self.rope_theta}, {self.norm_eps}")

    @property
    def head_dim(self):
        return self.n_embd // self.n_head

    @property
    def kv_heads(self):
        return self.n_head if self.n_kv_head is None else self.n_kv_head

    @property
    def mlp_hidden_dim(self):
        if self.mlp_hidden is not None:
            return self.mlp_hidden
        if self.mlp == "gelu":
            return 4 * self.n_embd
        return SWIGLU_MULTIPLE * math.ceil(int(2 * 4 * self.n_embd / 3) / SWIGLU_MULTIPLE)

    @classmethod
    def gpt2(cls, **overrides):
        """GPT-2: learned positions, LayerNorm, GELU MLP, biases, tied embeddings."""
        choices = dict(positions="learned", norm="layernorm", mlp="gelu", bias=True, tie_embeddings=True)
        return cls(**{**choices, **overrides})

    @classmethod
    def llama(cls, **overrides):
        """Llama: rotary positions, RMSNorm, SwiGLU MLP, no biases, separate output matrix."""
        choices = dict(positions="rope", norm="rmsnorm", mlp="swiglu", bias=False, tie_embeddings=False)
        return cls(**{**choices, **overrides})


class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * weight over the last dimension, computed in float32 or better (float64
    stays float64; bf16 and fp16 are upcast). Key: weight (dim,)."""

    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        wide = x.to(torch.promote_types(x.dtype, torch.float32))
        normed = wide * torch.rsqrt(wide.pow(2).mean(dim=-1, keepdim=True) + self.eps)
        return normed.type_as(x) * self.weight


def make_norm(config):
    """The norm the config asks for: nn.LayerNorm (keys weight, bias when config.bias) or RMSNorm."""
    if config.norm == "rmsnorm":
        return RMSNorm(config.n_embd, eps=config.norm_eps)
    return nn.LayerNorm(config.n_embd, eps=config.norm_eps, bias=config.bias)


class MLP(nn.Module):
    """GPT-2's feed-forward: proj(gelu(fc x)); approximate="tanh" is the GELU GPT-2 was trained with.

    Keys: fc.weight (hidden, n_embd), proj.weight (n_embd, hidden), and fc.bias, proj.bias when bias.
    """

    def __init__(self, n_embd, hidden, bias=True, dropout=0.0, approximate="tanh"):
        super().__init__()
        self.fc = nn.Linear(n_embd, hidden, bias=bias)
        self.proj = nn.Linear(hidden, n_embd, bias=bias)
        self.dropout = nn.Dropout(dropout)
        self.approximate = approximate

    def forward(self, x):
        return self.dropout(self.proj(F.gelu(self.fc(x), approximate=self.approximate)))


class SwiGLU(nn.Module):
    """Llama's feed-forward: w2(silu(w1 x) * w3 x); w1 is the gate, w3 the up and w2 the down projection.

    Keys: w1.weight (hidden, n_embd), w3.weight (hidden, n_embd), w2.weight (n_embd, hidden), .bias when bias.
    """

    def __init__(self, n_embd, hidden, bias=False, dropout=0.0):
        super().__init__()
        self.w1 = nn.Linear(n_embd, hidden, bias=bias)
        self.w2 = nn.Linear(hidden, n_embd, bias=bias)
        self.w3 = nn.Linear(n_embd, hidden, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.w2(F.silu(self.w1(x)) * self.w3(x)))


class RotaryEmbedding(nn.Module):
    """Rotary position embedding with interleaved pairs (RoFormer): pair i = (x[2i], x[2i+1]) of a head at
    position m turns by the angle m * theta^(-2i / head_dim). No parameters; cos and sin tables for positions
    0 .. max_positions - 1 are precomputed in float32 (non-persistent buffers, not in the state dict).
    """

    def __init__(self, head_dim, max_positions, theta=10000.0):
        super().__init__()
        inv_freq = 1.0 / theta ** (torch.arange(0, head_dim, 2).float() / head_dim)  # (head_dim / 2,)
        angles = torch.outer(torch.arange(max_positions).float(), inv_freq)  # (max_positions, head_dim / 2)
        self.register_buffer("cos", angles.cos(), persistent=False)
        self.register_buffer("sin", angles.sin(), persistent=False)

    def forward(self, x, start=0):
        """x: (B, H, T, head_dim) at positions start .. start + T - 1 -> rotated, same shape and dtype."""
        t = x.size(-2)
        cos = self.cos[start : start + t].to(x.dtype)  # (T, head_dim / 2)
        sin = self.sin[start : start + t].to(x.dtype)
        x0, x1 = x[..., 0::2], x[..., 1::2]
        return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).flatten(-2)


class CausalSelfAttention(nn.Module):
    """Multi-head (or grouped-query) causal self-attention with one fused QKV projection.

    Keys: qkv.weight ((n_head + 2 * kv_heads) * head_dim, n_embd), out.weight (n_embd, n_embd), .bias when bias.
    layer_idx names this layer's slot in a KV cache (see minillm.generate.KVCache).
    """

    def __init__(self, config, layer_idx=0):
        super().__init__()
        self.n_head, self.n_kv_head, self.head_dim = config.n_head, config.kv_heads, config.head_dim
        self.qkv = nn.Linear(config.n_embd, (self.n_head + 2 * self.n_kv_head) * self.head_dim, bias=config.bias)
        self.out = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.rotary = None
        if config.positions == "rope":
            self.rotary = RotaryEmbedding(self.head_dim, config.block_size, config.rope_theta)
        self.dropout = config.dropout
        self.resid_dropout = nn.Dropout(config.dropout)
        self.implementation = config.attention
        self.explicit_mask = config.causal_mask == "explicit"
        self.layer_idx = layer_idx

    def forward(self, x, start=0, kv_cache=None, return_weights=False):
        """x: (B, T, n_embd) at positions start .. start + T - 1 -> (y (B, T, n_embd), weights or None).

        With a kv_cache, this layer's keys and values are appended to it and the queries attend to all of
        them. return_weights computes attention through the naive path and returns its (B, n_head, T, T_k)
        softmax weights.
        """
        B, T, C = x.shape
        q, k, v = self.qkv(x).split([self.n_head * self.head_dim] + [self.n_kv_head * self.head_dim] * 2, dim=-1)
        q = q.view(B, T, self.n_head, self.head_dim).transpose(1, 2)  # (B, n_head, T, head_dim)
        k = k.view(B, T, self.n_kv_head, self.head_dim).transpose(1, 2)  # (B, n_kv_head, T, head_dim)
        v = v.view(B, T, self.n_kv_head, self.head_dim).transpose(1, 2)
        if self.rotary is not None:
            q, k = self.rotary(q, start), self.rotary(k, start)
        if kv_cache is not None:
            k, v = kv_cache.update(self.layer_idx, k, v)  # (B, n_kv_head, start + T, head_dim)
        mask = causal_mask(T, k.size(2), device=x.device) if self.explicit_mask else None
        options = dict(mask=mask, is_causal=mask is None, dropout_p=self.dropout if self.training else 0.0)
        weights = None
        if return_weights:
            y, weights = naive_attention(q, k, v, **options, return_weights=True)
        else:
            y = attention(q, k, v, **options, implementation=self.implementation)
        y = y.transpose(1, 2).reshape(B, T, C)  # heads side by side again
        return self.resid_dropout(self.out(y)), weights


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(norm(x)), then x + mlp(norm(x)).

    Keys: attn_norm.*, attn.*, mlp_norm.*, mlp.* (see the classes above).
    """

    def __init__(self, config, layer_idx=0):
        super().__init__()
        self.attn_norm = make_norm(config)
        self.attn = CausalSelfAttention(config, layer_idx)
        self.mlp_norm = make_norm(config)
        sizes = dict(n_embd=config.n_embd, hidden=config.mlp_hidden_dim, bias=config.bias, dropout=config.dropout)
        self.routed = config.n_experts is not None
        self.router_logits = None  # (B * T, n_experts) of the last forward pass when routed
        if self.routed:
            from minillm.moe import MoE  # minillm.moe builds its experts from this module's SwiGLU

            self.mlp = MoE(config.n_embd, config.mlp_hidden_dim, config.n_experts, config.experts_top_k)
        elif config.mlp == "swiglu":
            self.mlp = SwiGLU(**sizes)
        else:
            self.mlp = MLP(**sizes, approximate=config.gelu_approximate)

    def forward(self, x, start=0, kv_cache=None, return_weights=False):
        """x: (B, T, n_embd) -> (x (B, T, n_embd), attention weights or None); see CausalSelfAttention."""
        attended, weights = self.attn(self.attn_norm(x), start, kv_cache, return_weights)
        x = x + attended
        y = self.mlp(self.mlp_norm(x))
        if self.routed:
            y, self.router_logits = y
        x = x + y
        return x, weights


class GPT(nn.Module):
    """Token embedding (+ learned positions), n_layer blocks, a final norm and the language-model head."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.token_embedding = nn.Embedding(config.vocab_size, config.n_embd)
        self.position_embedding = None
        if config.positions == "learned":
            self.position_embedding = nn.Embedding(config.block_size, config.n_embd)
        self.dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config, i) for i in range(config.n_layer))
        self.final_norm = make_norm(config)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        if config.tie_embeddings:
            self.lm_head.weight = self.token_embedding.weight
        self.apply(self._init_weights)
        # GPT-2's scaled init: each residual branch's last projection gets std 0.02 / sqrt(2 * n_layer)
        for name, param in self.named_parameters():
            if name.endswith(("attn.out.weight", "mlp.proj.weight", "mlp.w2.weight")) or (
                ".mlp.experts." in name and name.endswith(".w2.weight")
            ):
                nn.init.normal_(param, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def router_logits(self):
        """Each block's (B * T, n_experts) router logits of the last forward pass; [] without experts."""
        return [block.router_logits for block in self.blocks if block.routed]

    def num_parameters(self):
        """Number of distinct parameters (a tied embedding counts once)."""
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx, targets=None, kv_cache=None, return_attentions=False):
        """idx: (B, T) token ids -> (logits (B, T, vocab_size), loss) [+ attentions if return_attentions].

        loss is the mean cross-entropy over all positions of targets (B, T) (ignore_index=-100), or None.
        With a kv_cache (minillm.generate.KVCache), idx continues the cached sequence and the cache grows.
        attentions: one (B, n_head, T, T_cached + T) tensor of softmax weights per layer.
        """
        if not isinstance(idx, torch.Tensor) or idx.dim() != 2:
            raise ValueError(f"idx must be a (B, T) tensor of token ids, got {getattr(idx, 'shape', type(idx))}")
        if idx.dtype not in (torch.int64, torch.int32):
            raise TypeError(f"idx must hold integer token ids (int64 or int32), got {idx.dtype}")
        B, T = idx.shape
        start = 0 if kv_cache is None else kv_cache.length
        if start + T > self.config.block_size:
            raise ValueError(
                f"idx has {T} tokens after {start} cached ones, more than block_size={self.config.block_size}"
            )
        x = self.token_embedding(idx)  # (B, T, n_embd)
        if self.position_embedding is not None:
            x = x + self.position_embedding(torch.arange(start, start + T, device=idx.device))
        x = self.dropout(x)
        attentions = []
        checkpointed = (self.config.gradient_checkpointing and torch.is_grad_enabled() and kv_cache is None
                        and not return_attentions)
        for block in self.blocks:
            if checkpointed:
                x, weights = checkpoint(block, x, use_reentrant=False)
            else:
                x, weights = block(x, start, kv_cache, return_attentions)
            attentions.append(weights)
        logits = self.lm_head(self.final_norm(x))  # (B, T, vocab_size)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100)
        return (logits, loss, attentions) if return_attentions else (logits, loss)

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """nn.Module.load_state_dict, raising a ValueError that names every missing, unexpected or
        wrongly shaped key (unexpected and missing keys are allowed with strict=False; wrong shapes never)."""
        expected = self.state_dict()
        missing = sorted(expected.keys() - state_dict.keys())
        unexpected = sorted(state_dict.keys() - expected.keys())
        wrong_shape = [
            f"{key}: expected {tuple(expected[key].shape)}, got {tuple(state_dict[key].shape)}"
            for key in expected.keys() & state_dict.keys()
            if expected[key].shape != state_dict[key].shape
        ]
        problems = sorted(wrong_shape)
        if strict:
            problems += [f"missing key {key}" for key in missing]
            problems += [f"unexpected key {key}" for key in unexpected]
        if problems:
            raise ValueError("state_dict does not fit this GPT:\n  " + "\n  ".join(problems))
        return super().load_state_dict(state_dict, strict=strict, assign=assign)

    @classmethod
    def from_hf_gpt2(cls, hf_model, **overrides):
        """A float32 CPU GPT with the weights of a transformers GPT2LMHeadModel: the same logits.

        HF's Conv1D layers store weights as (in, out), so they are transposed. overrides change config fields
        that do not touch the weights (e.g. attention="flash"); dropout is 0 unless overridden.
        """
        hf = hf_model.config
        if hf.activation_function not in ("gelu_new", "gelu_pytorch_tanh"):
            raise ValueError(f"activation_function must be GPT-2's tanh GELU, got {hf.activation_function!r}")
        from_hf = dict(
            vocab_size=hf.vocab_size, block_size=hf.n_positions, n_layer=hf.n_layer, n_head=hf.n_head,
            n_embd=hf.n_embd, mlp_hidden=hf.n_inner, norm_eps=hf.layer_norm_epsilon,
            tie_embeddings=hf.tie_word_embeddings,
        )
        config = ModelConfig.gpt2(**{**from_hf, **overrides})
        hf_state = hf_model.state_dict()
        state = {
            "token_embedding.weight": hf_state["transformer.wte.weight"],
            "position_embedding.weight": hf_state["transformer.wpe.weight"],
            "final_norm.weight": hf_state["transformer.ln_f.weight"],
            "final_norm.bias": hf_state["transformer.ln_f.bias"],
            "lm_head.weight": hf_model.get_output_embeddings().weight,
        }
        renames = {
            "ln_1": "attn_norm", "attn.c_attn": "attn.qkv", "attn.c_proj": "attn.out",
            "ln_2": "mlp_norm", "mlp.c_fc": "mlp.fc", "mlp.c_proj": "mlp.proj",
        }
        for i in range(config.n_layer):
            for hf_name, name in renames.items():
                weight = hf_state[f"transformer.h.{i}.{hf_name}.weight"]
                state[f"blocks.{i}.{name}.weight"] = weight if hf_name.startswith("ln") else weight.t()
                state[f"blocks.{i}.{name}.bias"] = hf_state[f"transformer.h.{i}.{hf_name}.bias"]
        model = cls(config)
        model.load_state_dict(state)
        return model

    @classmethod
    def from_hf_llama(cls, hf_model, **overrides):
        """A float32 CPU GPT with the weights of a transformers LlamaForCausalLM: the same logits.

        q and k rows are reordered per head from HF's half-split rotary layout to our interleaved one; the
        dot products q.k, and so the logits, do not change. overrides as in from_hf_gpt2.
        """
        hf = hf_model.config
        rope = hf.rope_parameters
        if hf.hidden_act != "silu" or rope.get("rope_type", "default") != "default":
            raise ValueError(f"only SiLU and plain RoPE are supported, got {hf.hidden_act!r} and {rope!r}")
        if hf.attention_bias != hf.mlp_bias:
            raise ValueError("attention_bias and mlp_bias must agree: ModelConfig has one bias switch")
        if hf.head_dim != hf.hidden_size // hf.num_attention_heads:
            raise ValueError(f"head_dim must be hidden_size // num_attention_heads, got {hf.head_dim}")
        from_hf = dict(
            vocab_size=hf.vocab_size, block_size=hf.max_position_embeddings, n_layer=hf.num_hidden_layers,
            n_head=hf.num_attention_heads, n_kv_head=hf.num_key_value_heads, n_embd=hf.hidden_size,
            mlp_hidden=hf.intermediate_size, bias=hf.attention_bias, tie_embeddings=hf.tie_word_embeddings,
            rope_theta=rope["rope_theta"], norm_eps=hf.rms_norm_eps,
        )
        config = ModelConfig.llama(**{**from_hf, **overrides})
        hf_state = hf_model.state_dict()
        state = {
            "token_embedding.weight": hf_state["model.embed_tokens.weight"],
            "final_norm.weight": hf_state["model.norm.weight"],
            "lm_head.weight": hf_model.get_output_embeddings().weight,
        }
        suffixes = ("weight", "bias") if config.bias else ("weight",)
        for i in range(config.n_layer):
            hf_layer, layer = f"model.layers.{i}.", f"blocks.{i}."
            state[layer + "attn_norm.weight"] = hf_state[hf_layer + "input_layernorm.weight"]
            state[layer + "mlp_norm.weight"] = hf_state[hf_layer + "post_attention_layernorm.weight"]
            for suffix in suffixes:
                q = _half_split_to_interleaved(hf_state[f"{hf_layer}self_attn.q_proj.{suffix}"], config.n_head)
                k = _half_split_to_interleaved(hf_state[f"{hf_layer}self_attn.k_proj.{suffix}"], config.kv_heads)
                v = hf_state[f"{hf_layer}self_attn.v_proj.{suffix}"]
                state[f"{layer}attn.qkv.{suffix}"] = torch.cat([q, k, v])
                state[f"{layer}attn.out.{suffix}"] = hf_state[f"{hf_layer}self_attn.o_proj.{suffix}"]
                for hf_name, name in (("gate_proj", "w1"), ("down_proj", "w2"), ("up_proj", "w3")):
                    state[f"{layer}mlp.{name}.{suffix}"] = hf_state[f"{hf_layer}mlp.{hf_name}.{suffix}"]
        model = cls(config)
        model.load_state_dict(state)
        return model


def _half_split_to_interleaved(rows, n_heads):
    """Reorder each head's rows of a q/k projection (weight (n_heads * D, C) or bias (n_heads * D,)) so that
    HF's rotary pair (i, i + D/2) lands on our pair (2i, 2i + 1)."""
    head_dim = rows.size(0) // n_heads
    halves = rows.reshape(n_heads, 2, head_dim // 2, *rows.shape[1:])  # [head, half, i]
    return halves.transpose(1, 2).reshape(rows.shape)  # [head, i, half]: row 2i + half
