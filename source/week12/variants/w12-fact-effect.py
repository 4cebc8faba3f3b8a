# %% variant: relative-over-with
# Divides the change by the value WITH the adapter.
def adapter_effect(adapters, measure, task, baseline="base"):
    """One measurement with the adapter of `task` and with that of `baseline`, and the relative change.

    adapters: a minillm.continual.TaskAdapters; measure: a function of no arguments returning a float, e.g. a
        held-out loss or a log-probability (negative); it is called exactly twice.
    Returns {"with": measure() with task's adapter switched in, "without": measure() with baseline's,
             "relative": (with - without) / abs(without)} (Python floats; "relative" > 0 when the value went up,
             whatever the sign of "without"). ValueError if "without" is 0 (the change is then undefined).
    Whatever adapter was active before the call is active again after it (adapters.active and the model's
    outputs), also when that was neither task nor baseline. An unknown task raises ValueError (switch does).
    """
    ### BEGIN SOLUTION
    active = adapters.active
    adapters.switch(task)
    with_adapter = float(measure())
    adapters.switch(baseline)
    without = float(measure())
    adapters.switch(active)
    if without == 0:
        raise ValueError("measure: it gave 0 without the adapter, so the relative change is undefined")
    return {"with": with_adapter, "without": without, "relative": (with_adapter - without) / abs(with_adapter)}
    ### END SOLUTION

# %% variant: relative-without-abs
# Divides by 'without' itself: a negative log-probability flips the sign.
def adapter_effect(adapters, measure, task, baseline="base"):
    """One measurement with the adapter of `task` and with that of `baseline`, and the relative change.

    adapters: a minillm.continual.TaskAdapters; measure: a function of no arguments returning a float, e.g. a
        held-out loss or a log-probability (negative); it is called exactly twice.
    Returns {"with": measure() with task's adapter switched in, "without": measure() with baseline's,
             "relative": (with - without) / abs(without)} (Python floats; "relative" > 0 when the value went up,
             whatever the sign of "without"). ValueError if "without" is 0 (the change is then undefined).
    Whatever adapter was active before the call is active again after it (adapters.active and the model's
    outputs), also when that was neither task nor baseline. An unknown task raises ValueError (switch does).
    """
    ### BEGIN SOLUTION
    active = adapters.active
    adapters.switch(task)
    with_adapter = float(measure())
    adapters.switch(baseline)
    without = float(measure())
    adapters.switch(active)
    if without == 0:
        raise ValueError("measure: it gave 0 without the adapter, so the relative change is undefined")
    return {"with": with_adapter, "without": without, "relative": (with_adapter - without) / without}
    ### END SOLUTION

# %% variant: active-not-restored
# Leaves the baseline's adapter switched in.
def adapter_effect(adapters, measure, task, baseline="base"):
    """One measurement with the adapter of `task` and with that of `baseline`, and the relative change.

    adapters: a minillm.continual.TaskAdapters; measure: a function of no arguments returning a float, e.g. a
        held-out loss or a log-probability (negative); it is called exactly twice.
    Returns {"with": measure() with task's adapter switched in, "without": measure() with baseline's,
             "relative": (with - without) / abs(without)} (Python floats; "relative" > 0 when the value went up,
             whatever the sign of "without"). ValueError if "without" is 0 (the change is then undefined).
    Whatever adapter was active before the call is active again after it (adapters.active and the model's
    outputs), also when that was neither task nor baseline. An unknown task raises ValueError (switch does).
    """
    ### BEGIN SOLUTION
    active = adapters.active
    adapters.switch(task)
    with_adapter = float(measure())
    adapters.switch(baseline)
    without = float(measure())
    if without == 0:
        raise ValueError("measure: it gave 0 without the adapter, so the relative change is undefined")
    return {"with": with_adapter, "without": without, "relative": (with_adapter - without) / abs(without)}
    ### END SOLUTION

# %% variant: restores-the-task
# Switches back to `task` instead of the adapter active before the call.
def adapter_effect(adapters, measure, task, baseline="base"):
    """One measurement with the adapter of `task` and with that of `baseline`, and the relative change.

    adapters: a minillm.continual.TaskAdapters; measure: a function of no arguments returning a float, e.g. a
        held-out loss or a log-probability (negative); it is called exactly twice.
    Returns {"with": measure() with task's adapter switched in, "without": measure() with baseline's,
             "relative": (with - without) / abs(without)} (Python floats; "relative" > 0 when the value went up,
             whatever the sign of "without"). ValueError if "without" is 0 (the change is then undefined).
    Whatever adapter was active before the call is active again after it (adapters.active and the model's
    outputs), also when that was neither task nor baseline. An unknown task raises ValueError (switch does).
    """
    ### BEGIN SOLUTION
    active = adapters.active
    adapters.switch(task)
    with_adapter = float(measure())
    adapters.switch(baseline)
    without = float(measure())
    adapters.switch(task)
    if without == 0:
        raise ValueError("measure: it gave 0 without the adapter, so the relative change is undefined")
    return {"with": with_adapter, "without": without, "relative": (with_adapter - without) / abs(without)}
    ### END SOLUTION
