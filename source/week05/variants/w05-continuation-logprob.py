# %% variant: off-by-one
# Scores each continuation token with the logits at its own position (they predict the NEXT token).
def continuation_logprob(model, context_ids, continuation_ids):
    ids = torch.tensor([context_ids + continuation_ids], device=next(model.parameters()).device)
    with torch.no_grad():
        log_probs = F.log_softmax(model(ids)[0][0].double(), dim=-1)
    positions = torch.arange(len(context_ids), len(context_ids) + len(continuation_ids))
    return log_probs[positions, torch.tensor(continuation_ids)].sum().item()


# %% variant: mean-not-sum
# Averages the continuation's log-probabilities instead of adding them.
def continuation_logprob(model, context_ids, continuation_ids):
    ids = torch.tensor([context_ids + continuation_ids[:-1]], device=next(model.parameters()).device)
    with torch.no_grad():
        log_probs = F.log_softmax(model(ids)[0][0].double(), dim=-1)
    first = len(context_ids) - 1
    positions = torch.arange(first, first + len(continuation_ids))
    return log_probs[positions, torch.tensor(continuation_ids)].mean().item()


# %% variant: whole-sequence
# Adds the log-probabilities of the context's tokens too (from the second on).
def continuation_logprob(model, context_ids, continuation_ids):
    ids = torch.tensor([context_ids + continuation_ids[:-1]], device=next(model.parameters()).device)
    targets = torch.tensor(context_ids[1:] + continuation_ids)
    with torch.no_grad():
        log_probs = F.log_softmax(model(ids)[0][0].double(), dim=-1)
    return log_probs[torch.arange(len(targets)), targets].sum().item()


# %% variant: raw-logits
# Adds the raw logits of the continuation tokens, without the log-softmax.
def continuation_logprob(model, context_ids, continuation_ids):
    ids = torch.tensor([context_ids + continuation_ids[:-1]], device=next(model.parameters()).device)
    with torch.no_grad():
        logits = model(ids)[0][0].double()
    first = len(context_ids) - 1
    positions = torch.arange(first, first + len(continuation_ids))
    return logits[positions, torch.tensor(continuation_ids)].sum().item()


# %% variant: feeds-last-token
# Runs the model on the whole context + continuation: right values, but one position too many, so a pair that
# exactly fills the context no longer fits.
def continuation_logprob(model, context_ids, continuation_ids):
    ids = torch.tensor([context_ids + continuation_ids], device=next(model.parameters()).device)
    with torch.no_grad():
        log_probs = F.log_softmax(model(ids)[0][0].double(), dim=-1)
    first = len(context_ids) - 1
    positions = torch.arange(first, first + len(continuation_ids))
    return log_probs[positions, torch.tensor(continuation_ids)].sum().item()
