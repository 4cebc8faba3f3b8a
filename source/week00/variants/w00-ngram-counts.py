# %% variant: context-one-too-long
# Takes order ids before position t as the context instead of order - 1.
def ngram_counts(ids, order):
    """Count every n-gram of length `order`, grouped by its context.

    ids: a list of ints. order: n >= 1; the context of position t is the order - 1 ids before it.
    Returns a dict mapping each context that occurs (a tuple of order - 1 ints; the empty tuple () for
    order 1) to a dict {next id: count} of the ids that followed it, holding counts > 0 only. Counts positions
    t = order - 1, ..., len(ids) - 1, that is len(ids) - order + 1 n-grams (none if len(ids) < order).
    """
    counts = {}
    for t in range(order, len(ids)):
        context = tuple(ids[t - order : t])
        following = counts.setdefault(context, {})
        following[ids[t]] = following.get(ids[t], 0) + 1
    return counts
# %% variant: misses-the-last-ngram
# Stops one position early, so the last n-gram is not counted.
def ngram_counts(ids, order):
    """Count every n-gram of length `order`, grouped by its context.

    ids: a list of ints. order: n >= 1; the context of position t is the order - 1 ids before it.
    Returns a dict mapping each context that occurs (a tuple of order - 1 ints; the empty tuple () for
    order 1) to a dict {next id: count} of the ids that followed it, holding counts > 0 only. Counts positions
    t = order - 1, ..., len(ids) - 1, that is len(ids) - order + 1 n-grams (none if len(ids) < order).
    """
    counts = {}
    for t in range(order - 1, len(ids) - 1):
        context = tuple(ids[t - order + 1 : t])
        following = counts.setdefault(context, {})
        following[ids[t]] = following.get(ids[t], 0) + 1
    return counts
# %% variant: counts-short-contexts
# Starts at t = 0, so the first positions are counted with contexts shorter than order - 1.
def ngram_counts(ids, order):
    """Count every n-gram of length `order`, grouped by its context.

    ids: a list of ints. order: n >= 1; the context of position t is the order - 1 ids before it.
    Returns a dict mapping each context that occurs (a tuple of order - 1 ints; the empty tuple () for
    order 1) to a dict {next id: count} of the ids that followed it, holding counts > 0 only. Counts positions
    t = order - 1, ..., len(ids) - 1, that is len(ids) - order + 1 n-grams (none if len(ids) < order).
    """
    counts = {}
    for t in range(len(ids)):
        context = tuple(ids[max(0, t - order + 1) : t])
        following = counts.setdefault(context, {})
        following[ids[t]] = following.get(ids[t], 0) + 1
    return counts
# %% variant: context-includes-next
# The context slice runs one id too far and includes the id being predicted.
def ngram_counts(ids, order):
    """Count every n-gram of length `order`, grouped by its context.

    ids: a list of ints. order: n >= 1; the context of position t is the order - 1 ids before it.
    Returns a dict mapping each context that occurs (a tuple of order - 1 ints; the empty tuple () for
    order 1) to a dict {next id: count} of the ids that followed it, holding counts > 0 only. Counts positions
    t = order - 1, ..., len(ids) - 1, that is len(ids) - order + 1 n-grams (none if len(ids) < order).
    """
    counts = {}
    for t in range(order - 1, len(ids)):
        context = tuple(ids[t - order + 2 : t + 1])
        following = counts.setdefault(context, {})
        following[ids[t]] = following.get(ids[t], 0) + 1
    return counts

# %% variant: counts-as-floats
# Counts with 0.0 + 1: float counts, not ints.
def ngram_counts(ids, order):
    """Count every n-gram of length `order`, grouped by its context.

    ids: a list of non-negative ints (of any size: 300 is one id). order: n >= 1; the context of position t is the order - 1 ids before it.
    Returns a dict mapping each context that occurs (a tuple of order - 1 ints; the empty tuple () for
    order 1) to a dict {next id: count, an int} of the ids that followed it, holding counts > 0 only. Counts positions
    t = order - 1, ..., len(ids) - 1, that is len(ids) - order + 1 n-grams (none if len(ids) < order).
    """
    counts = {}
    for t in range(order - 1, len(ids)):
        context = tuple(ids[t - order + 1 : t])
        following = counts.setdefault(context, {})
        following[ids[t]] = following.get(ids[t], 0.0) + 1
    return counts
    ### END SOLUTION

# %% variant: ids-as-characters
# Joins the ids into a string and counts its characters: wrong as soon as an id has two digits.
def ngram_counts(ids, order):
    """Count every n-gram of length `order`, grouped by its context.

    ids: a list of non-negative ints (of any size: 300 is one id). order: n >= 1; the context of position t is the order - 1 ids before it.
    Returns a dict mapping each context that occurs (a tuple of order - 1 ints; the empty tuple () for
    order 1) to a dict {next id: count, an int} of the ids that followed it, holding counts > 0 only. Counts positions
    t = order - 1, ..., len(ids) - 1, that is len(ids) - order + 1 n-grams (none if len(ids) < order).
    """
    ids = [int(digit) for digit in "".join(str(i) for i in ids)]
    counts = {}
    for t in range(order - 1, len(ids)):
        context = tuple(ids[t - order + 1 : t])
        following = counts.setdefault(context, {})
        following[ids[t]] = following.get(ids[t], 0) + 1
    return counts
    ### END SOLUTION
