# %% variant: characters-not-bytes
# acc_norm divides by the number of characters (len(choice)), not UTF-8 bytes.
def mc_accuracy(items):
    if not items:
        raise ValueError("items must not be empty")
    acc = acc_norm = 0
    for item in items:
        lps, choices = item["logprobs"], item["choices"]
        per_char = [lp / len(c) for lp, c in zip(lps, choices)]
        acc += max(range(len(lps)), key=lambda i: (lps[i], -i)) == item["gold"]
        acc_norm += max(range(len(lps)), key=lambda i: (per_char[i], -i)) == item["gold"]
    return {"acc": acc / len(items), "acc_norm": acc_norm / len(items)}


# %% variant: ties-to-last
# Keeps the last of equal scores (>=) instead of the first.
def mc_accuracy(items):
    if not items:
        raise ValueError("items must not be empty")
    acc = acc_norm = 0
    for item in items:
        lps, choices = item["logprobs"], item["choices"]
        per_byte = [lp / len(c.encode("utf-8")) for lp, c in zip(lps, choices)]
        best = best_norm = 0
        for i in range(len(lps)):
            if lps[i] >= lps[best]:
                best = i
            if per_byte[i] >= per_byte[best_norm]:
                best_norm = i
        acc += best == item["gold"]
        acc_norm += best_norm == item["gold"]
    return {"acc": acc / len(items), "acc_norm": acc_norm / len(items)}


# %% variant: argmin
# Picks the choice with the LOWEST log-probability (as if the scores were losses).
def mc_accuracy(items):
    if not items:
        raise ValueError("items must not be empty")
    acc = acc_norm = 0
    for item in items:
        lps, choices = item["logprobs"], item["choices"]
        per_byte = [lp / len(c.encode("utf-8")) for lp, c in zip(lps, choices)]
        acc += min(range(len(lps)), key=lambda i: (lps[i], i)) == item["gold"]
        acc_norm += min(range(len(lps)), key=lambda i: (per_byte[i], i)) == item["gold"]
    return {"acc": acc / len(items), "acc_norm": acc_norm / len(items)}


# %% variant: counts-the-space
# Counts one more byte per choice, for the space that goes before it when it is scored.
def mc_accuracy(items):
    if not items:
        raise ValueError("items must not be empty")
    acc = acc_norm = 0
    for item in items:
        lps, choices = item["logprobs"], item["choices"]
        per_byte = [lp / (len(c.encode("utf-8")) + 1) for lp, c in zip(lps, choices)]
        acc += max(range(len(lps)), key=lambda i: (lps[i], -i)) == item["gold"]
        acc_norm += max(range(len(lps)), key=lambda i: (per_byte[i], -i)) == item["gold"]
    return {"acc": acc / len(items), "acc_norm": acc_norm / len(items)}
