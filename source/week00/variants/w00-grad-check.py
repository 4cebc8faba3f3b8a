# %% variant: forward-difference
# One-sided difference (f(x + eps) - f(x)) / eps: error O(eps) instead of O(eps^2).
def numerical_gradient(f, inputs, eps=1e-6):
    """Central finite differences of f at the point `inputs`.

    f: a function from a list of floats to a float. inputs: a list of floats; leave it unchanged.
    Returns a list of floats, one per input: the i-th is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), where
    x + eps e_i is `inputs` with only entry i increased by eps.
    """
    grads = []
    for i in range(len(inputs)):
        up = list(inputs)
        up[i] += eps
        grads.append((f(up) - f(inputs)) / eps)
    return grads
# %% variant: divides-by-eps
# Central difference divided by eps instead of 2 eps: every gradient doubled.
def numerical_gradient(f, inputs, eps=1e-6):
    """Central finite differences of f at the point `inputs`.

    f: a function from a list of floats to a float. inputs: a list of floats; leave it unchanged.
    Returns a list of floats, one per input: the i-th is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), where
    x + eps e_i is `inputs` with only entry i increased by eps.
    """
    grads = []
    for i in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[i] += eps
        down[i] -= eps
        grads.append((f(up) - f(down)) / eps)
    return grads
# %% variant: perturbs-in-place
# Moves the caller's list in place and never puts it back, so later partials are taken at the wrong point.
def numerical_gradient(f, inputs, eps=1e-6):
    """Central finite differences of f at the point `inputs`.

    f: a function from a list of floats to a float. inputs: a list of floats; leave it unchanged.
    Returns a list of floats, one per input: the i-th is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), where
    x + eps e_i is `inputs` with only entry i increased by eps.
    """
    grads = []
    for i in range(len(inputs)):
        inputs[i] += eps
        f_up = f(inputs)
        inputs[i] -= 2 * eps
        grads.append((f_up - f(inputs)) / (2 * eps))
    return grads
# %% variant: moves-every-input
# Perturbs all inputs at once, giving a directional derivative for every entry.
def numerical_gradient(f, inputs, eps=1e-6):
    """Central finite differences of f at the point `inputs`.

    f: a function from a list of floats to a float. inputs: a list of floats; leave it unchanged.
    Returns a list of floats, one per input: the i-th is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), where
    x + eps e_i is `inputs` with only entry i increased by eps.
    """
    grads = []
    for i in range(len(inputs)):
        up = [x + eps for x in inputs]
        down = [x - eps for x in inputs]
        grads.append((f(up) - f(down)) / (2 * eps))
    return grads

# %% variant: returns-a-tuple
# Returns a tuple instead of a list.
def numerical_gradient(f, inputs, eps=1e-6):
    """Central finite differences of f at the point `inputs`.

    f: a function from a list of floats to a float. inputs: a list of floats; leave it exactly unchanged.
    Returns a list (not a tuple) of floats, one per input: the i-th is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), where
    x + eps e_i is `inputs` with only entry i increased by eps.
    """
    grads = []
    for i in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[i] += eps
        down[i] -= eps
        grads.append((f(up) - f(down)) / (2 * eps))
    return tuple(grads)
    ### END SOLUTION

# %% variant: returns-an-array
# Returns a NumPy array instead of a list.
def numerical_gradient(f, inputs, eps=1e-6):
    """Central finite differences of f at the point `inputs`.

    f: a function from a list of floats to a float. inputs: a list of floats; leave it exactly unchanged.
    Returns a list (not a tuple) of floats, one per input: the i-th is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), where
    x + eps e_i is `inputs` with only entry i increased by eps.
    """
    grads = []
    for i in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[i] += eps
        down[i] -= eps
        grads.append((f(up) - f(down)) / (2 * eps))
    return np.array(grads)
    ### END SOLUTION
