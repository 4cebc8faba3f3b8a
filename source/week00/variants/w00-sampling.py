# %% variant: never-moves
# Always draws from the start row: the current id is never updated.
def sample_bigram(probs, start, n_tokens, generator):
    """Generate n_tokens ids from a bigram model, one at a time.

    probs: (V, V) float tensor, each row a distribution. start: the id the text starts after (not returned).
    generator: a torch.Generator. Each step draws exactly one id with
        torch.multinomial(probs[current], 1, generator=generator)
    and makes it the current id. Returns a list of n_tokens Python ints.
    """
    current, out = start, []
    for _ in range(n_tokens):
        out.append(torch.multinomial(probs[current], 1, generator=generator).item())
    return out
# %% variant: greedy
# Takes the most likely id every time instead of sampling.
def sample_bigram(probs, start, n_tokens, generator):
    """Generate n_tokens ids from a bigram model, one at a time.

    probs: (V, V) float tensor, each row a distribution. start: the id the text starts after (not returned).
    generator: a torch.Generator. Each step draws exactly one id with
        torch.multinomial(probs[current], 1, generator=generator)
    and makes it the current id. Returns a list of n_tokens Python ints.
    """
    current, out = start, []
    for _ in range(n_tokens):
        current = probs[current].argmax().item()
        out.append(current)
    return out
# %% variant: global-rng
# Samples with torch's global random state, ignoring the generator.
def sample_bigram(probs, start, n_tokens, generator):
    """Generate n_tokens ids from a bigram model, one at a time.

    probs: (V, V) float tensor, each row a distribution. start: the id the text starts after (not returned).
    generator: a torch.Generator. Each step draws exactly one id with
        torch.multinomial(probs[current], 1, generator=generator)
    and makes it the current id. Returns a list of n_tokens Python ints.
    """
    current, out = start, []
    for _ in range(n_tokens):
        current = torch.multinomial(probs[current], 1).item()
        out.append(current)
    return out
# %% variant: column-not-row
# Draws from the column probs[:, current] instead of the row.
def sample_bigram(probs, start, n_tokens, generator):
    """Generate n_tokens ids from a bigram model, one at a time.

    probs: (V, V) float tensor, each row a distribution. start: the id the text starts after (not returned).
    generator: a torch.Generator. Each step draws exactly one id with
        torch.multinomial(probs[current], 1, generator=generator)
    and makes it the current id. Returns a list of n_tokens Python ints.
    """
    current, out = start, []
    for _ in range(n_tokens):
        current = torch.multinomial(probs[:, current], 1, generator=generator).item()
        out.append(current)
    return out

# %% variant: returns-a-tensor
# Returns the ids as a tensor, not a list.
def sample_bigram(probs, start, n_tokens, generator):
    """Generate n_tokens ids from a bigram model, one at a time.

    probs: (V, V) float tensor, each row a distribution. start: the id the text starts after (not returned).
    generator: a torch.Generator. Each step draws exactly one id with
        torch.multinomial(probs[current], 1, generator=generator)
    and makes it the current id. Returns a list of n_tokens Python ints.
    """
    current, out = start, []
    for _ in range(n_tokens):
        current = torch.multinomial(probs[current], 1, generator=generator).item()
        out.append(current)
    return torch.tensor(out)
    ### END SOLUTION

# %% variant: list-of-tensors
# Keeps each draw as a 0-d tensor: a list of tensors, not of Python ints.
def sample_bigram(probs, start, n_tokens, generator):
    """Generate n_tokens ids from a bigram model, one at a time.

    probs: (V, V) float tensor, each row a distribution. start: the id the text starts after (not returned).
    generator: a torch.Generator. Each step draws exactly one id with
        torch.multinomial(probs[current], 1, generator=generator)
    and makes it the current id. Returns a list of n_tokens Python ints.
    """
    current, out = start, []
    for _ in range(n_tokens):
        current = torch.multinomial(probs[current], 1, generator=generator)[0]
        out.append(current)
    return out
    ### END SOLUTION
