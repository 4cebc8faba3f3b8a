# %% variant: mean-over-all-positions
# masked_mean divides by every position, not by the masked ones.
def masked_mean(values, mask, dim=None):
    """Mean of values where mask is 1; values and mask (B, T) floating, mask of 0s and 1s.

    dim=None: one mean over every masked position of the batch (a 0-d tensor); dim=1: one mean per row (B,).
    Raise ValueError if no position is masked in (dim None) or some row has none (dim given): no NaN.
    """
    ### BEGIN SOLUTION
    count = torch.tensor(float(mask.numel())) if dim is None else torch.full(mask.shape[:1], float(mask.shape[1]))
    if (count == 0).any():
        raise ValueError("mask: nothing is masked in, so the mean is undefined")
    return (values * mask).sum() / count if dim is None else (values * mask).sum(dim) / count
    ### END SOLUTION


def masked_sum_normalise(values, mask, normaliser, dim=None):
    """Sum of values where mask is 1, divided by the number normaliser (> 0; else ValueError).

    dim=None: over everything (a 0-d tensor); dim=1: per row (B,).
    """
    ### BEGIN SOLUTION
    if not normaliser > 0:
        raise ValueError(f"normaliser must be positive, got {normaliser}")
    return (values * mask).sum() / normaliser if dim is None else (values * mask).sum(dim) / normaliser
    ### END SOLUTION


def sft_accumulate(model, micro_batches):
    """Backpropagate the SFT loss of one batch given as micro-batches; return the batch's loss as a float.

    micro_batches: a list of (inputs, targets, mask) of shapes (b_i, T_i) each, as chat.collate makes them.
    For each micro-batch: logits = model(inputs)[0], the negative of token_logprobs (yours) summed where mask
    is 1, divided by the number of masked tokens of the WHOLE batch (masked_sum_normalise), then .backward() on
    it: one backward() per micro-batch. The gradients then equal those of the masked mean NLL of the whole batch
    at once. Do not zero the gradients or step an optimiser. Raise ValueError if no target is masked in.
    """
    ### BEGIN SOLUTION
    total = sum(float(mask.sum()) for _, _, mask in micro_batches)
    if total == 0:
        raise ValueError("micro_batches: no target is masked in")
    loss = 0.0
    for inputs, targets, mask in micro_batches:
        part = -masked_sum_normalise(token_logprobs(model(inputs)[0], targets), mask, total)
        part.backward()
        loss += part.item()
    return loss
    ### END SOLUTION

# %% variant: per-micro-batch-mean
# Each micro-batch takes its own masked mean and the means are averaged.
def masked_mean(values, mask, dim=None):
    """Mean of values where mask is 1; values and mask (B, T) floating, mask of 0s and 1s.

    dim=None: one mean over every masked position of the batch (a 0-d tensor); dim=1: one mean per row (B,).
    Raise ValueError if no position is masked in (dim None) or some row has none (dim given): no NaN.
    """
    ### BEGIN SOLUTION
    count = mask.sum() if dim is None else mask.sum(dim)
    if (count == 0).any():
        raise ValueError("mask: nothing is masked in, so the mean is undefined")
    return (values * mask).sum() / count if dim is None else (values * mask).sum(dim) / count
    ### END SOLUTION


def masked_sum_normalise(values, mask, normaliser, dim=None):
    """Sum of values where mask is 1, divided by the number normaliser (> 0; else ValueError).

    dim=None: over everything (a 0-d tensor); dim=1: per row (B,).
    """
    ### BEGIN SOLUTION
    if not normaliser > 0:
        raise ValueError(f"normaliser must be positive, got {normaliser}")
    return (values * mask).sum() / normaliser if dim is None else (values * mask).sum(dim) / normaliser
    ### END SOLUTION


def sft_accumulate(model, micro_batches):
    """Backpropagate the SFT loss of one batch given as micro-batches; return the batch's loss as a float.

    micro_batches: a list of (inputs, targets, mask) of shapes (b_i, T_i) each, as chat.collate makes them.
    For each micro-batch: logits = model(inputs)[0], the negative of token_logprobs (yours) summed where mask
    is 1, divided by the number of masked tokens of the WHOLE batch (masked_sum_normalise), then .backward() on
    it: one backward() per micro-batch. The gradients then equal those of the masked mean NLL of the whole batch
    at once. Do not zero the gradients or step an optimiser. Raise ValueError if no target is masked in.
    """
    ### BEGIN SOLUTION
    total = sum(float(mask.sum()) for _, _, mask in micro_batches)
    if total == 0:
        raise ValueError("micro_batches: no target is masked in")
    loss = 0.0
    for inputs, targets, mask in micro_batches:
        part = -masked_mean(token_logprobs(model(inputs)[0], targets), mask) / len(micro_batches)
        part.backward()
        loss += part.item()
    return loss
    ### END SOLUTION

# %% variant: one-backward-at-the-end
# Adds up the micro-batch losses and calls backward() once: same gradients, all graphs held at once.
def masked_mean(values, mask, dim=None):
    """Mean of values where mask is 1; values and mask (B, T) floating, mask of 0s and 1s.

    dim=None: one mean over every masked position of the batch (a 0-d tensor); dim=1: one mean per row (B,).
    Raise ValueError if no position is masked in (dim None) or some row has none (dim given): no NaN.
    """
    ### BEGIN SOLUTION
    count = mask.sum() if dim is None else mask.sum(dim)
    if (count == 0).any():
        raise ValueError("mask: nothing is masked in, so the mean is undefined")
    return (values * mask).sum() / count if dim is None else (values * mask).sum(dim) / count
    ### END SOLUTION


def masked_sum_normalise(values, mask, normaliser, dim=None):
    """Sum of values where mask is 1, divided by the number normaliser (> 0; else ValueError).

    dim=None: over everything (a 0-d tensor); dim=1: per row (B,).
    """
    ### BEGIN SOLUTION
    if not normaliser > 0:
        raise ValueError(f"normaliser must be positive, got {normaliser}")
    return (values * mask).sum() / normaliser if dim is None else (values * mask).sum(dim) / normaliser
    ### END SOLUTION


def sft_accumulate(model, micro_batches):
    """Backpropagate the SFT loss of one batch given as micro-batches; return the batch's loss as a float.

    micro_batches: a list of (inputs, targets, mask) of shapes (b_i, T_i) each, as chat.collate makes them.
    For each micro-batch: logits = model(inputs)[0], the negative of token_logprobs (yours) summed where mask
    is 1, divided by the number of masked tokens of the WHOLE batch (masked_sum_normalise), then .backward() on
    it: one backward() per micro-batch. The gradients then equal those of the masked mean NLL of the whole batch
    at once. Do not zero the gradients or step an optimiser. Raise ValueError if no target is masked in.
    """
    ### BEGIN SOLUTION
    total = sum(float(mask.sum()) for _, _, mask in micro_batches)
    if total == 0:
        raise ValueError("micro_batches: no target is masked in")
    loss = 0.0
    for inputs, targets, mask in micro_batches:
        loss = loss - masked_sum_normalise(token_logprobs(model(inputs)[0], targets), mask, total)
    loss.backward()
    return loss.item()
    ### END SOLUTION

# %% variant: sum-normalise-by-count
# masked_sum_normalise ignores the normaliser and divides by the mask's count.
def masked_mean(values, mask, dim=None):
    """Mean of values where mask is 1; values and mask (B, T) floating, mask of 0s and 1s.

    dim=None: one mean over every masked position of the batch (a 0-d tensor); dim=1: one mean per row (B,).
    Raise ValueError if no position is masked in (dim None) or some row has none (dim given): no NaN.
    """
    ### BEGIN SOLUTION
    count = mask.sum() if dim is None else mask.sum(dim)
    if (count == 0).any():
        raise ValueError("mask: nothing is masked in, so the mean is undefined")
    return (values * mask).sum() / count if dim is None else (values * mask).sum(dim) / count
    ### END SOLUTION


def masked_sum_normalise(values, mask, normaliser, dim=None):
    """Sum of values where mask is 1, divided by the number normaliser (> 0; else ValueError).

    dim=None: over everything (a 0-d tensor); dim=1: per row (B,).
    """
    ### BEGIN SOLUTION
    if not normaliser > 0:
        raise ValueError(f"normaliser must be positive, got {normaliser}")
    return masked_mean(values, mask, dim)
    ### END SOLUTION


def sft_accumulate(model, micro_batches):
    """Backpropagate the SFT loss of one batch given as micro-batches; return the batch's loss as a float.

    micro_batches: a list of (inputs, targets, mask) of shapes (b_i, T_i) each, as chat.collate makes them.
    For each micro-batch: logits = model(inputs)[0], the negative of token_logprobs (yours) summed where mask
    is 1, divided by the number of masked tokens of the WHOLE batch (masked_sum_normalise), then .backward() on
    it: one backward() per micro-batch. The gradients then equal those of the masked mean NLL of the whole batch
    at once. Do not zero the gradients or step an optimiser. Raise ValueError if no target is masked in.
    """
    ### BEGIN SOLUTION
    total = sum(float(mask.sum()) for _, _, mask in micro_batches)
    if total == 0:
        raise ValueError("micro_batches: no target is masked in")
    loss = 0.0
    for inputs, targets, mask in micro_batches:
        part = -masked_sum_normalise(token_logprobs(model(inputs)[0], targets), mask, total)
        part.backward()
        loss += part.item()
    return loss
    ### END SOLUTION
