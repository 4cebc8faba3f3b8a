# %% variant: includes-prompt-tokens
# The log-probability also sums the prompt's tokens (every non-padding target).
def answer_scores(model, pairs):
    """How strongly `model` recalls each answer after its prompt, for all pairs in ONE forward pass.

    pairs: a non-empty list of (prompt_ids, answer_ids), each a non-empty list of token ids; the lengths may
        differ. Each pair needs len(prompt) + len(answer) - 1 <= model.config.block_size positions.
        ValueError (naming pairs) for an empty list, an empty prompt or answer, or a pair too long.
    Run the pairs as one right-padded batch (pad with token 0), under torch.no_grad(), calling the model as it
    is (the tests use models without dropout); take log_softmax of the logits in float64 (logits.double()).
    Returns (logprobs, recalled), both on the CPU:
        logprobs: float64 tensor (N,); logprobs[i] = the SUM over pair i's answer tokens a_j of
            log p(a_j | prompt, a_<j): the answer's tokens only (not the prompt's, not the padding).
        recalled: bool tensor (N,); True when at every answer position the argmax of the logits is the answer's
            token, i.e. exactly when greedy decoding from the prompt writes the answer.
    The tests compare with one full forward pass per answer token and with greedy generation, on pairs of
    different lengths, answers and prompts of one token, a pair that fills the context exactly, and one past it.
    """
    ### BEGIN SOLUTION
    if not pairs:
        raise ValueError("pairs: expected at least one (prompt_ids, answer_ids) pair")
    for i, (prompt, answer) in enumerate(pairs):
        if len(prompt) == 0 or len(answer) == 0:
            raise ValueError(f"pairs[{i}]: the prompt and the answer must both be non-empty")
        if len(prompt) + len(answer) - 1 > model.config.block_size:
            raise ValueError(f"pairs[{i}]: needs {len(prompt) + len(answer) - 1} positions, more than "
                             f"block_size={model.config.block_size}")
    rows = [(list(prompt) + list(answer), [1] * (len(prompt) + len(answer))) for prompt, answer in pairs]
    inputs, targets, mask = collate(rows, pad_id=0)
    with torch.no_grad():
        logits = model(inputs.to(next(model.parameters()).device))[0].double().cpu()
    mask = mask.bool()
    logprobs = token_logprobs(logits, targets).masked_fill(~mask, 0.0).sum(dim=1)
    recalled = ((logits.argmax(dim=-1) == targets) | ~mask).all(dim=1)
    return logprobs, recalled
    ### END SOLUTION

# %% variant: off-by-one
# Each answer token is read from the logits AT its own position, not the one before it.
def answer_scores(model, pairs):
    """How strongly `model` recalls each answer after its prompt, for all pairs in ONE forward pass.

    pairs: a non-empty list of (prompt_ids, answer_ids), each a non-empty list of token ids; the lengths may
        differ. Each pair needs len(prompt) + len(answer) - 1 <= model.config.block_size positions.
        ValueError (naming pairs) for an empty list, an empty prompt or answer, or a pair too long.
    Run the pairs as one right-padded batch (pad with token 0), under torch.no_grad(), calling the model as it
    is (the tests use models without dropout); take log_softmax of the logits in float64 (logits.double()).
    Returns (logprobs, recalled), both on the CPU:
        logprobs: float64 tensor (N,); logprobs[i] = the SUM over pair i's answer tokens a_j of
            log p(a_j | prompt, a_<j): the answer's tokens only (not the prompt's, not the padding).
        recalled: bool tensor (N,); True when at every answer position the argmax of the logits is the answer's
            token, i.e. exactly when greedy decoding from the prompt writes the answer.
    The tests compare with one full forward pass per answer token and with greedy generation, on pairs of
    different lengths, answers and prompts of one token, a pair that fills the context exactly, and one past it.
    """
    ### BEGIN SOLUTION
    if not pairs:
        raise ValueError("pairs: expected at least one (prompt_ids, answer_ids) pair")
    for i, (prompt, answer) in enumerate(pairs):
        if len(prompt) == 0 or len(answer) == 0:
            raise ValueError(f"pairs[{i}]: the prompt and the answer must both be non-empty")
        if len(prompt) + len(answer) - 1 > model.config.block_size:
            raise ValueError(f"pairs[{i}]: needs {len(prompt) + len(answer) - 1} positions, more than "
                             f"block_size={model.config.block_size}")
    rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in pairs]
    inputs, targets, mask = collate(rows, pad_id=0)
    with torch.no_grad():
        logits = model(inputs.to(next(model.parameters()).device))[0].double().cpu()
    mask = mask.bool()
    logprobs = token_logprobs(logits, torch.roll(targets, -1, dims=1)).masked_fill(~mask, 0.0).sum(dim=1)
    recalled = ((logits.argmax(dim=-1) == targets) | ~mask).all(dim=1)
    return logprobs, recalled
    ### END SOLUTION

# %% variant: mean-not-sum
# Averages the answer tokens' log-probabilities instead of summing them.
def answer_scores(model, pairs):
    """How strongly `model` recalls each answer after its prompt, for all pairs in ONE forward pass.

    pairs: a non-empty list of (prompt_ids, answer_ids), each a non-empty list of token ids; the lengths may
        differ. Each pair needs len(prompt) + len(answer) - 1 <= model.config.block_size positions.
        ValueError (naming pairs) for an empty list, an empty prompt or answer, or a pair too long.
    Run the pairs as one right-padded batch (pad with token 0), under torch.no_grad(), calling the model as it
    is (the tests use models without dropout); take log_softmax of the logits in float64 (logits.double()).
    Returns (logprobs, recalled), both on the CPU:
        logprobs: float64 tensor (N,); logprobs[i] = the SUM over pair i's answer tokens a_j of
            log p(a_j | prompt, a_<j): the answer's tokens only (not the prompt's, not the padding).
        recalled: bool tensor (N,); True when at every answer position the argmax of the logits is the answer's
            token, i.e. exactly when greedy decoding from the prompt writes the answer.
    The tests compare with one full forward pass per answer token and with greedy generation, on pairs of
    different lengths, answers and prompts of one token, a pair that fills the context exactly, and one past it.
    """
    ### BEGIN SOLUTION
    if not pairs:
        raise ValueError("pairs: expected at least one (prompt_ids, answer_ids) pair")
    for i, (prompt, answer) in enumerate(pairs):
        if len(prompt) == 0 or len(answer) == 0:
            raise ValueError(f"pairs[{i}]: the prompt and the answer must both be non-empty")
        if len(prompt) + len(answer) - 1 > model.config.block_size:
            raise ValueError(f"pairs[{i}]: needs {len(prompt) + len(answer) - 1} positions, more than "
                             f"block_size={model.config.block_size}")
    rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in pairs]
    inputs, targets, mask = collate(rows, pad_id=0)
    with torch.no_grad():
        logits = model(inputs.to(next(model.parameters()).device))[0].double().cpu()
    mask = mask.bool()
    logprobs = token_logprobs(logits, targets).masked_fill(~mask, 0.0).sum(dim=1) / mask.sum(dim=1)
    recalled = ((logits.argmax(dim=-1) == targets) | ~mask).all(dim=1)
    return logprobs, recalled
    ### END SOLUTION

# %% variant: recall-counts-padding
# Greedy recall also requires the argmax to match at padding positions.
def answer_scores(model, pairs):
    """How strongly `model` recalls each answer after its prompt, for all pairs in ONE forward pass.

    pairs: a non-empty list of (prompt_ids, answer_ids), each a non-empty list of token ids; the lengths may
        differ. Each pair needs len(prompt) + len(answer) - 1 <= model.config.block_size positions.
        ValueError (naming pairs) for an empty list, an empty prompt or answer, or a pair too long.
    Run the pairs as one right-padded batch (pad with token 0), under torch.no_grad(), calling the model as it
    is (the tests use models without dropout); take log_softmax of the logits in float64 (logits.double()).
    Returns (logprobs, recalled), both on the CPU:
        logprobs: float64 tensor (N,); logprobs[i] = the SUM over pair i's answer tokens a_j of
            log p(a_j | prompt, a_<j): the answer's tokens only (not the prompt's, not the padding).
        recalled: bool tensor (N,); True when at every answer position the argmax of the logits is the answer's
            token, i.e. exactly when greedy decoding from the prompt writes the answer.
    The tests compare with one full forward pass per answer token and with greedy generation, on pairs of
    different lengths, answers and prompts of one token, a pair that fills the context exactly, and one past it.
    """
    ### BEGIN SOLUTION
    if not pairs:
        raise ValueError("pairs: expected at least one (prompt_ids, answer_ids) pair")
    for i, (prompt, answer) in enumerate(pairs):
        if len(prompt) == 0 or len(answer) == 0:
            raise ValueError(f"pairs[{i}]: the prompt and the answer must both be non-empty")
        if len(prompt) + len(answer) - 1 > model.config.block_size:
            raise ValueError(f"pairs[{i}]: needs {len(prompt) + len(answer) - 1} positions, more than "
                             f"block_size={model.config.block_size}")
    rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in pairs]
    inputs, targets, mask = collate(rows, pad_id=0)
    with torch.no_grad():
        logits = model(inputs.to(next(model.parameters()).device))[0].double().cpu()
    mask = mask.bool()
    logprobs = token_logprobs(logits, targets).masked_fill(~mask, 0.0).sum(dim=1)
    prompt_positions = torch.arange(targets.shape[1]) < torch.tensor([len(p) - 1 for p, _ in pairs])[:, None]
    recalled = ((logits.argmax(dim=-1) == targets) | prompt_positions).all(dim=1)
    return logprobs, recalled
    ### END SOLUTION

# %% variant: recall-skips-last-token
# Greedy recall checks every answer position but the last.
def answer_scores(model, pairs):
    """How strongly `model` recalls each answer after its prompt, for all pairs in ONE forward pass.

    pairs: a non-empty list of (prompt_ids, answer_ids), each a non-empty list of token ids; the lengths may
        differ. Each pair needs len(prompt) + len(answer) - 1 <= model.config.block_size positions.
        ValueError (naming pairs) for an empty list, an empty prompt or answer, or a pair too long.
    Run the pairs as one right-padded batch (pad with token 0), under torch.no_grad(), calling the model as it
    is (the tests use models without dropout); take log_softmax of the logits in float64 (logits.double()).
    Returns (logprobs, recalled), both on the CPU:
        logprobs: float64 tensor (N,); logprobs[i] = the SUM over pair i's answer tokens a_j of
            log p(a_j | prompt, a_<j): the answer's tokens only (not the prompt's, not the padding).
        recalled: bool tensor (N,); True when at every answer position the argmax of the logits is the answer's
            token, i.e. exactly when greedy decoding from the prompt writes the answer.
    The tests compare with one full forward pass per answer token and with greedy generation, on pairs of
    different lengths, answers and prompts of one token, a pair that fills the context exactly, and one past it.
    """
    ### BEGIN SOLUTION
    if not pairs:
        raise ValueError("pairs: expected at least one (prompt_ids, answer_ids) pair")
    for i, (prompt, answer) in enumerate(pairs):
        if len(prompt) == 0 or len(answer) == 0:
            raise ValueError(f"pairs[{i}]: the prompt and the answer must both be non-empty")
        if len(prompt) + len(answer) - 1 > model.config.block_size:
            raise ValueError(f"pairs[{i}]: needs {len(prompt) + len(answer) - 1} positions, more than "
                             f"block_size={model.config.block_size}")
    rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in pairs]
    inputs, targets, mask = collate(rows, pad_id=0)
    with torch.no_grad():
        logits = model(inputs.to(next(model.parameters()).device))[0].double().cpu()
    mask = mask.bool()
    logprobs = token_logprobs(logits, targets).masked_fill(~mask, 0.0).sum(dim=1)
    last = mask.cumsum(1) == mask.sum(1, keepdim=True)
    recalled = ((logits.argmax(dim=-1) == targets) | ~mask | last).all(dim=1)
    return logprobs, recalled
    ### END SOLUTION
