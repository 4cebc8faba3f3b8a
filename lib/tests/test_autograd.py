"""autograd.py against torch.autograd (float64) and central finite differences."""

import math
import random

import pytest
import torch

from minillm.autograd import MLP, Layer, Neuron, Value, numerical_gradient

UNARY = {
    "exp": (lambda v: v.exp(), torch.exp),
    "tanh": (lambda v: v.tanh(), torch.tanh),
    "relu": (lambda v: v.relu(), torch.relu),
    "neg": (lambda v: -v, lambda t: -t),
    "square": (lambda v: v**2, lambda t: t**2),
    "cube": (lambda v: v**3, lambda t: t**3),
    "inverse": (lambda v: v**-1, lambda t: t**-1),
    "sqrt": (lambda v: v**0.5, lambda t: t**0.5),
    "const-minus": (lambda v: 2.0 - v, lambda t: 2.0 - t),
    "const-over": (lambda v: 3.0 / v, lambda t: 3.0 / t),
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}


def torch_leaf(x):
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("x", [-1.7, 0.4, 2.3])
def test_unary_ops_equal_torch(name, x):
    ours_fn, torch_fn = UNARY[name]
    if name == "sqrt":
        x = abs(x)
    a, ta = Value(x), torch_leaf(x)
    out, t_out = ours_fn(a), torch_fn(ta)
    out.backward()
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-12)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("x, y", [(1.5, -0.5), (-2.0, 3.0), (0.25, 0.25)])
def test_binary_ops_equal_torch(name, x, y):
    fn = BINARY[name]
    a, b = Value(x), Value(y)
    ta, tb = torch_leaf(x), torch_leaf(y)
    out, t_out = fn(a, b), fn(ta, tb)
    out.backward()
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-12)
    assert (a.grad, b.grad) == pytest.approx((ta.grad.item(), tb.grad.item()), rel=1e-12)


def test_numbers_on_either_side():
    a = Value(2.0)
    results = [a + 1, 1 + a, a - 1, 1 - a, a * 3, 3 * a, a / 4, 4 / a]
    assert [r.data for r in results] == [3.0, 3.0, 1.0, -1.0, 6.0, 6.0, 0.5, 2.0]


def test_relu_derivative_at_zero_is_zero_like_pytorch():
    a, ta = Value(0.0), torch_leaf(0.0)
    a.relu().backward()
    torch.relu(ta).backward()
    assert a.grad == ta.grad.item() == 0.0


def expression(a, b, c):
    """Reuses nodes (a three times, e twice) and mixes every operation, so accumulation and order matter."""
    e = a * b + c
    f = (e * e + a).tanh() * (b / c).exp()
    return f + (a**3 - e).relu() + 2.0 * a


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backward_through_shared_nodes_equals_torch(seed):
    rng = random.Random(seed)
    xs = [rng.uniform(-1.5, 1.5) for _ in range(2)] + [rng.uniform(0.5, 2.0)]
    ours = [Value(x) for x in xs]
    theirs = [torch_leaf(x) for x in xs]
    out, t_out = expression(*ours), expression(*theirs)
    out.backward()
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-12)
    assert [v.grad for v in ours] == pytest.approx([t.grad.item() for t in theirs], rel=1e-10)


def test_node_used_twice_gets_both_contributions():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0, "a * a must give d/da = 2a: gradients accumulate over both uses"
    b = Value(-2.0)
    (b + b + b).backward()
    assert b.grad == 3.0


def test_gradients_accumulate_across_backward_calls():
    a = Value(2.0)
    for expected in (4.0, 8.0):
        (a * a).backward()
        assert a.grad == expected


def test_long_chain_does_not_hit_the_recursion_limit():
    x = Value(1.0)
    total = sum(x * i for i in range(5000))
    total.backward()
    assert total.data == sum(range(5000))
    assert x.grad == sum(range(5000))


def test_backward_equals_finite_differences():
    xs = [0.3, -1.1, 1.7]

    def f(values):
        return expression(*[Value(v) for v in values]).data

    leaves = [Value(x) for x in xs]
    expression(*leaves).backward()
    assert [v.grad for v in leaves] == pytest.approx(numerical_gradient(f, xs), rel=1e-6, abs=1e-8)


def test_numerical_gradient_hand_derived_and_leaves_input_alone():
    point = [2.0, -1.0]
    grads = numerical_gradient(lambda v: v[0] ** 3 + v[0] * v[1], point, eps=1e-2)
    # central differences of a cubic are exact up to eps**2: d/dx x^3 -> 3x^2 + eps^2
    assert grads == pytest.approx([3 * 2.0**2 + 1e-4 + (-1.0), 2.0], rel=1e-10)
    assert point == [2.0, -1.0]


def test_bad_input_raises_clear_errors():
    with pytest.raises(TypeError, match="data"):
        Value("1.0")
    with pytest.raises(TypeError, match="data"):
        Value(Value(1.0))
    with pytest.raises(TypeError, match="exponent"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="real"):
        Value(-4.0) ** 0.5
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(lambda v: v[0], [1.0], eps=0.0)
    with pytest.raises(ValueError, match="n_inputs"):
        Neuron(0, random.Random(0))
    with pytest.raises(ValueError, match="x must have 3"):
        Neuron(3, random.Random(0))([1.0, 2.0])
    with pytest.raises(ValueError, match="layer_sizes"):
        MLP(2, [])


def torch_mlp(mlp):
    """The same network in torch (float64) with the MLP's parameters copied in."""
    layers = []
    for i, layer in enumerate(mlp.layers):
        linear = torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        layers.append(linear)
        if i < len(mlp.layers) - 1:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


@pytest.mark.parametrize("sizes", [[1], [4, 1], [5, 3, 2]])
def test_mlp_forward_and_gradients_equal_torch(sizes):
    mlp = MLP(3, sizes, random.Random(1))
    for p in mlp.parameters():  # non-zero biases so that a bias left out would show
        p.data += 0.1
    reference = torch_mlp(mlp)
    x = [0.5, -1.2, 2.0]
    out = mlp(x)
    t_out = reference(torch.tensor(x, dtype=torch.float64))
    assert [o.data for o in out] == pytest.approx(t_out.tolist(), rel=1e-12)
    sum(o * (i + 1) for i, o in enumerate(out)).backward()
    (t_out * torch.arange(1, len(out) + 1)).sum().backward()
    linears = [m for m in reference if isinstance(m, torch.nn.Linear)]  # each row: a neuron's weights, then bias
    t_grads = torch.cat([torch.cat([m.weight.grad, m.bias.grad[:, None]], dim=1).flatten() for m in linears]).tolist()
    assert [p.grad for p in mlp.parameters()] == pytest.approx(t_grads, rel=1e-10, abs=1e-12)


def test_mlp_parameters_order_count_and_init():
    mlp = MLP(2, [3, 1], random.Random(7))
    params = mlp.parameters()
    assert len(params) == (2 + 1) * 3 + (3 + 1) * 1
    assert len({id(p) for p in params}) == len(params), "parameters must be distinct Values"
    rng = random.Random(7)
    first = Neuron(2, rng)
    assert [p.data for p in params[:3]] == [w.data for w in first.w] + [0.0]
    assert params[3].data == rng.uniform(-1, 1), "the second neuron draws right after the first"
    assert [p.data for p in MLP(2, [3, 1], random.Random(7)).parameters()] == [p.data for p in params]
    assert len(Layer(2, 4, random.Random(0))([1.0, 2.0])) == 4


def test_last_layer_is_linear_and_hidden_layers_are_relu():
    mlp = MLP(1, [1, 1], random.Random(0))
    mlp.layers[0].neurons[0].w[0].data = 1.0
    mlp.layers[1].neurons[0].w[0].data = -2.0
    assert mlp([-3.0])[0].data == 0.0, "the hidden relu clips -3 to 0"
    assert mlp([3.0])[0].data == -6.0, "the output layer has no relu, so it can go negative"


def test_training_reduces_hinge_loss():
    rng = random.Random(0)
    points = [([rng.uniform(-1, 1), rng.uniform(-1, 1)]) for _ in range(12)]
    labels = [1.0 if x * y > 0 else -1.0 for x, y in points]
    mlp = MLP(2, [8, 1], random.Random(0))

    def loss():
        return sum((1 - y * mlp(x)[0]).relu() for x, y in zip(points, labels)) / len(points)

    start = loss().data
    for _ in range(30):
        current = loss()
        for p in mlp.parameters():
            p.grad = 0.0
        current.backward()
        for p in mlp.parameters():
            p.data -= 0.1 * p.grad
    assert loss().data < 0.5 * start
    assert math.isfinite(loss().data)
