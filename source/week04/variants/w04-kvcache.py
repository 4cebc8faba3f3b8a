# %% variant: overwrites-instead-of-appending
# update keeps only the newest keys and values, so a decoding step attends to itself alone.
class MyKVCache:
    def __init__(self, n_layer):
        self.keys = [None] * n_layer
        self.values = [None] * n_layer
        self.seen = 0

    @property
    def length(self):
        return self.seen

    def update(self, layer, k, v):
        self.keys[layer], self.values[layer] = k, v
        if layer == 0:
            self.seen += k.size(2)
        return k, v


def cached_logits(model, idx, n_prompt):
    cache = MyKVCache(model.config.n_layer)
    with torch.no_grad():
        logits = [model(idx[:, :n_prompt], kv_cache=cache)[0][:, -1]]
        for t in range(n_prompt, idx.size(1)):
            logits.append(model(idx[:, t : t + 1], kv_cache=cache)[0][:, -1])
    return torch.stack(logits, dim=1)


# %% variant: loses-the-prefill-logits
# Returns only the decoding steps' logits: the prediction right after the prompt is missing.
class MyKVCache:
    def __init__(self, n_layer):
        self.keys = [None] * n_layer
        self.values = [None] * n_layer

    @property
    def length(self):
        return 0 if self.keys[0] is None else self.keys[0].size(2)

    def update(self, layer, k, v):
        if self.keys[layer] is not None:
            k = torch.cat([self.keys[layer], k], dim=2)
            v = torch.cat([self.values[layer], v], dim=2)
        self.keys[layer], self.values[layer] = k, v
        return k, v


def cached_logits(model, idx, n_prompt):
    cache = MyKVCache(model.config.n_layer)
    with torch.no_grad():
        model(idx[:, :n_prompt], kv_cache=cache)
        logits = [model(idx[:, t : t + 1], kv_cache=cache)[0][:, -1] for t in range(n_prompt, idx.size(1))]
    return torch.stack(logits, dim=1)


# %% variant: prepends-new-keys
# Concatenates new keys before the old ones: the causal mask then hides the wrong positions.
class MyKVCache:
    def __init__(self, n_layer):
        self.keys = [None] * n_layer
        self.values = [None] * n_layer

    @property
    def length(self):
        return 0 if self.keys[0] is None else self.keys[0].size(2)

    def update(self, layer, k, v):
        if self.keys[layer] is not None:
            k = torch.cat([k, self.keys[layer]], dim=2)
            v = torch.cat([v, self.values[layer]], dim=2)
        self.keys[layer], self.values[layer] = k, v
        return k, v


def cached_logits(model, idx, n_prompt):
    cache = MyKVCache(model.config.n_layer)
    with torch.no_grad():
        logits = [model(idx[:, :n_prompt], kv_cache=cache)[0][:, -1]]
        for t in range(n_prompt, idx.size(1)):
            logits.append(model(idx[:, t : t + 1], kv_cache=cache)[0][:, -1])
    return torch.stack(logits, dim=1)
