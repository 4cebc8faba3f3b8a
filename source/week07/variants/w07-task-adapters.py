# %% variant: one-shared-state
# switch only changes the active name: every task shares the one live adapter.
class TaskAdapters:
    """One LoRA adapter per task over one frozen base.

    model: a GPT already wrapped by lora.apply_lora; tasks: a list of distinct task ids (strings or ints).
    On construction every task gets its own copy of the model's current adapter (lora.adapter_state_dict; with
    B = 0 that is the base's own behaviour), and tasks[0] is active (attribute `active`).
    switch(task): store the live adapter (lora.adapter_state_dict(model)) as the active task's, load `task`'s
        with lora.load_adapter(model, ...), make it active, return the model. An unknown task raises ValueError
        naming it, with nothing changed.
    The tests train two tasks in turn, switch back and forth, and check every task's outputs, that the base's
    weights stay bit-identical, and the unknown task.
    """

    def __init__(self, model, tasks):
        ### BEGIN SOLUTION
        self.model = model
        start = lora.adapter_state_dict(model)
        self.states = {task: {k: v.clone() for k, v in start.items()} for task in tasks}
        self.active = list(tasks)[0]
        ### END SOLUTION

    def switch(self, task):
        ### BEGIN SOLUTION
        if task not in self.states:
            raise ValueError(f"unknown task {task!r}; the tasks are {list(self.states)}")
        self.active = task
        return self.model
        ### END SOLUTION

# %% variant: forgets-to-save
# switch loads the next task's adapter without storing the live one first: training is lost on switching away.
class TaskAdapters:
    """One LoRA adapter per task over one frozen base.

    model: a GPT already wrapped by lora.apply_lora; tasks: a list of distinct task ids (strings or ints).
    On construction every task gets its own copy of the model's current adapter (lora.adapter_state_dict; with
    B = 0 that is the base's own behaviour), and tasks[0] is active (attribute `active`).
    switch(task): store the live adapter (lora.adapter_state_dict(model)) as the active task's, load `task`'s
        with lora.load_adapter(model, ...), make it active, return the model. An unknown task raises ValueError
        naming it, with nothing changed.
    The tests train two tasks in turn, switch back and forth, and check every task's outputs, that the base's
    weights stay bit-identical, and the unknown task.
    """

    def __init__(self, model, tasks):
        ### BEGIN SOLUTION
        self.model = model
        start = lora.adapter_state_dict(model)
        self.states = {task: {k: v.clone() for k, v in start.items()} for task in tasks}
        self.active = list(tasks)[0]
        ### END SOLUTION

    def switch(self, task):
        ### BEGIN SOLUTION
        if task not in self.states:
            raise ValueError(f"unknown task {task!r}; the tasks are {list(self.states)}")
        lora.load_adapter(self.model, self.states[task])
        self.active = task
        return self.model
        ### END SOLUTION

# %% variant: unknown-task-starts-fresh
# An unknown task id silently gets a fresh copy of the active adapter instead of an error.
class TaskAdapters:
    """One LoRA adapter per task over one frozen base.

    model: a GPT already wrapped by lora.apply_lora; tasks: a list of distinct task ids (strings or ints).
    On construction every task gets its own copy of the model's current adapter (lora.adapter_state_dict; with
    B = 0 that is the base's own behaviour), and tasks[0] is active (attribute `active`).
    switch(task): store the live adapter (lora.adapter_state_dict(model)) as the active task's, load `task`'s
        with lora.load_adapter(model, ...), make it active, return the model. An unknown task raises ValueError
        naming it, with nothing changed.
    The tests train two tasks in turn, switch back and forth, and check every task's outputs, that the base's
    weights stay bit-identical, and the unknown task.
    """

    def __init__(self, model, tasks):
        ### BEGIN SOLUTION
        self.model = model
        start = lora.adapter_state_dict(model)
        self.states = {task: {k: v.clone() for k, v in start.items()} for task in tasks}
        self.active = list(tasks)[0]
        ### END SOLUTION

    def switch(self, task):
        ### BEGIN SOLUTION
        if task not in self.states:
            self.states[task] = lora.adapter_state_dict(self.model)
        self.states[self.active] = lora.adapter_state_dict(self.model)
        lora.load_adapter(self.model, self.states[task])
        self.active = task
        return self.model
        ### END SOLUTION
