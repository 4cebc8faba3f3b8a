# %% variant: weight-as-parameter
# The dequantised weight is stored as a trainable nn.Parameter.
class QuantLinear4bit(nn.Module):
    """A frozen linear layer stored in 4 bits (your quantize_4bit), dequantised on every forward pass.

    Built from an nn.Linear `linear` and a group_size. Holds no parameters, only buffers (register_buffer):
        packed (out, in // 2) uint8 and scales (out, in // group_size) from quantize_4bit(linear.weight),
        bias: a detached copy of linear.bias, or None;
    attributes in_features and out_features. The property `weight` returns dequantize_4bit(packed, scales).
    forward: x (..., in) -> F.linear(x, self.weight, self.bias), so gradients flow back to x.
    No float copy of the weight is kept. The tests check the buffers, the outputs against the dequantised
    weight, and a training step of a library LoRALinear over it.
    """

    def __init__(self, linear, group_size=64):
        super().__init__()
        ### BEGIN SOLUTION
        self.in_features, self.out_features = linear.in_features, linear.out_features
        packed, scales = quantize_4bit(linear.weight.detach(), group_size)
        self.register_buffer("packed", packed)
        self.w = nn.Parameter(dequantize_4bit(packed, scales))
        self.register_buffer("scales", scales)
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().clone())
        ### END SOLUTION

    @property
    def weight(self):
        ### BEGIN SOLUTION
        return dequantize_4bit(self.packed, self.scales)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        return F.linear(x, self.w, self.bias)
        ### END SOLUTION

# %% variant: float-copy-kept
# A float copy of the original weight is kept and used instead of the 4-bit one.
class QuantLinear4bit(nn.Module):
    """A frozen linear layer stored in 4 bits (your quantize_4bit), dequantised on every forward pass.

    Built from an nn.Linear `linear` and a group_size. Holds no parameters, only buffers (register_buffer):
        packed (out, in // 2) uint8 and scales (out, in // group_size) from quantize_4bit(linear.weight),
        bias: a detached copy of linear.bias, or None;
    attributes in_features and out_features. The property `weight` returns dequantize_4bit(packed, scales).
    forward: x (..., in) -> F.linear(x, self.weight, self.bias), so gradients flow back to x.
    No float copy of the weight is kept. The tests check the buffers, the outputs against the dequantised
    weight, and a training step of a library LoRALinear over it.
    """

    def __init__(self, linear, group_size=64):
        super().__init__()
        ### BEGIN SOLUTION
        self.in_features, self.out_features = linear.in_features, linear.out_features
        packed, scales = quantize_4bit(linear.weight.detach(), group_size)
        self.register_buffer("packed", packed)
        self.register_buffer("full", linear.weight.detach().clone())
        self.register_buffer("scales", scales)
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().clone())
        ### END SOLUTION

    @property
    def weight(self):
        ### BEGIN SOLUTION
        return dequantize_4bit(self.packed, self.scales)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        return F.linear(x, self.full, self.bias)
        ### END SOLUTION

# %% variant: forgets-bias
# The bias is dropped.
class QuantLinear4bit(nn.Module):
    """A frozen linear layer stored in 4 bits (your quantize_4bit), dequantised on every forward pass.

    Built from an nn.Linear `linear` and a group_size. Holds no parameters, only buffers (register_buffer):
        packed (out, in // 2) uint8 and scales (out, in // group_size) from quantize_4bit(linear.weight),
        bias: a detached copy of linear.bias, or None;
    attributes in_features and out_features. The property `weight` returns dequantize_4bit(packed, scales).
    forward: x (..., in) -> F.linear(x, self.weight, self.bias), so gradients flow back to x.
    No float copy of the weight is kept. The tests check the buffers, the outputs against the dequantised
    weight, and a training step of a library LoRALinear over it.
    """

    def __init__(self, linear, group_size=64):
        super().__init__()
        ### BEGIN SOLUTION
        self.in_features, self.out_features = linear.in_features, linear.out_features
        packed, scales = quantize_4bit(linear.weight.detach(), group_size)
        self.register_buffer("packed", packed)
        self.register_buffer("scales", scales)
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().clone())
        ### END SOLUTION

    @property
    def weight(self):
        ### BEGIN SOLUTION
        return dequantize_4bit(self.packed, self.scales)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        return F.linear(x, self.weight)
        ### END SOLUTION
