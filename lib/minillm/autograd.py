"""A scalar autograd engine and a tiny multi-layer perceptron built on it (week 00's reference).

Every arithmetic operation on a `Value` returns a new `Value` that remembers its inputs (`_prev`) and a
closure (`_backward`) that applies the chain rule for that one operation:

    input.grad += (d output / d input) * output.grad

`backward()` visits the graph in reverse topological order, so a node passes its gradient on only after
every node that uses it has added its share. Gradients accumulate (`+=`) because a value used twice
receives a contribution from each use.

    a, b = Value(2.0), Value(-3.0)
    loss = (a * b + a).tanh()
    loss.backward()            # a.grad, b.grad now hold d loss / d a, d loss / d b

`numerical_gradient` checks such gradients by central finite differences, and `Neuron`, `Layer`, `MLP`
stack Values into a small network whose `parameters()` a training loop updates.
"""

import math
import random


class Value:
    """A scalar in a computation graph: its value `data`, and `grad` = d(root) / d(this) after backward()."""

    __slots__ = ("data", "grad", "_backward", "_prev", "_op")  # a training step makes ~10^5 Values: keep them small

    def __init__(self, data, _children=(), _op=""):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise TypeError(f"data must be an int or a float, got {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None  # a leaf has no inputs to pass gradient to
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _as_value(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other):
        other = Value._as_value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = Value._as_value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent (not a Value)."""
        if isinstance(exponent, bool) or not isinstance(exponent, (int, float)):
            raise TypeError(f"exponent must be a constant int or float, got {type(exponent).__name__}")
        result = self.data**exponent
        if isinstance(result, complex):
            raise ValueError(f"{self.data} ** {exponent} is not a real number")
        out = Value(result, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad  # d e^x / dx = e^x, already computed

        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad  # derivative 0 at x = 0, as in PyTorch

        out._backward = _backward
        return out

    # Everything else is built from the operations above, so it needs no backward rule of its own.
    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-Value._as_value(other))

    def __truediv__(self, other):
        return self * Value._as_value(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return Value._as_value(other) - self

    def __rtruediv__(self, other):
        return Value._as_value(other) / self

    def backward(self):
        """Fill in `grad` of every node this one depends on, with d(self)/d(node); self.grad becomes 1.

        Gradients add to whatever `grad` held before, so zero them between training steps.
        """
        self.grad = 1.0
        for node in reversed(_topological_order(self)):
            node._backward()


def _topological_order(root):
    """Every node `root` depends on, each listed after all of its inputs (`root` last).

    Iterative depth-first search, so that a long chain (a sum of thousands of terms) cannot exceed Python's
    recursion limit.
    """
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev if child not in visited)
    return order


def numerical_gradient(f, inputs, eps=1e-6):
    """Central finite differences: the i-th entry is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps).

    f: a function from a list of floats to a float; inputs: the point x (a list of numbers, left unchanged).
    Returns a list of floats, one partial derivative per input. The error shrinks like eps**2 until
    float64 round-off (about 1e-16 / eps) takes over, so eps around 1e-6 to 1e-4 is a good choice.
    """
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    point = [float(x) for x in inputs]
    grads = []
    for i, x in enumerate(point):
        up = point[:i] + [x + eps] + point[i + 1 :]
        down = point[:i] + [x - eps] + point[i + 1 :]
        grads.append((f(up) - f(down)) / (2 * eps))
    return grads


class Neuron:
    """relu(w . x + b) (or w . x + b when nonlinear=False) for inputs x of length n_inputs.

    Weights are drawn in order with rng.uniform(-1, 1); the bias starts at 0.
    """

    def __init__(self, n_inputs, rng, nonlinear=True):
        if not isinstance(n_inputs, int) or n_inputs < 1:
            raise ValueError(f"n_inputs must be a positive int, got {n_inputs!r}")
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        if len(x) != len(self.w):
            raise ValueError(f"x must have {len(self.w)} entries, got {len(x)}")
        activation = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return activation.relu() if self.nonlinear else activation

    def parameters(self):
        """The weights in order, then the bias."""
        return self.w + [self.b]


class Layer:
    """n_outputs independent neurons reading the same inputs; returns a list of n_outputs Values."""

    def __init__(self, n_inputs, n_outputs, rng, nonlinear=True):
        self.neurons = [Neuron(n_inputs, rng, nonlinear) for _ in range(n_outputs)]

    def __call__(self, x):
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Layers of sizes layer_sizes after an input of size n_inputs; relu between layers, the last one linear.

    MLP(2, [16, 16, 1], random.Random(0))(x) maps a list of 2 numbers to a list of 1 Value.
    """

    def __init__(self, n_inputs, layer_sizes, rng=None):
        if not layer_sizes:
            raise ValueError("layer_sizes must name at least one layer")
        rng = random.Random(0) if rng is None else rng
        sizes = [n_inputs] + list(layer_sizes)
        last = len(layer_sizes) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], rng, nonlinear=i != last) for i in range(len(layer_sizes))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """Every weight and bias: layer by layer, neuron by neuron, each neuron's weights then its bias."""
        return [p for layer in self.layers for p in layer.parameters()]
