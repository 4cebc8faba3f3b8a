# %% variant: relu-on-the-output
# Every layer gets a relu, the last one too, so the score can never be negative.
class Neuron:
    """One unit: relu(w . x + b), or the plain w . x + b when nonlinear=False.

    n_inputs: the length of x. rng: a random.Random; the weights are drawn in order with rng.uniform(-1, 1),
    one call per input, and the bias is Value(0.0). Attributes: w (list of Values), b (Value), nonlinear.
    """

    def __init__(self, n_inputs, rng, nonlinear=True):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns one Value."""
        activation = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return activation.relu() if self.nonlinear else activation

    def parameters(self):
        """The weights in order, then the bias: a list of n_inputs + 1 Values."""
        return self.w + [self.b]


class Layer:
    """n_outputs separate Neurons (built one after another from rng) reading the same input."""

    def __init__(self, n_inputs, n_outputs, rng, nonlinear=True):
        self.neurons = [Neuron(n_inputs, rng, nonlinear) for _ in range(n_outputs)]

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns a list of n_outputs Values."""
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        """Neuron by neuron, each neuron's parameters in order."""
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Layers of sizes layer_sizes after an input of size n_inputs, built in order from rng.

    Every layer is nonlinear (relu) except the last, which is linear. MLP(2, [16, 16, 1], rng) maps a list of
    2 numbers to a list of 1 Value.
    """

    def __init__(self, n_inputs, layer_sizes, rng):
        sizes = [n_inputs] + list(layer_sizes)
        last = len(layer_sizes) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], rng, nonlinear=True) for i in range(len(layer_sizes))]

    def __call__(self, x):
        """x: a list of n_inputs numbers. Returns a list of layer_sizes[-1] Values."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """Layer by layer, each layer's parameters in order."""
        return [p for layer in self.layers for p in layer.parameters()]
# %% variant: bias-missing-from-parameters
# parameters() returns only the weights, so the biases are never trained.
class Neuron:
    """One unit: relu(w . x + b), or the plain w . x + b when nonlinear=False.

    n_inputs: the length of x. rng: a random.Random; the weights are drawn in order with rng.uniform(-1, 1),
    one call per input, and the bias is Value(0.0). Attributes: w (list of Values), b (Value), nonlinear.
    """

    def __init__(self, n_inputs, rng, nonlinear=True):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns one Value."""
        activation = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return activation.relu() if self.nonlinear else activation

    def parameters(self):
        """The weights in order, then the bias: a list of n_inputs + 1 Values."""
        return list(self.w)


class Layer:
    """n_outputs separate Neurons (built one after another from rng) reading the same input."""

    def __init__(self, n_inputs, n_outputs, rng, nonlinear=True):
        self.neurons = [Neuron(n_inputs, rng, nonlinear) for _ in range(n_outputs)]

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns a list of n_outputs Values."""
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        """Neuron by neuron, each neuron's parameters in order."""
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Layers of sizes layer_sizes after an input of size n_inputs, built in order from rng.

    Every layer is nonlinear (relu) except the last, which is linear. MLP(2, [16, 16, 1], rng) maps a list of
    2 numbers to a list of 1 Value.
    """

    def __init__(self, n_inputs, layer_sizes, rng):
        sizes = [n_inputs] + list(layer_sizes)
        last = len(layer_sizes) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], rng, nonlinear=i != last) for i in range(len(layer_sizes))]

    def __call__(self, x):
        """x: a list of n_inputs numbers. Returns a list of layer_sizes[-1] Values."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """Layer by layer, each layer's parameters in order."""
        return [p for layer in self.layers for p in layer.parameters()]
# %% variant: one-neuron-repeated
# The layer repeats one Neuron object n_outputs times instead of building separate ones.
class Neuron:
    """One unit: relu(w . x + b), or the plain w . x + b when nonlinear=False.

    n_inputs: the length of x. rng: a random.Random; the weights are drawn in order with rng.uniform(-1, 1),
    one call per input, and the bias is Value(0.0). Attributes: w (list of Values), b (Value), nonlinear.
    """

    def __init__(self, n_inputs, rng, nonlinear=True):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns one Value."""
        activation = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return activation.relu() if self.nonlinear else activation

    def parameters(self):
        """The weights in order, then the bias: a list of n_inputs + 1 Values."""
        return self.w + [self.b]


class Layer:
    """n_outputs separate Neurons (built one after another from rng) reading the same input."""

    def __init__(self, n_inputs, n_outputs, rng, nonlinear=True):
        self.neurons = [Neuron(n_inputs, rng, nonlinear)] * n_outputs

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns a list of n_outputs Values."""
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        """Neuron by neuron, each neuron's parameters in order."""
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Layers of sizes layer_sizes after an input of size n_inputs, built in order from rng.

    Every layer is nonlinear (relu) except the last, which is linear. MLP(2, [16, 16, 1], rng) maps a list of
    2 numbers to a list of 1 Value.
    """

    def __init__(self, n_inputs, layer_sizes, rng):
        sizes = [n_inputs] + list(layer_sizes)
        last = len(layer_sizes) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], rng, nonlinear=i != last) for i in range(len(layer_sizes))]

    def __call__(self, x):
        """x: a list of n_inputs numbers. Returns a list of layer_sizes[-1] Values."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """Layer by layer, each layer's parameters in order."""
        return [p for layer in self.layers for p in layer.parameters()]
# %% variant: forgets-the-bias
# The neuron's forward pass leaves out the bias.
class Neuron:
    """One unit: relu(w . x + b), or the plain w . x + b when nonlinear=False.

    n_inputs: the length of x. rng: a random.Random; the weights are drawn in order with rng.uniform(-1, 1),
    one call per input, and the bias is Value(0.0). Attributes: w (list of Values), b (Value), nonlinear.
    """

    def __init__(self, n_inputs, rng, nonlinear=True):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns one Value."""
        activation = sum(wi * xi for wi, xi in zip(self.w, x))
        return activation.relu() if self.nonlinear else activation

    def parameters(self):
        """The weights in order, then the bias: a list of n_inputs + 1 Values."""
        return self.w + [self.b]


class Layer:
    """n_outputs separate Neurons (built one after another from rng) reading the same input."""

    def __init__(self, n_inputs, n_outputs, rng, nonlinear=True):
        self.neurons = [Neuron(n_inputs, rng, nonlinear) for _ in range(n_outputs)]

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns a list of n_outputs Values."""
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        """Neuron by neuron, each neuron's parameters in order."""
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Layers of sizes layer_sizes after an input of size n_inputs, built in order from rng.

    Every layer is nonlinear (relu) except the last, which is linear. MLP(2, [16, 16, 1], rng) maps a list of
    2 numbers to a list of 1 Value.
    """

    def __init__(self, n_inputs, layer_sizes, rng):
        sizes = [n_inputs] + list(layer_sizes)
        last = len(layer_sizes) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], rng, nonlinear=i != last) for i in range(len(layer_sizes))]

    def __call__(self, x):
        """x: a list of n_inputs numbers. Returns a list of layer_sizes[-1] Values."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """Layer by layer, each layer's parameters in order."""
        return [p for layer in self.layers for p in layer.parameters()]

# %% variant: detached-activation
# The neuron adds up the numbers behind the Values: the forward pass is right, no gradient reaches the weights.
class Neuron:
    """One unit: relu(w . x + b), or the plain w . x + b when nonlinear=False.

    n_inputs: the length of x. rng: a random.Random; the weights are drawn in order with rng.uniform(-1, 1),
    one call per input, and the bias is Value(0.0). Attributes: w (list of Values), b (Value), nonlinear.
    The output is built from w and b with Value operations, so that backward() reaches every parameter.
    """

    def __init__(self, n_inputs, rng, nonlinear=True):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns one Value."""
        total = sum(wi.data * (xi.data if isinstance(xi, Value) else xi) for wi, xi in zip(self.w, x))
        activation = Value(total + self.b.data)
        return activation.relu() if self.nonlinear else activation

    def parameters(self):
        """The weights in order, then the bias: a list of n_inputs + 1 Values."""
        return self.w + [self.b]


class Layer:
    """n_outputs separate Neurons (built one after another from rng) reading the same input."""

    def __init__(self, n_inputs, n_outputs, rng, nonlinear=True):
        self.neurons = [Neuron(n_inputs, rng, nonlinear) for _ in range(n_outputs)]

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns a list of n_outputs Values."""
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        """Neuron by neuron, each neuron's parameters in order."""
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Layers of sizes layer_sizes (a list or a tuple) after an input of size n_inputs, built in order from rng.

    Every layer is nonlinear (relu) except the last, which is linear. MLP(2, [16, 16, 1], rng) maps a list of
    2 numbers to a list of 1 Value.
    """

    def __init__(self, n_inputs, layer_sizes, rng):
        sizes = [n_inputs] + list(layer_sizes)
        last = len(layer_sizes) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], rng, nonlinear=i != last) for i in range(len(layer_sizes))]

    def __call__(self, x):
        """x: a list of n_inputs numbers. Returns a list of layer_sizes[-1] Values."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """Layer by layer, each layer's parameters in order."""
        return [p for layer in self.layers for p in layer.parameters()]
        ### END SOLUTION

# %% variant: layer-sizes-must-be-a-list
# Concatenates [n_inputs] + layer_sizes: fails when layer_sizes is a tuple.
class Neuron:
    """One unit: relu(w . x + b), or the plain w . x + b when nonlinear=False.

    n_inputs: the length of x. rng: a random.Random; the weights are drawn in order with rng.uniform(-1, 1),
    one call per input, and the bias is Value(0.0). Attributes: w (list of Values), b (Value), nonlinear.
    The output is built from w and b with Value operations, so that backward() reaches every parameter.
    """

    def __init__(self, n_inputs, rng, nonlinear=True):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns one Value."""
        activation = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return activation.relu() if self.nonlinear else activation

    def parameters(self):
        """The weights in order, then the bias: a list of n_inputs + 1 Values."""
        return self.w + [self.b]


class Layer:
    """n_outputs separate Neurons (built one after another from rng) reading the same input."""

    def __init__(self, n_inputs, n_outputs, rng, nonlinear=True):
        self.neurons = [Neuron(n_inputs, rng, nonlinear) for _ in range(n_outputs)]

    def __call__(self, x):
        """x: a list of n_inputs numbers or Values. Returns a list of n_outputs Values."""
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        """Neuron by neuron, each neuron's parameters in order."""
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Layers of sizes layer_sizes (a list or a tuple) after an input of size n_inputs, built in order from rng.

    Every layer is nonlinear (relu) except the last, which is linear. MLP(2, [16, 16, 1], rng) maps a list of
    2 numbers to a list of 1 Value.
    """

    def __init__(self, n_inputs, layer_sizes, rng):
        sizes = [n_inputs] + layer_sizes
        last = len(layer_sizes) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], rng, nonlinear=i != last) for i in range(len(layer_sizes))]

    def __call__(self, x):
        """x: a list of n_inputs numbers. Returns a list of layer_sizes[-1] Values."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """Layer by layer, each layer's parameters in order."""
        return [p for layer in self.layers for p in layer.parameters()]
        ### END SOLUTION
