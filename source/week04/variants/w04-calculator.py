# %% variant: eval-with-a-filter
# Checks the characters with a pattern and then calls eval: no names get through, but nothing is bounded.
def calculate(expression):
    import re

    if not re.fullmatch(r"[0-9+\-*/%(). e]*", expression):
        raise ValueError(f"not allowed: {expression!r}")
    try:
        return eval(expression, {"__builtins__": {}})
    except (SyntaxError, ZeroDivisionError) as error:
        raise ValueError(str(error)) from None


# %% variant: no-bound-on-intermediate-results
# Checks powers before computing them, but never bounds a product or a literal.
def calculate(expression):
    binary = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
              ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}

    def value(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            x = value(node.operand)
            return -x if isinstance(node.op, ast.USub) else x
        if isinstance(node, ast.BinOp) and type(node.op) in binary:
            a, b = value(node.left), value(node.right)
            if isinstance(node.op, ast.Pow) and abs(a) > 1 and b > 0 and b * math.log10(abs(a)) >= 100:
                raise ValueError(f"power too large: {a!r} ** {b!r}")
            try:
                result = binary[type(node.op)](a, b)
            except (ZeroDivisionError, OverflowError) as error:
                raise ValueError(str(error)) from None
            if isinstance(result, complex):
                raise ValueError("complex result")
            return result
        raise ValueError(f"not allowed: {type(node).__name__}")

    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        raise ValueError(f"not an arithmetic expression: {expression!r}") from None
    return value(tree.body)


# %% variant: bools-are-numbers
# Accepts any int instance as a number, so True and False slip through (bool is a subclass of int).
def calculate(expression):
    binary = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
              ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}

    def bounded(x):
        if isinstance(x, complex) or abs(x) >= 10**100:
            raise ValueError(f"result out of bounds: {x!r}")
        return x

    def value(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return bounded(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            x = value(node.operand)
            return -x if isinstance(node.op, ast.USub) else x
        if isinstance(node, ast.BinOp) and type(node.op) in binary:
            a, b = value(node.left), value(node.right)
            if isinstance(node.op, ast.Pow) and abs(a) > 1 and b > 0 and b * math.log10(abs(a)) >= 100:
                raise ValueError(f"power too large: {a!r} ** {b!r}")
            try:
                return bounded(binary[type(node.op)](a, b))
            except (ZeroDivisionError, OverflowError) as error:
                raise ValueError(str(error)) from None
        raise ValueError(f"not allowed: {type(node).__name__}")

    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        raise ValueError(f"not an arithmetic expression: {expression!r}") from None
    return value(tree.body)
