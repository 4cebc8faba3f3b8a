"""Text generation: a KV cache, sampling (greedy, temperature, top-k, top-p), streaming and beam search.

Works with any model called as `model(idx, kv_cache=cache)` -> `(logits (B, T, V), ...)` with a
`config.n_layer` and `config.block_size`, such as minillm.model.GPT. Put the model in eval() mode first.

Once a sequence is longer than block_size, the model sees only its last block_size tokens. With the cache
the window then has to slide, which the cache cannot do (every cached key was computed for its old
position), so from then on every step recomputes the whole window: the same tokens as without a cache.
"""

import torch
import torch.nn.functional as F


class KVCache:
    """Keys and values of the tokens seen so far, per layer: (B, n_kv_head, length, head_dim) each."""

    def __init__(self, n_layer):
        self.keys = [None] * n_layer
        self.values = [None] * n_layer

    @property
    def length(self):
        """Number of cached positions (read before a forward pass, it is the position of the next token)."""
        return 0 if self.keys[0] is None else self.keys[0].size(2)

    def update(self, layer, k, v):
        """Append k, v (B, n_kv_head, T, head_dim) to the layer's cache; return all its keys and values."""
        if self.keys[layer] is not None:
            k = torch.cat([self.keys[layer], k], dim=2)
            v = torch.cat([self.values[layer], v], dim=2)
        self.keys[layer], self.values[layer] = k, v
        return k, v

    def reorder(self, rows):
        """Keep batch rows `rows` (a 1-D index tensor, repeats allowed): beam search follows its beams."""
        self.keys = [None if k is None else k.index_select(0, rows) for k in self.keys]
        self.values = [None if v is None else v.index_select(0, rows) for v in self.values]

    def clear(self):
        self.keys = [None] * len(self.keys)
        self.values = [None] * len(self.values)


def top_k_filter(logits, k):
    """Set every logit below the k-th largest of its row to -inf. logits: (B, V)."""
    kth_largest = torch.topk(logits, min(k, logits.size(-1)), dim=-1).values[:, -1:]
    return logits.masked_fill(logits < kth_largest, float("-inf"))


def top_p_filter(logits, p):
    """Keep, per row, the smallest set of most likely tokens whose probability adds up to at least p.

    p = 1 keeps every token. The running sums are taken in float64: in float32 a large vocabulary's sum
    reaches 1.0 before its last tokens, and they would be dropped even at p = 1.
    """
    if p >= 1.0:
        return logits
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
    probs = torch.softmax(sorted_logits.double(), dim=-1)
    mass_before = probs.cumsum(dim=-1) - probs  # probability of the more likely tokens
    drop_sorted = mass_before >= p  # the set already had mass p without this token
    drop = drop_sorted.scatter(-1, order, drop_sorted)  # back to vocabulary order
    return logits.masked_fill(drop, float("-inf"))


def sample_next_token(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    """Pick one token per row of logits (B, V) -> (B,) long.

    temperature=0 is greedy (argmax). Otherwise: divide by temperature, keep the top_k, then the top_p
    nucleus, and draw from the softmax with `generator` (a torch.Generator on logits' device) for repeatability.
    """
    _check_sampling(temperature, top_k, top_p)
    if temperature == 0:
        return logits.argmax(dim=-1)
    logits = logits.float() / temperature
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p)
    probs = torch.softmax(logits, dim=-1)
    return torch.multinomial(probs, num_samples=1, generator=generator).squeeze(-1)


def _check_sampling(temperature, top_k, top_p):
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0 (0 is greedy), got {temperature}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be a positive integer or None, got {top_k}")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1] or None, got {top_p}")


def _check_prompt(idx, max_new_tokens):
    if not isinstance(idx, torch.Tensor) or idx.dim() != 2 or idx.size(1) == 0:
        raise ValueError(f"idx must be a non-empty (B, T) tensor of token ids, got {getattr(idx, 'shape', idx)}")
    if max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be >= 0, got {max_new_tokens}")


def next_token_logits(model, idx, kv_cache=None):
    """Logits (B, V) for the token after idx (B, T), from its last block_size tokens.

    kv_cache (or None) must hold idx[:, :kv_cache.length]: only the tokens it has not seen are fed.
    """
    block_size = model.config.block_size
    if kv_cache is None:
        return model(idx[:, -block_size:])[0][:, -1]
    if idx.size(1) > block_size:  # the window slides: cached positions are stale
        kv_cache.clear()
        idx = idx[:, -block_size:]
    return model(idx[:, kv_cache.length :], kv_cache=kv_cache)[0][:, -1]


@torch.no_grad()
def _sample_steps(model, idx, max_new_tokens, temperature, top_k, top_p, generator, use_cache):
    """Yield the (B,) next tokens one step at a time."""
    _check_prompt(idx, max_new_tokens)
    _check_sampling(temperature, top_k, top_p)
    kv_cache = KVCache(model.config.n_layer) if use_cache else None
    for _ in range(max_new_tokens):
        logits = next_token_logits(model, idx, kv_cache)
        next_token = sample_next_token(logits, temperature, top_k, top_p, generator)
        yield next_token
        idx = torch.cat([idx, next_token[:, None]], dim=1)


def generate(model, idx, max_new_tokens, temperature=1.0, top_k=None, top_p=None, generator=None, use_cache=True):
    """Extend idx (B, T) by max_new_tokens sampled tokens -> (B, T + max_new_tokens). See sample_next_token."""
    steps = _sample_steps(model, idx, max_new_tokens, temperature, top_k, top_p, generator, use_cache)
    return torch.cat([idx, *(token[:, None] for token in steps)], dim=1)


def stream(model, idx, max_new_tokens, temperature=1.0, top_k=None, top_p=None, generator=None, use_cache=True):
    """Like generate for one prompt idx (1, T), but yield each new token id (an int) as soon as it is chosen.
    Stop early (an end-of-text token, say) by leaving the loop."""
    if isinstance(idx, torch.Tensor) and idx.dim() == 2 and idx.size(0) != 1:
        raise ValueError(f"stream takes one prompt, idx of shape (1, T), got {tuple(idx.shape)}")
    for token in _sample_steps(model, idx, max_new_tokens, temperature, top_k, top_p, generator, use_cache):
        yield token.item()


@torch.no_grad()
def beam_search(model, idx, max_new_tokens, beam_width=4, length_penalty=1.0, eos_id=None):
    """A likely continuation of one prompt idx (1, T), found by beam search -> (1, T + n), n <= max_new_tokens.

    Each step extends every beam by every token and keeps the beam_width best by total log-probability.
    A beam that emits eos_id is finished, scored sum(log p) / n ** length_penalty (n: its new tokens, eos
    included; a larger length_penalty favours longer answers; 0 ranks by plain total log-probability, and
    1 by the mean log-probability per token). The search stops once beam_width beams have
    finished or after max_new_tokens; unfinished beams are then scored the same way. beam_width=1 is greedy.
    """
    _check_prompt(idx, max_new_tokens)
    if idx.size(0) != 1:
        raise ValueError(f"beam_search takes one prompt, idx of shape (1, T), got {tuple(idx.shape)}")
    if beam_width < 1:
        raise ValueError(f"beam_width must be a positive integer, got {beam_width}")
    beams, scores = idx, idx.new_zeros(1, dtype=torch.float)  # (n_beams, T + step), (n_beams,)
    finished = []  # (normalised score, sequence)
    kv_cache = KVCache(model.config.n_layer)
    for step in range(1, max_new_tokens + 1):
        log_probs = F.log_softmax(next_token_logits(model, beams, kv_cache).float(), dim=-1)  # (n_beams, V)
        candidates = (scores[:, None] + log_probs).flatten()
        top_scores, top = candidates.topk(min(2 * beam_width, candidates.numel()))  # enough to refill after eos
        vocab_size = log_probs.size(-1)
        kept = []  # (row of the beam it extends, token, score)
        for score, flat in zip(top_scores.tolist(), top.tolist()):
            if len(kept) == beam_width:
                break
            row, token = divmod(flat, vocab_size)
            if token == eos_id:
                sequence = torch.cat([beams[row], beams.new_tensor([token])])
                finished.append((score / step**length_penalty, sequence))
            else:
                kept.append((row, token, score))
        if len(finished) >= beam_width or not kept:
            break
        rows, tokens, kept_scores = zip(*kept)
        rows = torch.tensor(rows, device=idx.device)
        kv_cache.reorder(rows)
        beams = torch.cat([beams[rows], torch.tensor(tokens, device=idx.device)[:, None]], dim=1)
        scores = torch.tensor(kept_scores, device=idx.device)
    else:
        n_new = beams.size(1) - idx.size(1)
        finished += [(score / max(n_new, 1)**length_penalty, beam) for score, beam in zip(scores.tolist(), beams)]
    return max(finished, key=lambda pair: pair[0])[1][None]
