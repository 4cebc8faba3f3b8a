# %% variant: repeat-not-interleave
# Query head h reads kv head h % H_kv (torch.repeat tiles the heads) instead of h // group.
def grouped_query_attention(q, k, v):
    group = q.size(1) // k.size(1)
    k, v = k.repeat(1, group, 1, 1), v.repeat(1, group, 1, 1)
    T = q.size(2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    causal = torch.ones(T, T, dtype=torch.bool, device=q.device).tril()
    return scores.masked_fill(~causal, float("-inf")).softmax(dim=-1) @ v


# %% variant: no-causal-mask
# Every query sees every key, the future included.
def grouped_query_attention(q, k, v):
    group = q.size(1) // k.size(1)
    k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
    return (q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))).softmax(dim=-1) @ v


# %% variant: scale-by-group-dim
# Scales scores by 1/sqrt(D * group): right when the group size is 1, wrong otherwise.
def grouped_query_attention(q, k, v):
    group = q.size(1) // k.size(1)
    k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
    T = q.size(2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1) * group)
    causal = torch.ones(T, T, dtype=torch.bool, device=q.device).tril()
    return scores.masked_fill(~causal, float("-inf")).softmax(dim=-1) @ v
