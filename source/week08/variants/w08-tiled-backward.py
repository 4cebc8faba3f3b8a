# %% variant: no-delta
# ds forgets the softmax correction delta.
class TiledAttention(torch.autograd.Function):
    """Attention whose backward pass recomputes tiles from the saved log-sum-exp.

    TiledAttention.apply(q, k, v, is_causal, block_q, block_k) -> out (B, H, T_q, D), with q, k, v and the
    causal convention of tiled_attention_forward (use it in forward). forward saves q, k, v, out and lse only
    (ctx.save_for_backward): no (T_q, T_k) tensor. backward(ctx, dout) returns (dq, dk, dv, None, None, None),
    computed tile by tile: p = exp(scores - lse), dv += p^T dout, ds = p * (dout v^T - delta) with
    delta = rowsum(dout * out), dq += ds k / sqrt(D), dk += ds^T q / sqrt(D); no (T_q, T_k) tensor either.
    The tests compare the gradients with F.scaled_dot_product_attention's, run torch.autograd.gradcheck in
    float64, inspect what forward saved and measure the memory backward allocates.
    """

    @staticmethod
    def forward(ctx, q, k, v, is_causal=False, block_q=16, block_k=16):
        ### BEGIN SOLUTION
        out, lse = tiled_attention_forward(q, k, v, is_causal, block_q, block_k)
        ctx.save_for_backward(q, k, v, out, lse)
        ctx.options = (is_causal, block_q, block_k)
        return out
        ### END SOLUTION

    @staticmethod
    def backward(ctx, dout):
        ### BEGIN SOLUTION
        q, k, v, out, lse = ctx.saved_tensors
        is_causal, block_q, block_k = ctx.options
        t_q, t_k, scale = q.size(2), k.size(2), 1 / math.sqrt(q.size(-1))
        delta = (dout * out).sum(dim=-1, keepdim=True)
        lse = lse[..., None]
        dq, dk, dv = torch.zeros_like(q), torch.zeros_like(k), torch.zeros_like(v)
        for q0 in range(0, t_q, block_q):
            q1 = min(q0 + block_q, t_q)
            k_end = min(t_k, q1 + t_k - t_q) if is_causal else t_k
            for k0 in range(0, k_end, block_k):
                k1 = min(k0 + block_k, k_end)
                s = q[:, :, q0:q1] @ k[:, :, k0:k1].transpose(-2, -1) * scale
                if is_causal:
                    rows = torch.arange(q0, q1)[:, None] + (t_k - t_q)
                    s = s.masked_fill(torch.arange(k0, k1) > rows, float("-inf"))
                p = torch.exp(s - lse[:, :, q0:q1])
                dv[:, :, k0:k1] += p.transpose(-2, -1) @ dout[:, :, q0:q1]
                ds = p * (dout[:, :, q0:q1] @ v[:, :, k0:k1].transpose(-2, -1) )
                dq[:, :, q0:q1] += ds @ k[:, :, k0:k1] * scale
                dk[:, :, k0:k1] += ds.transpose(-2, -1) @ q[:, :, q0:q1] * scale
        return dq, dk, dv, None, None, None
        ### END SOLUTION

# %% variant: dk-unscaled
# dk misses the 1 / sqrt(D).
class TiledAttention(torch.autograd.Function):
    """Attention whose backward pass recomputes tiles from the saved log-sum-exp.

    TiledAttention.apply(q, k, v, is_causal, block_q, block_k) -> out (B, H, T_q, D), with q, k, v and the
    causal convention of tiled_attention_forward (use it in forward). forward saves q, k, v, out and lse only
    (ctx.save_for_backward): no (T_q, T_k) tensor. backward(ctx, dout) returns (dq, dk, dv, None, None, None),
    computed tile by tile: p = exp(scores - lse), dv += p^T dout, ds = p * (dout v^T - delta) with
    delta = rowsum(dout * out), dq += ds k / sqrt(D), dk += ds^T q / sqrt(D); no (T_q, T_k) tensor either.
    The tests compare the gradients with F.scaled_dot_product_attention's, run torch.autograd.gradcheck in
    float64, inspect what forward saved and measure the memory backward allocates.
    """

    @staticmethod
    def forward(ctx, q, k, v, is_causal=False, block_q=16, block_k=16):
        ### BEGIN SOLUTION
        out, lse = tiled_attention_forward(q, k, v, is_causal, block_q, block_k)
        ctx.save_for_backward(q, k, v, out, lse)
        ctx.options = (is_causal, block_q, block_k)
        return out
        ### END SOLUTION

    @staticmethod
    def backward(ctx, dout):
        ### BEGIN SOLUTION
        q, k, v, out, lse = ctx.saved_tensors
        is_causal, block_q, block_k = ctx.options
        t_q, t_k, scale = q.size(2), k.size(2), 1 / math.sqrt(q.size(-1))
        delta = (dout * out).sum(dim=-1, keepdim=True)
        lse = lse[..., None]
        dq, dk, dv = torch.zeros_like(q), torch.zeros_like(k), torch.zeros_like(v)
        for q0 in range(0, t_q, block_q):
            q1 = min(q0 + block_q, t_q)
            k_end = min(t_k, q1 + t_k - t_q) if is_causal else t_k
            for k0 in range(0, k_end, block_k):
                k1 = min(k0 + block_k, k_end)
                s = q[:, :, q0:q1] @ k[:, :, k0:k1].transpose(-2, -1) * scale
                if is_causal:
                    rows = torch.arange(q0, q1)[:, None] + (t_k - t_q)
                    s = s.masked_fill(torch.arange(k0, k1) > rows, float("-inf"))
                p = torch.exp(s - lse[:, :, q0:q1])
                dv[:, :, k0:k1] += p.transpose(-2, -1) @ dout[:, :, q0:q1]
                ds = p * (dout[:, :, q0:q1] @ v[:, :, k0:k1].transpose(-2, -1) - delta[:, :, q0:q1])
                dq[:, :, q0:q1] += ds @ k[:, :, k0:k1] * scale
                dk[:, :, k0:k1] += ds.transpose(-2, -1) @ q[:, :, q0:q1]
        return dq, dk, dv, None, None, None
        ### END SOLUTION

# %% variant: saves-probabilities
# forward saves the full probability matrix and backward uses it.
class TiledAttention(torch.autograd.Function):
    """Attention whose backward pass recomputes tiles from the saved log-sum-exp.

    TiledAttention.apply(q, k, v, is_causal, block_q, block_k) -> out (B, H, T_q, D), with q, k, v and the
    causal convention of tiled_attention_forward (use it in forward). forward saves q, k, v, out and lse only
    (ctx.save_for_backward): no (T_q, T_k) tensor. backward(ctx, dout) returns (dq, dk, dv, None, None, None),
    computed tile by tile: p = exp(scores - lse), dv += p^T dout, ds = p * (dout v^T - delta) with
    delta = rowsum(dout * out), dq += ds k / sqrt(D), dk += ds^T q / sqrt(D); no (T_q, T_k) tensor either.
    The tests compare the gradients with F.scaled_dot_product_attention's, run torch.autograd.gradcheck in
    float64, inspect what forward saved and measure the memory backward allocates.
    """

    @staticmethod
    def forward(ctx, q, k, v, is_causal=False, block_q=16, block_k=16):
        ### BEGIN SOLUTION
        out, lse = tiled_attention_forward(q, k, v, is_causal, block_q, block_k)
        s = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
        if is_causal:
            s = s.masked_fill(~torch.ones(q.size(2), k.size(2), dtype=torch.bool).tril(k.size(2) - q.size(2)), float("-inf"))
        ctx.save_for_backward(q, k, v, out, lse, torch.softmax(s, -1))
        ctx.options = (is_causal, block_q, block_k)
        return out
        ### END SOLUTION

    @staticmethod
    def backward(ctx, dout):
        ### BEGIN SOLUTION
        q, k, v, out, lse, probs = ctx.saved_tensors
        is_causal, block_q, block_k = ctx.options
        t_q, t_k, scale = q.size(2), k.size(2), 1 / math.sqrt(q.size(-1))
        delta = (dout * out).sum(dim=-1, keepdim=True)
        lse = lse[..., None]
        dq, dk, dv = torch.zeros_like(q), torch.zeros_like(k), torch.zeros_like(v)
        for q0 in range(0, t_q, block_q):
            q1 = min(q0 + block_q, t_q)
            k_end = min(t_k, q1 + t_k - t_q) if is_causal else t_k
            for k0 in range(0, k_end, block_k):
                k1 = min(k0 + block_k, k_end)
                s = q[:, :, q0:q1] @ k[:, :, k0:k1].transpose(-2, -1) * scale
                if is_causal:
                    rows = torch.arange(q0, q1)[:, None] + (t_k - t_q)
                    s = s.masked_fill(torch.arange(k0, k1) > rows, float("-inf"))
                p = probs[:, :, q0:q1, k0:k1]
                dv[:, :, k0:k1] += p.transpose(-2, -1) @ dout[:, :, q0:q1]
                ds = p * (dout[:, :, q0:q1] @ v[:, :, k0:k1].transpose(-2, -1) - delta[:, :, q0:q1])
                dq[:, :, q0:q1] += ds @ k[:, :, k0:k1] * scale
                dk[:, :, k0:k1] += ds.transpose(-2, -1) @ q[:, :, q0:q1] * scale
        return dq, dk, dv, None, None, None
        ### END SOLUTION
