# %% variant: checks-while-scoring
# Checks each example just before scoring it, so earlier examples are scored before the error.
def run_task(name, examples, fields, score):
    if not examples:
        raise ValueError(f"task {name!r} has no examples")
    totals = {}
    for i, example in enumerate(examples):
        for field in fields:
            if field not in example:
                raise ValueError(f"task {name!r}, example {i}: missing field {field!r}")
        for metric, value in score(example).items():
            totals[metric] = totals.get(metric, 0.0) + float(value)
    return {"task": name, "n": len(examples), **{metric: total / len(examples) for metric, total in totals.items()}}


# %% variant: no-index-in-message
# The message names the field but not the example.
def run_task(name, examples, fields, score):
    if not examples:
        raise ValueError(f"task {name!r} has no examples")
    for example in examples:
        for field in fields:
            if field not in example:
                raise ValueError(f"task {name!r}: missing field {field!r}")
    totals = {}
    for example in examples:
        for metric, value in score(example).items():
            totals[metric] = totals.get(metric, 0.0) + float(value)
    return {"task": name, "n": len(examples), **{metric: total / len(examples) for metric, total in totals.items()}}


# %% variant: sums-not-means
# Returns each metric's sum over the examples instead of its mean.
def run_task(name, examples, fields, score):
    if not examples:
        raise ValueError(f"task {name!r} has no examples")
    for i, example in enumerate(examples):
        for field in fields:
            if field not in example:
                raise ValueError(f"task {name!r}, example {i}: missing field {field!r}")
    totals = {}
    for example in examples:
        for metric, value in score(example).items():
            totals[metric] = totals.get(metric, 0.0) + float(value)
    return {"task": name, "n": len(examples), **totals}


# %% variant: empty-gives-zero
# An empty task returns n = 0 and no metrics instead of raising, and fields are checked in sorted order.
def run_task(name, examples, fields, score):
    for i, example in enumerate(examples):
        for field in sorted(fields):
            if field not in example:
                raise ValueError(f"task {name!r}, example {i}: missing field {field!r}")
    totals = {}
    for example in examples:
        for metric, value in score(example).items():
            totals[metric] = totals.get(metric, 0.0) + float(value)
    return {"task": name, "n": len(examples), **{metric: total / max(1, len(examples)) for metric, total in totals.items()}}
