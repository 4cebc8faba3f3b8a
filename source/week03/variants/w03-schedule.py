# %% variant: warmup-off-by-one
# Warmup uses step / warmup_steps: step 0 has learning rate 0 and max_lr is reached one step late.
def lr_at(step, max_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step > total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


# %% variant: progress-from-zero
# Measures the cosine's progress as step / total_steps, so it starts below max_lr right after warmup.
def lr_at(step, max_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return max_lr * (step + 1) / warmup_steps
    if step > total_steps:
        return min_lr
    progress = step / total_steps
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


# %% variant: decays-to-zero
# Ignores min_lr in the cosine (decays to 0) and only jumps to min_lr after total_steps.
def lr_at(step, max_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return max_lr * (step + 1) / warmup_steps
    if step > total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return max_lr * 0.5 * (1 + math.cos(math.pi * progress))


# %% variant: returns-a-tensor
# Computes the cosine with torch: right values, but a 0-d tensor where the contract promises a float.
def lr_at(step, max_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return max_lr * (step + 1) / warmup_steps
    if step > total_steps:
        return min_lr
    progress = torch.tensor((step - warmup_steps) / (total_steps - warmup_steps), dtype=torch.float64)
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + torch.cos(math.pi * progress))


# %% variant: linear-decay
# Decays in a straight line from max_lr to min_lr: right at the start, the middle and the end of the decay.
def lr_at(step, max_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return max_lr * (step + 1) / warmup_steps
    if step > total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return max_lr - (max_lr - min_lr) * progress
