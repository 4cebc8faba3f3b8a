"""Character n-gram language models: count, smooth, score and sample (week 00's reference).

An order-n model predicts the next token from the n - 1 tokens before it (its context) with the maximum
likelihood estimate plus add-k smoothing:

    P(next | context) = (count(context, next) + k) / (count(context) + k * V)

where V is the vocabulary size. A context never seen in training, with k = 0, gets the uniform distribution:
with no evidence every next token is equally likely. Order 2 is the bigram model; `bigram_counts`,
`counts_to_probs`, `bigram_nll` and `sample_bigram` are its pieces as plain functions, and `NGramModel`
generalises them to any order. Token ids are int64 tensors (or lists of ints) in [0, V).

The same bigram model can be learnt instead of counted: `neural_bigram_loss` and `train_neural_bigram` fit a
one-layer network, a (V, V) matrix of logits read by a one-hot input, by gradient descent; at its optimum its
softmax rows are the counted probabilities, and a penalty on the logits plays the part of add-k.
"""

import torch


def _as_ids(ids, vocab_size, name="ids"):
    ids = torch.as_tensor(ids)
    if ids.numel() == 0:
        ids = ids.long()  # an empty list arrives as float32
    if ids.dtype.is_floating_point or ids.dtype == torch.bool:
        raise TypeError(f"{name} must hold integer token ids, got dtype {ids.dtype}")
    if ids.dim() != 1:
        raise ValueError(f"{name} must be 1-D, got shape {tuple(ids.shape)}")
    ids = ids.long()
    if ids.numel() and (ids.min() < 0 or ids.max() >= vocab_size):
        raise ValueError(f"{name} must lie in [0, {vocab_size}), got values in [{ids.min()}, {ids.max()}]")
    return ids


def bigram_counts(ids, vocab_size):
    """(V, V) int64 table: counts[a, b] = number of positions t with ids[t] = a and ids[t + 1] = b."""
    ids = _as_ids(ids, vocab_size)
    pairs = ids[:-1] * vocab_size + ids[1:]  # one integer per (previous, next) pair
    return torch.bincount(pairs, minlength=vocab_size * vocab_size).view(vocab_size, vocab_size)


def counts_to_probs(counts, k=0.0):
    """Add-k smoothed probabilities over the LAST axis: (counts + k) / (row total + k * V), float32.

    counts: (..., V) non-negative counts, one row per context. A row whose total is 0 (an unseen context with
    k = 0) becomes uniform, 1 / V. Every row of the result sums to 1.
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    smoothed = counts.float() + k
    totals = smoothed.sum(dim=-1, keepdim=True)
    uniform = torch.full_like(smoothed, 1.0 / counts.shape[-1])
    return torch.where(totals > 0, smoothed / totals.clamp_min(1e-30), uniform)


def bigram_nll(probs, ids):
    """Mean negative log-likelihood, in nats per token, of each ids[t + 1] given ids[t] under probs (V, V).

    Averages -log probs[ids[t], ids[t + 1]] over the len(ids) - 1 pairs; a pair of probability 0 gives inf.
    """
    ids = _as_ids(ids, probs.shape[0])
    if ids.numel() < 2:
        raise ValueError(f"ids must hold at least 2 tokens to make a pair, got {ids.numel()}")
    return -probs[ids[:-1], ids[1:]].double().log().mean().item()


def sample_bigram(probs, start, n_tokens, generator):
    """n_tokens ids drawn one after another from probs (V, V), starting after the token `start`.

    Each step draws torch.multinomial(probs[current], 1, generator=generator) and makes it the current token,
    so the same generator state gives the same text. Returns a list of ints (without `start`).
    """
    current, out = int(start), []
    for _ in range(n_tokens):
        current = torch.multinomial(probs[current], 1, generator=generator).item()
        out.append(current)
    return out


def neural_bigram_loss(W, ids, regularization=0.0):
    """Mean negative log-likelihood of ids under the bigram network W, plus regularization * mean(W ** 2).

    W: (V, V) float logits; the one-hot vector of the current id a selects the row one_hot(a) @ W = W[a], and
    softmax(W[a]) is P(next | a). The penalty pulls every logit towards 0, every row towards uniform. Returns
    a 0-d tensor of W's dtype, differentiable with respect to W, finite for any finite logits.
    """
    ids = _as_ids(ids, W.shape[0])
    if ids.numel() < 2:
        raise ValueError(f"ids must hold at least 2 tokens to make a pair, got {ids.numel()}")
    return _counted_loss(W, bigram_counts(ids, W.shape[0]), regularization)


def _counted_loss(W, counts, regularization):
    """neural_bigram_loss from the bigram counts: the mean over the pairs is a sum over the table, each entry
    -log softmax(W)[a, b] weighted by count(a b), so a step costs V * V whatever the length of the text."""
    if regularization < 0:
        raise ValueError(f"regularization must be >= 0, got {regularization}")
    nll = -(counts.to(W.dtype) * W.log_softmax(dim=-1)).sum() / counts.sum()
    return nll + regularization * W.pow(2).mean()


def train_neural_bigram(ids, vocab_size, steps, lr, regularization=0.0):
    """The (V, V) float32 logits W after `steps` steps of full-batch gradient descent, W -= lr * grad, on
    neural_bigram_loss, starting from W = 0 (every row uniform). Returns W detached."""
    counts = bigram_counts(ids, vocab_size)
    if counts.sum() == 0:
        raise ValueError("ids must hold at least 2 tokens to make a pair")
    W = torch.zeros(vocab_size, vocab_size, requires_grad=True)
    for _ in range(steps):
        W.grad = None
        _counted_loss(W, counts, regularization).backward()
        with torch.no_grad():
            W -= lr * W.grad
    return W.detach()


class NGramModel:
    """Order-n model: P(next | previous order - 1 tokens), add-k smoothed.

    The counts live in a dense table with one row per context seen in training: `_contexts` holds each
    context encoded as one integer (its ids read as digits in base V), sorted, and `_counts` (C, V) int64 the
    next-token counts of each. Smoothing happens when probabilities are read, so `k` may be changed after fit.
    """

    def __init__(self, order, vocab_size, k=0.0):
        if not isinstance(order, int) or order < 1:
            raise ValueError(f"order must be a positive int, got {order!r}")
        if vocab_size ** (order - 1) >= 2**62:
            raise ValueError(f"order {order} is too large for vocab_size {vocab_size}: contexts overflow int64 keys")
        if k < 0:
            raise ValueError(f"k must be >= 0, got {k}")
        self.order, self.vocab_size, self.k = order, vocab_size, k
        self._digits = vocab_size ** torch.arange(order - 2, -1, -1)  # (order - 1,) place values of a context
        self._contexts = self._counts = None  # set by fit

    def _windows(self, ids, name):
        """(contexts as keys (M,), next tokens (M,)) for the M = len(ids) - order + 1 full windows in ids."""
        ids = _as_ids(ids, self.vocab_size, name)
        if ids.numel() < self.order:
            raise ValueError(f"{name} must hold at least order = {self.order} tokens, got {ids.numel()}")
        windows = ids.unfold(0, self.order, 1)  # (M, order)
        return self._key(windows[:, :-1]), windows[:, -1]

    def _key(self, contexts):
        """(..., order - 1) context ids -> (...) one int64 key each, the ids read as digits in base V."""
        return (contexts * self._digits).sum(dim=-1)

    def fit(self, ids):
        """Count every window of `order` tokens in ids (replacing earlier counts); returns self."""
        keys, targets = self._windows(ids, "ids")
        self._contexts, rows = torch.unique(keys, sorted=True, return_inverse=True)
        self._counts = torch.zeros(len(self._contexts), self.vocab_size, dtype=torch.long)
        self._counts.index_put_((rows, targets), torch.ones_like(targets), accumulate=True)
        return self

    def _require_fit(self):
        if self._contexts is None:
            raise RuntimeError("the model has no counts yet: call fit(ids) first")

    @property
    def num_contexts(self):
        """How many distinct contexts the training text contained (rows of the count table)."""
        self._require_fit()
        return len(self._contexts)

    def _rows(self, keys):
        """Row of each context key in the table, and whether it was seen at all."""
        self._require_fit()
        rows = torch.searchsorted(self._contexts, keys).clamp_max(len(self._contexts) - 1)
        return rows, self._contexts[rows] == keys

    def counts(self, context):
        """(V,) int64 next-token counts after `context` (its last order - 1 ids are used); zeros if unseen."""
        context = _as_ids(context, self.vocab_size, "context")
        if context.numel() < self.order - 1:
            raise ValueError(f"context needs at least {self.order - 1} tokens for order {self.order}, got {context.numel()}")
        key = self._key(context[len(context) - (self.order - 1) :])
        rows, seen = self._rows(key.view(1))
        return self._counts[rows[0]].clone() if seen[0] else torch.zeros(self.vocab_size, dtype=torch.long)

    def probs(self, context):
        """(V,) float32 smoothed distribution of the token after `context`."""
        return counts_to_probs(self.counts(context), self.k)

    def nll(self, ids):
        """Mean negative log-likelihood (nats per token) of ids[t] given the order - 1 ids before it.

        Averages over the positions t >= order - 1 that have a full context; inf if one has probability 0.
        """
        keys, targets = self._windows(ids, "ids")
        rows, seen = self._rows(keys)
        hits = torch.where(seen, self._counts[rows, targets], 0).double()
        totals = torch.where(seen, self._counts.sum(dim=1)[rows], 0).double()
        smoothed_total = totals + self.k * self.vocab_size
        probs = torch.where(smoothed_total > 0, (hits + self.k) / smoothed_total.clamp_min(1e-30), 1.0 / self.vocab_size)
        return -probs.log().mean().item()

    def sample(self, prompt, n_tokens, generator):
        """n_tokens ids continuing `prompt` (at least order - 1 ids), each drawn with
        torch.multinomial(self.probs(context), 1, generator=generator). Returns a list of ints (without prompt).
        """
        sequence = [int(i) for i in _as_ids(prompt, self.vocab_size, "prompt")]
        if len(sequence) < self.order - 1:
            raise ValueError(f"prompt needs at least {self.order - 1} tokens for order {self.order}, got {len(sequence)}")
        start = len(sequence)
        for _ in range(n_tokens):
            probs = self.probs(sequence[len(sequence) - (self.order - 1) :])
            sequence.append(torch.multinomial(probs, 1, generator=generator).item())
        return sequence[start:]

    def __repr__(self):
        seen = "unfitted" if self._contexts is None else f"contexts={len(self._contexts)}"
        return f"NGramModel(order={self.order}, vocab_size={self.vocab_size}, k={self.k}, {seen})"
