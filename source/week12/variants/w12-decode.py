# %% variant: all-rows-stop-at-the-first-end
# The whole batch stops as soon as one row writes the stop token.
@torch.no_grad()
def decode_batch(model, tokenizer, prompt, n, max_new_tokens, stop_id, temperature=1.0, generator=None):
    """n completions of one prompt (a list of token ids) in one batch -> a list of n lists of new token ids.

    Contract (the tests compare token by token with minillm's engine, so follow it exactly):
    - prefill: cache = KVCache(model.config.n_layer); logits = model(torch.tensor([prompt]), kv_cache=cache)[0]
      (batch 1, the whole prompt, once); then cache.reorder(torch.zeros(n, dtype=torch.long)) and the last
      position's logits repeated to (n, V).
    - one ToolState(tokenizer) per row (minillm.engine): call state.push(token) with every token the row takes.
    - each step: sampled = sample_next_token(logits, temperature, generator=generator), called once for all n
      rows, stopped ones included (so the random stream is the same whatever stops); a running row takes
      state.forced.popleft() if state.forced is not empty, else its sampled token, and appends it to its list.
      A row stops after taking stop_id (kept in its list) or once it has max_new_tokens tokens.
    - then, unless every row has stopped, feed the (n, 1) tensor of each row's token this step (0 for a stopped
      row) with the cache to get the next logits. max_new_tokens = 0 gives n empty lists, with no decode step.
    Return plain lists of Python ints.
    """
    ### BEGIN SOLUTION
    cache = KVCache(model.config.n_layer)
    logits = model(torch.tensor([list(prompt)]), kv_cache=cache)[0][:, -1]
    cache.reorder(torch.zeros(n, dtype=torch.long))
    logits = logits.expand(n, -1)
    states = [ToolState(tokenizer) for _ in range(n)]
    rows = [[] for _ in range(n)]
    done = [max_new_tokens == 0] * n
    while not all(done):
        sampled = sample_next_token(logits, temperature, generator=generator).tolist()
        step = []
        for b in range(n):
            if done[b]:
                step.append(0)
                continue
            token = states[b].forced.popleft() if states[b].forced else sampled[b]
            states[b].push(token)
            rows[b].append(token)
            step.append(token)
            done[b] = token == stop_id or len(rows[b]) == max_new_tokens
            if token == stop_id:
                done = [True] * n
        if not all(done):
            logits = model(torch.tensor(step)[:, None], kv_cache=cache)[0][:, -1]
    return rows
    ### END SOLUTION

# %% variant: tool-result-sampled
# The calculator's result is queued but the sampled token is taken anyway.
@torch.no_grad()
def decode_batch(model, tokenizer, prompt, n, max_new_tokens, stop_id, temperature=1.0, generator=None):
    """n completions of one prompt (a list of token ids) in one batch -> a list of n lists of new token ids.

    Contract (the tests compare token by token with minillm's engine, so follow it exactly):
    - prefill: cache = KVCache(model.config.n_layer); logits = model(torch.tensor([prompt]), kv_cache=cache)[0]
      (batch 1, the whole prompt, once); then cache.reorder(torch.zeros(n, dtype=torch.long)) and the last
      position's logits repeated to (n, V).
    - one ToolState(tokenizer) per row (minillm.engine): call state.push(token) with every token the row takes.
    - each step: sampled = sample_next_token(logits, temperature, generator=generator), called once for all n
      rows, stopped ones included (so the random stream is the same whatever stops); a running row takes
      state.forced.popleft() if state.forced is not empty, else its sampled token, and appends it to its list.
      A row stops after taking stop_id (kept in its list) or once it has max_new_tokens tokens.
    - then, unless every row has stopped, feed the (n, 1) tensor of each row's token this step (0 for a stopped
      row) with the cache to get the next logits. max_new_tokens = 0 gives n empty lists, with no decode step.
    Return plain lists of Python ints.
    """
    ### BEGIN SOLUTION
    cache = KVCache(model.config.n_layer)
    logits = model(torch.tensor([list(prompt)]), kv_cache=cache)[0][:, -1]
    cache.reorder(torch.zeros(n, dtype=torch.long))
    logits = logits.expand(n, -1)
    states = [ToolState(tokenizer) for _ in range(n)]
    rows = [[] for _ in range(n)]
    done = [max_new_tokens == 0] * n
    while not all(done):
        sampled = sample_next_token(logits, temperature, generator=generator).tolist()
        step = []
        for b in range(n):
            if done[b]:
                step.append(0)
                continue
            token = sampled[b]
            states[b].push(token)
            rows[b].append(token)
            step.append(token)
            done[b] = token == stop_id or len(rows[b]) == max_new_tokens
        if not all(done):
            logits = model(torch.tensor(step)[:, None], kv_cache=cache)[0][:, -1]
    return rows
    ### END SOLUTION

# %% variant: samples-only-running-rows
# sample_next_token is called on the running rows only, so the random stream shifts once a row stops.
@torch.no_grad()
def decode_batch(model, tokenizer, prompt, n, max_new_tokens, stop_id, temperature=1.0, generator=None):
    """n completions of one prompt (a list of token ids) in one batch -> a list of n lists of new token ids.

    Contract (the tests compare token by token with minillm's engine, so follow it exactly):
    - prefill: cache = KVCache(model.config.n_layer); logits = model(torch.tensor([prompt]), kv_cache=cache)[0]
      (batch 1, the whole prompt, once); then cache.reorder(torch.zeros(n, dtype=torch.long)) and the last
      position's logits repeated to (n, V).
    - one ToolState(tokenizer) per row (minillm.engine): call state.push(token) with every token the row takes.
    - each step: sampled = sample_next_token(logits, temperature, generator=generator), called once for all n
      rows, stopped ones included (so the random stream is the same whatever stops); a running row takes
      state.forced.popleft() if state.forced is not empty, else its sampled token, and appends it to its list.
      A row stops after taking stop_id (kept in its list) or once it has max_new_tokens tokens.
    - then, unless every row has stopped, feed the (n, 1) tensor of each row's token this step (0 for a stopped
      row) with the cache to get the next logits. max_new_tokens = 0 gives n empty lists, with no decode step.
    Return plain lists of Python ints.
    """
    ### BEGIN SOLUTION
    cache = KVCache(model.config.n_layer)
    logits = model(torch.tensor([list(prompt)]), kv_cache=cache)[0][:, -1]
    cache.reorder(torch.zeros(n, dtype=torch.long))
    logits = logits.expand(n, -1)
    states = [ToolState(tokenizer) for _ in range(n)]
    rows = [[] for _ in range(n)]
    done = [max_new_tokens == 0] * n
    while not all(done):
        running = [b for b in range(n) if not done[b]]
        picked = sample_next_token(logits[running], temperature, generator=generator).tolist()
        sampled = [0] * n
        for b, t in zip(running, picked):
            sampled[b] = t
        step = []
        for b in range(n):
            if done[b]:
                step.append(0)
                continue
            token = states[b].forced.popleft() if states[b].forced else sampled[b]
            states[b].push(token)
            rows[b].append(token)
            step.append(token)
            done[b] = token == stop_id or len(rows[b]) == max_new_tokens
        if not all(done):
            logits = model(torch.tensor(step)[:, None], kv_cache=cache)[0][:, -1]
    return rows
    ### END SOLUTION
