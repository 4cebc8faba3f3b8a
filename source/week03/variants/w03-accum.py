# %% variant: loss-not-divided
# Backpropagates each chunk's mean loss as it is: the gradient is micro_batches times too large.
def accumulate_gradients(model, x, y, micro_batches):
    model.zero_grad(set_to_none=True)
    total = 0.0
    for x_chunk, y_chunk in zip(x.chunk(micro_batches), y.chunk(micro_batches)):
        _, loss = model(x_chunk, y_chunk)
        loss.backward()
        total += loss.item()
    return total / micro_batches


# %% variant: zero-grad-in-loop
# Zeroes the gradients before every chunk, so only the last chunk's gradient is left.
def accumulate_gradients(model, x, y, micro_batches):
    total = 0.0
    for x_chunk, y_chunk in zip(x.chunk(micro_batches), y.chunk(micro_batches)):
        model.zero_grad(set_to_none=True)
        _, loss = model(x_chunk, y_chunk)
        (loss / micro_batches).backward()
        total += loss.item()
    return total / micro_batches


# %% variant: keeps-stale-gradients
# Never zeroes the gradients, so those of an earlier step are added in.
def accumulate_gradients(model, x, y, micro_batches):
    total = 0.0
    for x_chunk, y_chunk in zip(x.chunk(micro_batches), y.chunk(micro_batches)):
        _, loss = model(x_chunk, y_chunk)
        (loss / micro_batches).backward()
        total += loss.item()
    return total / micro_batches


# %% variant: returns-a-tensor
# Sums the chunks' losses as tensors: right value, but a 0-d tensor where the contract promises a float.
def accumulate_gradients(model, x, y, micro_batches):
    model.zero_grad()
    total = 0.0
    for x_chunk, y_chunk in zip(x.chunk(micro_batches), y.chunk(micro_batches)):
        _, loss = model(x_chunk, y_chunk)
        (loss / micro_batches).backward()
        total = total + loss.detach()
    return total / micro_batches


# %% variant: splits-by-size
# torch.split(x, micro_batches) makes chunks OF micro_batches rows, not micro_batches chunks: the number of
# chunks, and so the gradient, is wrong unless B == micro_batches ** 2.
def accumulate_gradients(model, x, y, micro_batches):
    model.zero_grad()
    total = 0.0
    for x_chunk, y_chunk in zip(x.split(micro_batches), y.split(micro_batches)):
        _, loss = model(x_chunk, y_chunk)
        (loss / micro_batches).backward()
        total += loss.item()
    return total / micro_batches
