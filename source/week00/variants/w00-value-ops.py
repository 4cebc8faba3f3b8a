# %% variant: mul-forgets-upstream
# The product's backward adds the local derivative but never multiplies by out.grad.
class Value:
    """A scalar in a computation graph.

    data: the number (a float). grad: d(root) / d(this value), filled in by backward(); 0.0 until then.
    _prev: the Values this one was computed from (a tuple; the same Value may appear twice).
    _backward: a function of no arguments that ADDS this operation's share to the grad of each input,
        input.grad += local derivative * out.grad. A leaf's _backward does nothing.
    backward() itself comes in section 2.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op  # the operation that made this Value, for printing

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """self + other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other):
        """self * other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data
            other.grad += self.data
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent (not a Value): d/da a^p = p a^(p-1)."""
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """e ** self."""
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        """tanh(self); use math.tanh, which stays finite for large inputs."""
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """max(self, 0). Its derivative is 1 where self > 0 and 0 elsewhere, 0 at exactly 0 (as in PyTorch)."""
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # Built from the operations above: no new derivative rules needed.
    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __radd__(self, other):  # other + self, when other is a plain number
        return self + other

    def __rmul__(self, other):  # other * self
        return self * other

    def __rsub__(self, other):  # other - self
        return -self + other

    def __rtruediv__(self, other):  # other / self
        return self**-1 * other
# %% variant: assigns-instead-of-accumulating
# Every new backward rule assigns (=) the gradient instead of adding to it.
class Value:
    """A scalar in a computation graph.

    data: the number (a float). grad: d(root) / d(this value), filled in by backward(); 0.0 until then.
    _prev: the Values this one was computed from (a tuple; the same Value may appear twice).
    _backward: a function of no arguments that ADDS this operation's share to the grad of each input,
        input.grad += local derivative * out.grad. A leaf's _backward does nothing.
    backward() itself comes in section 2.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op  # the operation that made this Value, for printing

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """self + other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other):
        """self * other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent (not a Value): d/da a^p = p a^(p-1)."""
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad = exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """e ** self."""
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad = out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        """tanh(self); use math.tanh, which stays finite for large inputs."""
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad = (1.0 - out.data**2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """max(self, 0). Its derivative is 1 where self > 0 and 0 elsewhere, 0 at exactly 0 (as in PyTorch)."""
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad = (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # Built from the operations above: no new derivative rules needed.
    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __radd__(self, other):  # other + self, when other is a plain number
        return self + other

    def __rmul__(self, other):  # other * self
        return self * other

    def __rsub__(self, other):  # other - self
        return -self + other

    def __rtruediv__(self, other):  # other / self
        return self**-1 * other
# %% variant: pow-keeps-the-exponent
# The power rule forgets to lower the exponent: p * a**p instead of p * a**(p - 1).
class Value:
    """A scalar in a computation graph.

    data: the number (a float). grad: d(root) / d(this value), filled in by backward(); 0.0 until then.
    _prev: the Values this one was computed from (a tuple; the same Value may appear twice).
    _backward: a function of no arguments that ADDS this operation's share to the grad of each input,
        input.grad += local derivative * out.grad. A leaf's _backward does nothing.
    backward() itself comes in section 2.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op  # the operation that made this Value, for printing

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """self + other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other):
        """self * other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent (not a Value): d/da a^p = p a^(p-1)."""
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * self.data**exponent * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """e ** self."""
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        """tanh(self); use math.tanh, which stays finite for large inputs."""
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """max(self, 0). Its derivative is 1 where self > 0 and 0 elsewhere, 0 at exactly 0 (as in PyTorch)."""
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # Built from the operations above: no new derivative rules needed.
    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __radd__(self, other):  # other + self, when other is a plain number
        return self + other

    def __rmul__(self, other):  # other * self
        return self * other

    def __rsub__(self, other):  # other - self
        return -self + other

    def __rtruediv__(self, other):  # other / self
        return self**-1 * other
# %% variant: tanh-derivative-from-input
# tanh's derivative squares the input instead of the output: 1 - a**2.
class Value:
    """A scalar in a computation graph.

    data: the number (a float). grad: d(root) / d(this value), filled in by backward(); 0.0 until then.
    _prev: the Values this one was computed from (a tuple; the same Value may appear twice).
    _backward: a function of no arguments that ADDS this operation's share to the grad of each input,
        input.grad += local derivative * out.grad. A leaf's _backward does nothing.
    backward() itself comes in section 2.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op  # the operation that made this Value, for printing

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """self + other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other):
        """self * other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent (not a Value): d/da a^p = p a^(p-1)."""
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """e ** self."""
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        """tanh(self); use math.tanh, which stays finite for large inputs."""
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - self.data**2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """max(self, 0). Its derivative is 1 where self > 0 and 0 elsewhere, 0 at exactly 0 (as in PyTorch)."""
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # Built from the operations above: no new derivative rules needed.
    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __radd__(self, other):  # other + self, when other is a plain number
        return self + other

    def __rmul__(self, other):  # other * self
        return self * other

    def __rsub__(self, other):  # other - self
        return -self + other

    def __rtruediv__(self, other):  # other / self
        return self**-1 * other
# %% variant: mul-without-parents
# The product forgets its inputs: out._prev is empty, so backward() never reaches them.
class Value:
    """A scalar in a computation graph.

    data: the number (a float). grad: d(root) / d(this value), filled in by backward(); 0.0 until then.
    _prev: the Values this one was computed from (a tuple; the same Value may appear twice).
    _backward: a function of no arguments that ADDS this operation's share to the grad of each input,
        input.grad += local derivative * out.grad. A leaf's _backward does nothing.
    backward() itself comes in section 2.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op  # the operation that made this Value, for printing

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """self + other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other):
        """self * other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent (not a Value): d/da a^p = p a^(p-1)."""
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """e ** self."""
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        """tanh(self); use math.tanh, which stays finite for large inputs."""
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """max(self, 0). Its derivative is 1 where self > 0 and 0 elsewhere, 0 at exactly 0 (as in PyTorch)."""
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # Built from the operations above: no new derivative rules needed.
    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __radd__(self, other):  # other + self, when other is a plain number
        return self + other

    def __rmul__(self, other):  # other * self
        return self * other

    def __rsub__(self, other):  # other - self
        return -self + other

    def __rtruediv__(self, other):  # other / self
        return self**-1 * other

# %% variant: tanh-from-exp
# tanh as (e^2a - 1) / (e^2a + 1): math.exp overflows for a large input.
class Value:
    """A scalar in a computation graph.

    data: the number (a float). grad: d(root) / d(this value), filled in by backward(); 0.0 until then.
    _prev: the Values this one was computed from (a tuple; the same Value may appear twice).
    _backward: a function of no arguments that ADDS this operation's share to the grad of each input,
        input.grad += local derivative * out.grad. A leaf's _backward does nothing.
    backward() itself comes in section 2.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op  # the operation that made this Value, for printing

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """self + other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other):
        """self * other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent (not a Value): d/da a^p = p a^(p-1), at a = 0 too."""
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """e ** self."""
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        """tanh(self); use math.tanh, which stays finite for large inputs (the tests use +-400)."""
        e = math.exp(2 * self.data)
        out = Value((e - 1) / (e + 1), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """max(self, 0). Its derivative is 1 where self > 0 and 0 elsewhere, 0 at exactly 0 (as in PyTorch)."""
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # Built from the operations above: no new derivative rules needed.
    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __radd__(self, other):  # other + self, when other is a plain number
        return self + other

    def __rmul__(self, other):  # other * self
        return self * other

    def __rsub__(self, other):  # other - self
        return -self + other

    def __rtruediv__(self, other):  # other / self
        return self**-1 * other

# %% variant: pow-derivative-from-output
# d(a^p)/da computed as p * out / a: divides by zero at a = 0.
class Value:
    """A scalar in a computation graph.

    data: the number (a float). grad: d(root) / d(this value), filled in by backward(); 0.0 until then.
    _prev: the Values this one was computed from (a tuple; the same Value may appear twice).
    _backward: a function of no arguments that ADDS this operation's share to the grad of each input,
        input.grad += local derivative * out.grad. A leaf's _backward does nothing.
    backward() itself comes in section 2.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op  # the operation that made this Value, for printing

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """self + other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other):
        """self * other; other is a Value or a plain number."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent (not a Value): d/da a^p = p a^(p-1), at a = 0 too."""
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * out.data / self.data * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """e ** self."""
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        """tanh(self); use math.tanh, which stays finite for large inputs (the tests use +-400)."""
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """max(self, 0). Its derivative is 1 where self > 0 and 0 elsewhere, 0 at exactly 0 (as in PyTorch)."""
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # Built from the operations above: no new derivative rules needed.
    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __radd__(self, other):  # other + self, when other is a plain number
        return self + other

    def __rmul__(self, other):  # other * self
        return self * other

    def __rsub__(self, other):  # other - self
        return -self + other

    def __rtruediv__(self, other):  # other / self
        return self**-1 * other
