# %% variant: no-half
# The penalty misses the 1/2: lam * sum F (theta - theta*)^2.
def ewc_penalty(model, fisher, anchor, lam):
    """lam / 2 * sum over the named parameters and their entries of fisher[name] * (theta - anchor[name])^2.

    fisher, anchor: dicts {name: tensor} naming parameters of model (dict(model.named_parameters())) with the
    same keys (e.g. from fisher_diagonal and a detached copy of the weights after the old task); lam: a float
    >= 0 (negative: ValueError). Returns a 0-d tensor through which gradients reach the parameters.
    The tests check a hand-computed value, its gradient, zero at the anchor, lam = 0, and random cases.
    """
    ### BEGIN SOLUTION
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    params = dict(model.named_parameters())
    total = sum(((params[n] - anchor[n]) ** 2 * fisher[n]).sum() for n in fisher)
    return lam * total
    ### END SOLUTION

# %% variant: pulls-to-zero
# The spring pulls the weights towards zero (F theta^2), not towards the anchor.
def ewc_penalty(model, fisher, anchor, lam):
    """lam / 2 * sum over the named parameters and their entries of fisher[name] * (theta - anchor[name])^2.

    fisher, anchor: dicts {name: tensor} naming parameters of model (dict(model.named_parameters())) with the
    same keys (e.g. from fisher_diagonal and a detached copy of the weights after the old task); lam: a float
    >= 0 (negative: ValueError). Returns a 0-d tensor through which gradients reach the parameters.
    The tests check a hand-computed value, its gradient, zero at the anchor, lam = 0, and random cases.
    """
    ### BEGIN SOLUTION
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    params = dict(model.named_parameters())
    total = sum((params[n] ** 2 * fisher[n]).sum() for n in fisher)
    return lam / 2 * total
    ### END SOLUTION

# %% variant: detached
# The penalty is computed on detached weights, so no gradient reaches the parameters.
def ewc_penalty(model, fisher, anchor, lam):
    """lam / 2 * sum over the named parameters and their entries of fisher[name] * (theta - anchor[name])^2.

    fisher, anchor: dicts {name: tensor} naming parameters of model (dict(model.named_parameters())) with the
    same keys (e.g. from fisher_diagonal and a detached copy of the weights after the old task); lam: a float
    >= 0 (negative: ValueError). Returns a 0-d tensor through which gradients reach the parameters.
    The tests check a hand-computed value, its gradient, zero at the anchor, lam = 0, and random cases.
    """
    ### BEGIN SOLUTION
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    params = dict(model.named_parameters())
    total = sum(((params[n].detach() - anchor[n]) ** 2 * fisher[n]).sum() for n in fisher)
    return lam / 2 * total
    ### END SOLUTION
