# %% variant: no-final-norm
# Unembeds the raw residual streams, skipping the final norm.
def logit_lens(model, residuals):
    """The model's final norm then its lm_head applied to each residual stream.

    model: a minillm GPT (model.final_norm, model.lm_head); residuals: a list of L + 1 tensors (B, T, C), as
    interpret.trace records them. Returns one tensor (L + 1, B, T, vocab_size); its last entry equals the
    model's logits. No gradient needed (wrap in torch.no_grad()).
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        return torch.stack([model.lm_head(r) for r in residuals])
    ### END SOLUTION


def target_rank(logits, targets):
    """0-based rank of each target token: logits (..., V), targets (...) int64 -> (...) int64.

    rank = the number of vocabulary entries whose logit is strictly larger than the target's; 0 = top-1.
    """
    ### BEGIN SOLUTION
    return (logits > logits.gather(-1, targets.unsqueeze(-1))).sum(dim=-1)
    ### END SOLUTION

# %% variant: rank-one-based
# 1-based ranks (top prediction = 1) against the 0-based contract.
def logit_lens(model, residuals):
    """The model's final norm then its lm_head applied to each residual stream.

    model: a minillm GPT (model.final_norm, model.lm_head); residuals: a list of L + 1 tensors (B, T, C), as
    interpret.trace records them. Returns one tensor (L + 1, B, T, vocab_size); its last entry equals the
    model's logits. No gradient needed (wrap in torch.no_grad()).
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        return torch.stack([model.lm_head(model.final_norm(r)) for r in residuals])
    ### END SOLUTION


def target_rank(logits, targets):
    """0-based rank of each target token: logits (..., V), targets (...) int64 -> (...) int64.

    rank = the number of vocabulary entries whose logit is strictly larger than the target's; 0 = top-1.
    """
    ### BEGIN SOLUTION
    return (logits > logits.gather(-1, targets.unsqueeze(-1))).sum(dim=-1) + 1
    ### END SOLUTION

# %% variant: rank-counts-ties
# Counts the other logits >= the target's: a tie with the top gives rank 1.
def logit_lens(model, residuals):
    """The model's final norm then its lm_head applied to each residual stream.

    model: a minillm GPT (model.final_norm, model.lm_head); residuals: a list of L + 1 tensors (B, T, C), as
    interpret.trace records them. Returns one tensor (L + 1, B, T, vocab_size); its last entry equals the
    model's logits. No gradient needed (wrap in torch.no_grad()).
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        return torch.stack([model.lm_head(model.final_norm(r)) for r in residuals])
    ### END SOLUTION


def target_rank(logits, targets):
    """0-based rank of each target token: logits (..., V), targets (...) int64 -> (...) int64.

    rank = the number of vocabulary entries whose logit is strictly larger than the target's; 0 = top-1.
    """
    ### BEGIN SOLUTION
    return (logits >= logits.gather(-1, targets.unsqueeze(-1))).sum(dim=-1) - 1
    ### END SOLUTION
