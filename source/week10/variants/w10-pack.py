# %% variant: characters-not-tokens
# Counts the budget in characters (len) instead of count_tokens.
def pack_passages(passages, count_tokens, budget, separator=" "):
    """Indices of the ranked passages (best first) that fit together in budget tokens, in rank order: a list of int.

    Walk passages once: take passage i if count_tokens(passages[i]), plus count_tokens(separator) when a passage
    is already taken, is at most what is left of the budget; else skip it and go on. count_tokens: str -> int.
    No passages give []. Raise ValueError if budget < 0.
    """
    ### BEGIN SOLUTION
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    chosen, left = [], budget
    for i, passage in enumerate(passages):
        cost = len(passage) + (len(separator) if chosen else 0)
        if cost <= left:
            chosen.append(i)
            left -= cost
    return chosen
    ### END SOLUTION


def rag_prompt(question, passages, separator=" "):
    """The reader's prompt: "Context: " + the passages joined by separator + "\nQuestion: " + question + "\nAnswer: "."""
    ### BEGIN SOLUTION
    return "Context: " + separator.join(passages) + "\nQuestion: " + question + "\nAnswer: "
    ### END SOLUTION

# %% variant: strictly-under-budget
# Off by one: a passage that fills the budget exactly is refused.
def pack_passages(passages, count_tokens, budget, separator=" "):
    """Indices of the ranked passages (best first) that fit together in budget tokens, in rank order: a list of int.

    Walk passages once: take passage i if count_tokens(passages[i]), plus count_tokens(separator) when a passage
    is already taken, is at most what is left of the budget; else skip it and go on. count_tokens: str -> int.
    No passages give []. Raise ValueError if budget < 0.
    """
    ### BEGIN SOLUTION
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    chosen, left = [], budget
    for i, passage in enumerate(passages):
        cost = count_tokens(passage) + (count_tokens(separator) if chosen else 0)
        if cost < left:
            chosen.append(i)
            left -= cost
    return chosen
    ### END SOLUTION


def rag_prompt(question, passages, separator=" "):
    """The reader's prompt: "Context: " + the passages joined by separator + "\nQuestion: " + question + "\nAnswer: "."""
    ### BEGIN SOLUTION
    return "Context: " + separator.join(passages) + "\nQuestion: " + question + "\nAnswer: "
    ### END SOLUTION

# %% variant: stops-at-first-misfit
# Stops at the first passage that does not fit instead of skipping it.
def pack_passages(passages, count_tokens, budget, separator=" "):
    """Indices of the ranked passages (best first) that fit together in budget tokens, in rank order: a list of int.

    Walk passages once: take passage i if count_tokens(passages[i]), plus count_tokens(separator) when a passage
    is already taken, is at most what is left of the budget; else skip it and go on. count_tokens: str -> int.
    No passages give []. Raise ValueError if budget < 0.
    """
    ### BEGIN SOLUTION
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    chosen, left = [], budget
    for i, passage in enumerate(passages):
        cost = count_tokens(passage) + (count_tokens(separator) if chosen else 0)
        if cost <= left:
            chosen.append(i)
            left -= cost
        else:
            break
    return chosen
    ### END SOLUTION


def rag_prompt(question, passages, separator=" "):
    """The reader's prompt: "Context: " + the passages joined by separator + "\nQuestion: " + question + "\nAnswer: "."""
    ### BEGIN SOLUTION
    return "Context: " + separator.join(passages) + "\nQuestion: " + question + "\nAnswer: "
    ### END SOLUTION

# %% variant: separator-not-counted
# Forgets the separator's tokens.
def pack_passages(passages, count_tokens, budget, separator=" "):
    """Indices of the ranked passages (best first) that fit together in budget tokens, in rank order: a list of int.

    Walk passages once: take passage i if count_tokens(passages[i]), plus count_tokens(separator) when a passage
    is already taken, is at most what is left of the budget; else skip it and go on. count_tokens: str -> int.
    No passages give []. Raise ValueError if budget < 0.
    """
    ### BEGIN SOLUTION
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    chosen, left = [], budget
    for i, passage in enumerate(passages):
        cost = count_tokens(passage)
        if cost <= left:
            chosen.append(i)
            left -= cost
    return chosen
    ### END SOLUTION


def rag_prompt(question, passages, separator=" "):
    """The reader's prompt: "Context: " + the passages joined by separator + "\nQuestion: " + question + "\nAnswer: "."""
    ### BEGIN SOLUTION
    return "Context: " + separator.join(passages) + "\nQuestion: " + question + "\nAnswer: "
    ### END SOLUTION

# %% variant: shortest-first
# Packs the shortest passages first (out of rank order).
def pack_passages(passages, count_tokens, budget, separator=" "):
    """Indices of the ranked passages (best first) that fit together in budget tokens, in rank order: a list of int.

    Walk passages once: take passage i if count_tokens(passages[i]), plus count_tokens(separator) when a passage
    is already taken, is at most what is left of the budget; else skip it and go on. count_tokens: str -> int.
    No passages give []. Raise ValueError if budget < 0.
    """
    ### BEGIN SOLUTION
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    chosen, left = [], budget
    for i, passage in sorted(enumerate(passages), key=lambda item: count_tokens(item[1])):
        cost = count_tokens(passage) + (count_tokens(separator) if chosen else 0)
        if cost <= left:
            chosen.append(i)
            left -= cost
    return chosen
    ### END SOLUTION


def rag_prompt(question, passages, separator=" "):
    """The reader's prompt: "Context: " + the passages joined by separator + "\nQuestion: " + question + "\nAnswer: "."""
    ### BEGIN SOLUTION
    return "Context: " + separator.join(passages) + "\nQuestion: " + question + "\nAnswer: "
    ### END SOLUTION

# %% variant: no-space-after-answer
# The prompt ends in 'Answer:' without the space the reader was trained on.
def pack_passages(passages, count_tokens, budget, separator=" "):
    """Indices of the ranked passages (best first) that fit together in budget tokens, in rank order: a list of int.

    Walk passages once: take passage i if count_tokens(passages[i]), plus count_tokens(separator) when a passage
    is already taken, is at most what is left of the budget; else skip it and go on. count_tokens: str -> int.
    No passages give []. Raise ValueError if budget < 0.
    """
    ### BEGIN SOLUTION
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    chosen, left = [], budget
    for i, passage in enumerate(passages):
        cost = count_tokens(passage) + (count_tokens(separator) if chosen else 0)
        if cost <= left:
            chosen.append(i)
            left -= cost
    return chosen
    ### END SOLUTION


def rag_prompt(question, passages, separator=" "):
    """The reader's prompt: "Context: " + the passages joined by separator + "\nQuestion: " + question + "\nAnswer: "."""
    ### BEGIN SOLUTION
    return "Context: " + separator.join(passages) + "\nQuestion: " + question + "\nAnswer:"
    ### END SOLUTION
