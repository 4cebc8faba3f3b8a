# %% variant: no-checkpoint
# Runs the blocks plainly: right loss and gradients, but every activation is kept.
def checkpointed_loss(model, idx, targets):
    """The loss of model (a minillm GPT with learned positions) on idx (B, T), targets (B, T), as
    model(idx, targets)[1] computes it, but with each block run as checkpoint(block, x, use_reentrant=False)
    while gradients are recorded (a block returns (x, attention weights or None)).

    Returns a 0-d tensor equal to model(idx, targets)[1]; its gradients equal those of the plain forward. The
    tests compare the loss and every gradient with the plain model's, and measure what the forward keeps.
    """
    ### BEGIN SOLUTION
    T = idx.size(1)
    x = model.token_embedding(idx) + model.position_embedding(torch.arange(T, device=idx.device))
    for block in model.blocks:
        x, _ = block(x)
    logits = model.lm_head(model.final_norm(x))
    return F.cross_entropy(logits.flatten(0, 1), targets.flatten())
    ### END SOLUTION

# %% variant: detached-input
# Checkpoints each block on a detached input: the gradient stops at every block.
def checkpointed_loss(model, idx, targets):
    """The loss of model (a minillm GPT with learned positions) on idx (B, T), targets (B, T), as
    model(idx, targets)[1] computes it, but with each block run as checkpoint(block, x, use_reentrant=False)
    while gradients are recorded (a block returns (x, attention weights or None)).

    Returns a 0-d tensor equal to model(idx, targets)[1]; its gradients equal those of the plain forward. The
    tests compare the loss and every gradient with the plain model's, and measure what the forward keeps.
    """
    ### BEGIN SOLUTION
    T = idx.size(1)
    x = model.token_embedding(idx) + model.position_embedding(torch.arange(T, device=idx.device))
    for block in model.blocks:
        x, _ = checkpoint(block, x.detach(), use_reentrant=False)
    logits = model.lm_head(model.final_norm(x))
    return F.cross_entropy(logits.flatten(0, 1), targets.flatten())
    ### END SOLUTION

# %% variant: one-checkpoint-for-all
# One checkpoint around the whole stack: less memory kept than the contract, and a longer recompute.
def checkpointed_loss(model, idx, targets):
    """The loss of model (a minillm GPT with learned positions) on idx (B, T), targets (B, T), as
    model(idx, targets)[1] computes it, but with each block run as checkpoint(block, x, use_reentrant=False)
    while gradients are recorded (a block returns (x, attention weights or None)).

    Returns a 0-d tensor equal to model(idx, targets)[1]; its gradients equal those of the plain forward. The
    tests compare the loss and every gradient with the plain model's, and measure what the forward keeps.
    """
    ### BEGIN SOLUTION
    T = idx.size(1)
    x = model.token_embedding(idx) + model.position_embedding(torch.arange(T, device=idx.device))
    def stack(x):
        for block in model.blocks:
            x, _ = block(x)
        return x

    x = checkpoint(stack, x, use_reentrant=False)
    logits = model.lm_head(model.final_norm(x))
    return F.cross_entropy(logits.flatten(0, 1), targets.flatten())
    ### END SOLUTION
