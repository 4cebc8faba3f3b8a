# %% variant: transposed
# Reads probs[next, current] instead of probs[current, next].
def bigram_nll(probs, ids):
    """Average negative log-likelihood of a sequence under a bigram model, in nats per token.

    probs: (V, V) float tensor, probs[a, b] = P(next = b | current = a). ids: 1-D int64 tensor, length N >= 2.
    Returns a Python float: the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -ln probs[ids[t], ids[t + 1]].
    A pair of probability 0 makes it inf.
    """
    return -probs[ids[1:], ids[:-1]].log().mean().item()
# %% variant: bits-not-nats
# Uses log2, so the answer is in bits.
def bigram_nll(probs, ids):
    """Average negative log-likelihood of a sequence under a bigram model, in nats per token.

    probs: (V, V) float tensor, probs[a, b] = P(next = b | current = a). ids: 1-D int64 tensor, length N >= 2.
    Returns a Python float: the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -ln probs[ids[t], ids[t + 1]].
    A pair of probability 0 makes it inf.
    """
    return -probs[ids[:-1], ids[1:]].log2().mean().item()
# %% variant: divides-by-n
# Sums the pair losses but divides by the number of ids N instead of the N - 1 pairs.
def bigram_nll(probs, ids):
    """Average negative log-likelihood of a sequence under a bigram model, in nats per token.

    probs: (V, V) float tensor, probs[a, b] = P(next = b | current = a). ids: 1-D int64 tensor, length N >= 2.
    Returns a Python float: the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -ln probs[ids[t], ids[t + 1]].
    A pair of probability 0 makes it inf.
    """
    return -probs[ids[:-1], ids[1:]].log().sum().item() / len(ids)
# %% variant: forgets-the-minus
# Returns the average log-likelihood, not its negative.
def bigram_nll(probs, ids):
    """Average negative log-likelihood of a sequence under a bigram model, in nats per token.

    probs: (V, V) float tensor, probs[a, b] = P(next = b | current = a). ids: 1-D int64 tensor, length N >= 2.
    Returns a Python float: the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -ln probs[ids[t], ids[t + 1]].
    A pair of probability 0 makes it inf.
    """
    return probs[ids[:-1], ids[1:]].log().mean().item()

# %% variant: returns-a-tensor
# Returns a 0-d tensor, not a Python float.
def bigram_nll(probs, ids):
    """Average negative log-likelihood of a sequence under a bigram model, in nats per token.

    probs: (V, V) float tensor in any memory layout, probs[a, b] = P(next = b | current = a). ids: 1-D int64 tensor, length N >= 2.
    Returns a Python float: the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -ln probs[ids[t], ids[t + 1]].
    A pair of probability 0 makes it inf.
    """
    return -probs[ids[:-1], ids[1:]].log().mean()
    ### END SOLUTION

# %% variant: flat-index-with-view
# Indexes probs.view(-1) with a flat index: fails on a non-contiguous table.
def bigram_nll(probs, ids):
    """Average negative log-likelihood of a sequence under a bigram model, in nats per token.

    probs: (V, V) float tensor in any memory layout, probs[a, b] = P(next = b | current = a). ids: 1-D int64 tensor, length N >= 2.
    Returns a Python float: the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -ln probs[ids[t], ids[t + 1]].
    A pair of probability 0 makes it inf.
    """
    return -probs.view(-1)[ids[:-1] * probs.size(1) + ids[1:]].log().mean().item()
    ### END SOLUTION
