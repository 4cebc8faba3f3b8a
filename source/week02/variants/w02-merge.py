# %% variant: overlapping-occurrences
# After a merge the scan moves on by one position instead of two, so overlapping pairs are merged twice.
def merge(ids, pair, new_id):
    merged, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            merged.append(new_id)
        else:
            merged.append(ids[i])
        i += 1
    return merged


# %% variant: right-to-left
# Scans from the end, so in [5, 5, 5] the rightmost (5, 5) is merged: [5, 7] instead of [7, 5].
def merge(ids, pair, new_id):
    merged, i = [], len(ids) - 1
    while i >= 0:
        if i >= 1 and (ids[i - 1], ids[i]) == pair:
            merged.append(new_id)
            i -= 2
        else:
            merged.append(ids[i])
            i -= 1
    return merged[::-1]


# %% variant: loses-last-id
# Loops over positions that start a pair only, so an unmerged last id is dropped.
def merge(ids, pair, new_id):
    merged, i = [], 0
    while i < len(ids) - 1:
        if (ids[i], ids[i + 1]) == pair:
            merged.append(new_id)
            i += 2
        else:
            merged.append(ids[i])
            i += 1
    return merged


# %% variant: changes-its-input
# Merges in place with slice assignment: right ids, but the caller's list is modified.
def merge(ids, pair, new_id):
    i = 0
    while i < len(ids) - 1:
        if (ids[i], ids[i + 1]) == pair:
            ids[i:i + 2] = [new_id]
        i += 1
    return ids

# %% variant: string-replace
# Merges by replacing the pair's digits in the ids joined as text: wrong when digits of two ids line up with the pair.
def merge(ids, pair, new_id):
    """Return a new list (a list, not a tuple): `ids` with each occurrence of `pair` replaced by `new_id`.

    ids: list of ints (token ids, any size: 0, 256, 12345); pair: tuple (first, second) of ints; new_id: int.
    Occurrences are taken left to right and never overlap: merging (5, 5) in [5, 5, 5] gives [new_id, 5].
    `ids` itself must not be changed.
    """
    text = " ".join(str(i) for i in ids).replace(f"{pair[0]} {pair[1]}", str(new_id))
    return [int(token) for token in text.split()]
    ### END SOLUTION

# %% variant: returns-a-tuple
# Returns a tuple instead of a new list.
def merge(ids, pair, new_id):
    """Return a new list (a list, not a tuple): `ids` with each occurrence of `pair` replaced by `new_id`.

    ids: list of ints (token ids, any size: 0, 256, 12345); pair: tuple (first, second) of ints; new_id: int.
    Occurrences are taken left to right and never overlap: merging (5, 5) in [5, 5, 5] gives [new_id, 5].
    `ids` itself must not be changed.
    """
    merged, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            merged.append(new_id)
            i += 2
        else:
            merged.append(ids[i])
            i += 1
    return tuple(merged)
    ### END SOLUTION
