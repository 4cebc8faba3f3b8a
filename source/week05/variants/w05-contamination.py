# %% variant: distinct-item-ngrams
# Counts each of the item's n-grams once (a set), so a repeated n-gram weighs as much as a single one.
def ngram_index(tokens, n):
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def overlap(item_tokens, index, n):
    grams = {tuple(item_tokens[i : i + n]) for i in range(len(item_tokens) - n + 1)}
    return sum(gram in index for gram in grams) / len(grams) if grams else 0.0


# %% variant: index-misses-last
# The index leaves out the training text's last n-gram (range(len(tokens) - n)).
def ngram_index(tokens, n):
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n)}


def overlap(item_tokens, index, n):
    grams = [tuple(item_tokens[i : i + n]) for i in range(len(item_tokens) - n + 1)]
    return sum(gram in index for gram in grams) / len(grams) if grams else 0.0


# %% variant: lists-not-tuples
# Stores the n-grams as joined strings, so a lookup of a tuple never matches and the index is not of tuples.
def ngram_index(tokens, n):
    return {" ".join(map(str, tokens[i : i + n])) for i in range(len(tokens) - n + 1)}


def overlap(item_tokens, index, n):
    grams = [" ".join(map(str, item_tokens[i : i + n])) for i in range(len(item_tokens) - n + 1)]
    return sum(gram in index for gram in grams) / len(grams) if grams else 0.0

