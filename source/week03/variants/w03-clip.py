# %% variant: per-tensor
# Clips each gradient to max_norm on its own: the step's direction changes and its total norm can exceed max_norm.
def clip_grad_norm(parameters, max_norm):
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = torch.sqrt(sum((g**2).sum() for g in grads))
    for g in grads:
        g.mul_(min(1.0, max_norm / (g.norm().item() + 1e-6)))
    return total_norm


# %% variant: scales-up
# Always multiplies by max_norm / norm, so small gradients are blown up to max_norm.
def clip_grad_norm(parameters, max_norm):
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = torch.sqrt(sum((g**2).sum() for g in grads))
    for g in grads:
        g.mul_(max_norm / (total_norm.item() + 1e-6))
    return total_norm


# %% variant: norm-after-clipping
# Clips correctly but returns the norm after clipping.
def clip_grad_norm(parameters, max_norm):
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = torch.sqrt(sum((g**2).sum() for g in grads))
    for g in grads:
        g.mul_(min(1.0, max_norm / (total_norm.item() + 1e-6)))
    return torch.sqrt(sum((g**2).sum() for g in grads))


# %% variant: returns-a-float
# Clips correctly but returns the norm as a Python float (.item()), not the 0-d tensor the contract asks for.
def clip_grad_norm(parameters, max_norm):
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = torch.sqrt(sum((g**2).sum() for g in grads)).item()
    for g in grads:
        g.mul_(min(1.0, max_norm / (total_norm + 1e-6)))
    return total_norm


# %% variant: rebinds-grad
# Replaces each p.grad by a new, scaled tensor instead of scaling it in place: whoever holds the old tensor
# still sees the unclipped gradient.
def clip_grad_norm(parameters, max_norm):
    with_grad = [p for p in parameters if p.grad is not None]
    total_norm = torch.sqrt(sum((p.grad**2).sum() for p in with_grad))
    factor = min(1.0, max_norm / (total_norm.item() + 1e-6))
    for p in with_grad:
        p.grad = p.grad * factor
    return total_norm


# %% variant: no-eps
# Divides max_norm by the norm itself: all-zero gradients divide by zero.
def clip_grad_norm(parameters, max_norm):
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = torch.sqrt(sum((g**2).sum() for g in grads))
    factor = min(1.0, max_norm / total_norm.item())
    for g in grads:
        g.mul_(factor)
    return total_norm
