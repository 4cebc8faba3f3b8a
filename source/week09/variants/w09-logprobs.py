# %% variant: shifted-again
# Shifts logits and targets by one more position (they are already aligned).
def token_logprobs(logits, targets):
    """log p(targets[b, t] | prefix) for logits (B, T, V) and targets (B, T) long -> (B, T), in logits' dtype.

    logits[b, t] predicts targets[b, t] (already shifted, as chat.collate makes them): no shift here. Use
    log_softmax over the last axis and torch.gather; finite for any finite logits, large ones included.
    """
    ### BEGIN SOLUTION
    shifted = torch.gather(F.log_softmax(logits[:, :-1], dim=-1), -1, targets[:, 1:].unsqueeze(-1)).squeeze(-1)
    return F.pad(shifted, (1, 0))
    ### END SOLUTION


def entropy(logits):
    """Entropy in nats of softmax(logits[b, t]) for logits (B, T, V) -> (B, T), in logits' dtype.

    0 for a one-hot distribution, log V for equal logits; finite (no NaN) for logits of any finite size.
    """
    ### BEGIN SOLUTION
    logp = F.log_softmax(logits, dim=-1)
    return -(logp.exp() * logp).sum(-1)
    ### END SOLUTION

# %% variant: entropy-in-bits
# Entropy with log base 2 (bits) instead of nats.
def token_logprobs(logits, targets):
    """log p(targets[b, t] | prefix) for logits (B, T, V) and targets (B, T) long -> (B, T), in logits' dtype.

    logits[b, t] predicts targets[b, t] (already shifted, as chat.collate makes them): no shift here. Use
    log_softmax over the last axis and torch.gather; finite for any finite logits, large ones included.
    """
    ### BEGIN SOLUTION
    return torch.gather(F.log_softmax(logits, dim=-1), -1, targets.unsqueeze(-1)).squeeze(-1)
    ### END SOLUTION


def entropy(logits):
    """Entropy in nats of softmax(logits[b, t]) for logits (B, T, V) -> (B, T), in logits' dtype.

    0 for a one-hot distribution, log V for equal logits; finite (no NaN) for logits of any finite size.
    """
    ### BEGIN SOLUTION
    logp = F.log_softmax(logits, dim=-1)
    return -(logp.exp() * logp).sum(-1) / math.log(2)
    ### END SOLUTION

# %% variant: log-of-softmax
# log(softmax(...)): -inf for large logits, and NaN entropy (0 * -inf).
def token_logprobs(logits, targets):
    """log p(targets[b, t] | prefix) for logits (B, T, V) and targets (B, T) long -> (B, T), in logits' dtype.

    logits[b, t] predicts targets[b, t] (already shifted, as chat.collate makes them): no shift here. Use
    log_softmax over the last axis and torch.gather; finite for any finite logits, large ones included.
    """
    ### BEGIN SOLUTION
    return torch.gather(F.log_softmax(logits, dim=-1), -1, targets.unsqueeze(-1)).squeeze(-1)
    ### END SOLUTION


def entropy(logits):
    """Entropy in nats of softmax(logits[b, t]) for logits (B, T, V) -> (B, T), in logits' dtype.

    0 for a one-hot distribution, log V for equal logits; finite (no NaN) for logits of any finite size.
    """
    ### BEGIN SOLUTION
    probs = torch.softmax(logits, dim=-1)
    return -(probs * torch.log(probs)).sum(-1)
    ### END SOLUTION
