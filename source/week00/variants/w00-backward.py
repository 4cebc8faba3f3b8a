# %% variant: breadth-first-order
# Walks the graph breadth-first from the output, so a shared node can pass its gradient on before it is complete.
def backward(self):
    """Backpropagate from `self`: afterwards node.grad = d(self)/d(node) for every node `self` depends on.

    Sets self.grad = 1.0, orders the graph topologically (every node after its inputs, found through
    node._prev; each node once), then calls node._backward() for every node in REVERSE topological order.
    Works on any object with data, grad, _prev and _backward. Other nodes' grads are added to, not reset.
    """
    self.grad = 1.0
    queue, visited = [self], {self}
    while queue:
        node = queue.pop(0)
        node._backward()
        for parent in node._prev:
            if parent not in visited:
                visited.add(parent)
                queue.append(parent)


Value.backward = backward  # now every Value has the method: loss.backward()
# %% variant: no-visited-set
# Appends a node once per path that reaches it, so shared nodes run _backward several times.
def backward(self):
    """Backpropagate from `self`: afterwards node.grad = d(self)/d(node) for every node `self` depends on.

    Sets self.grad = 1.0, orders the graph topologically (every node after its inputs, found through
    node._prev; each node once), then calls node._backward() for every node in REVERSE topological order.
    Works on any object with data, grad, _prev and _backward. Other nodes' grads are added to, not reset.
    """
    order, visited = [], set()

    def visit(node):
        for parent in node._prev:
            visit(parent)
        order.append(node)

    visit(self)
    self.grad = 1.0
    for node in reversed(order):
        node._backward()


Value.backward = backward  # now every Value has the method: loss.backward()
# %% variant: forgets-the-seed
# Never sets the output's gradient to 1, so every gradient stays 0.
def backward(self):
    """Backpropagate from `self`: afterwards node.grad = d(self)/d(node) for every node `self` depends on.

    Sets self.grad = 1.0, orders the graph topologically (every node after its inputs, found through
    node._prev; each node once), then calls node._backward() for every node in REVERSE topological order.
    Works on any object with data, grad, _prev and _backward. Other nodes' grads are added to, not reset.
    """
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node._prev:
                visit(parent)
            order.append(node)

    visit(self)
    for node in reversed(order):
        node._backward()


Value.backward = backward  # now every Value has the method: loss.backward()
# %% variant: not-reversed
# Calls _backward in topological order (leaves first) instead of reversed.
def backward(self):
    """Backpropagate from `self`: afterwards node.grad = d(self)/d(node) for every node `self` depends on.

    Sets self.grad = 1.0, orders the graph topologically (every node after its inputs, found through
    node._prev; each node once), then calls node._backward() for every node in REVERSE topological order.
    Works on any object with data, grad, _prev and _backward. Other nodes' grads are added to, not reset.
    """
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node._prev:
                visit(parent)
            order.append(node)

    visit(self)
    self.grad = 1.0
    for node in order:
        node._backward()


Value.backward = backward  # now every Value has the method: loss.backward()

# %% variant: resets-inner-grads
# Zeroes every inner node's grad before backpropagating: repeated calls stop adding up there.
def backward(self):
    """Backpropagate from `self`: afterwards node.grad = d(self)/d(node) for every node `self` depends on.

    Sets self.grad = 1.0, orders the graph topologically (every node after its inputs, found through
    node._prev; each node once), then calls node._backward() for every node in REVERSE topological order.
    Works on any object with data, grad, _prev and _backward. Other nodes' grads are added to, not reset (inner nodes' too).
    Nodes are told apart by identity: two nodes holding the same number are two nodes.
    """
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node._prev:
                visit(parent)
            order.append(node)

    visit(self)
    for node in order:
        if node._prev:
            node.grad = 0.0
    self.grad = 1.0
    for node in reversed(order):
        node._backward()


Value.backward = backward  # now every Value has the method: loss.backward()

# %% variant: iterative-preorder
# A worklist that runs each node when first popped (a pre-order), not after every node that uses it.
def backward(self):
    """Backpropagate from `self`: afterwards node.grad = d(self)/d(node) for every node `self` depends on.

    Sets self.grad = 1.0, orders the graph topologically (every node after its inputs, found through
    node._prev; each node once), then calls node._backward() for every node in REVERSE topological order.
    Works on any object with data, grad, _prev and _backward. Other nodes' grads are added to, not reset (inner nodes' too).
    Nodes are told apart by identity: two nodes holding the same number are two nodes.
    """
    order, visited = [], set()

    stack = [self]
    while stack:
        node = stack.pop()
        if node not in visited:
            visited.add(node)
            order.append(node)
            stack.extend(node._prev)
    self.grad = 1.0
    for node in order:
        node._backward()


Value.backward = backward  # now every Value has the method: loss.backward()

# %% variant: skips-nodes-without-op
# Runs _backward only on nodes with an _op: fails on graphs of other node types, which the contract allows.
def backward(self):
    """Backpropagate from `self`: afterwards node.grad = d(self)/d(node) for every node `self` depends on.

    Sets self.grad = 1.0, orders the graph topologically (every node after its inputs, found through
    node._prev; each node once), then calls node._backward() for every node in REVERSE topological order.
    Works on any object with data, grad, _prev and _backward. Other nodes' grads are added to, not reset (inner nodes' too).
    Nodes are told apart by identity: two nodes holding the same number are two nodes.
    """
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node._prev:
                visit(parent)
            order.append(node)

    visit(self)
    self.grad = 1.0
    for node in reversed(order):
        if node._op:
            node._backward()


Value.backward = backward  # now every Value has the method: loss.backward()
