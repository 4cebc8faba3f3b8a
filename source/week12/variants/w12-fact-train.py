# %% variant: optimiser-remade-each-step
# A fresh AdamW every step: its moment estimates restart, each step a sign step.
def train_fact_adapter(model, pairs, steps, lr, replay=None):
    """Fine-tune only the LoRA adapters of `model` on (prompt_ids, answer_ids) pairs; returns the losses.

    model: a GPT wrapped by lora.apply_lora; ValueError if it has no LoRA layers (lora.lora_layers(model) is
        empty: training it would move the base). steps: an int >= 0 (ValueError if negative); lr: a float.
    replay: None, or a function of no arguments returning a list of (prompt_ids, answer_ids) pairs (e.g. windows
        of the pretraining text); called exactly once per step, its pairs go after `pairs` in that step's batch.
    Exactly this, so that the tests can repeat it step by step:
        - one optimiser, made once before the first step: torch.optim.AdamW(params, lr=lr, weight_decay=0.0),
          params = [p for p in model.parameters() if p.requires_grad] (mind torch's default weight_decay, 0.01);
        - the batch of a step: rows (prompt + answer, mask [0] * len(prompt) + [1] * len(answer)) for every pair
          (then every replay pair), inputs, targets, loss_mask = collate(rows, pad_id=0) (minillm.chat), moved
          to the model's device;
        - model.train(); then each step: loss = sft_loss(model(inputs)[0], targets, loss_mask) (the mean NLL of
          the answer tokens), optimizer.zero_grad(), loss.backward(), optimizer.step();
        - at the end, model.eval().
    Returns a list of `steps` Python floats: losses[i] = loss.item() of step i, measured before its update.
    steps = 0: nothing changes, returns []. The base's weights must end bit-identical.
    """
    ### BEGIN SOLUTION
    if not lora.lora_layers(model):
        raise ValueError("model: it has no LoRA layers; wrap it with lora.apply_lora first")
    if steps < 0:
        raise ValueError(f"steps: expected an int >= 0, got {steps}")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    device = next(model.parameters()).device
    losses = []
    model.train()
    for _ in range(steps):
        optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
        batch = list(pairs) + (list(replay()) if replay is not None else [])
        rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in batch]
        inputs, targets, loss_mask = (t.to(device) for t in collate(rows, pad_id=0))
        loss = sft_loss(model(inputs)[0], targets, loss_mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    return losses
    ### END SOLUTION

# %% variant: default-weight-decay
# torch's AdamW with its default weight_decay=0.01 (decays A towards 0).
def train_fact_adapter(model, pairs, steps, lr, replay=None):
    """Fine-tune only the LoRA adapters of `model` on (prompt_ids, answer_ids) pairs; returns the losses.

    model: a GPT wrapped by lora.apply_lora; ValueError if it has no LoRA layers (lora.lora_layers(model) is
        empty: training it would move the base). steps: an int >= 0 (ValueError if negative); lr: a float.
    replay: None, or a function of no arguments returning a list of (prompt_ids, answer_ids) pairs (e.g. windows
        of the pretraining text); called exactly once per step, its pairs go after `pairs` in that step's batch.
    Exactly this, so that the tests can repeat it step by step:
        - one optimiser, made once before the first step: torch.optim.AdamW(params, lr=lr, weight_decay=0.0),
          params = [p for p in model.parameters() if p.requires_grad] (mind torch's default weight_decay, 0.01);
        - the batch of a step: rows (prompt + answer, mask [0] * len(prompt) + [1] * len(answer)) for every pair
          (then every replay pair), inputs, targets, loss_mask = collate(rows, pad_id=0) (minillm.chat), moved
          to the model's device;
        - model.train(); then each step: loss = sft_loss(model(inputs)[0], targets, loss_mask) (the mean NLL of
          the answer tokens), optimizer.zero_grad(), loss.backward(), optimizer.step();
        - at the end, model.eval().
    Returns a list of `steps` Python floats: losses[i] = loss.item() of step i, measured before its update.
    steps = 0: nothing changes, returns []. The base's weights must end bit-identical.
    """
    ### BEGIN SOLUTION
    if not lora.lora_layers(model):
        raise ValueError("model: it has no LoRA layers; wrap it with lora.apply_lora first")
    if steps < 0:
        raise ValueError(f"steps: expected an int >= 0, got {steps}")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr)
    device = next(model.parameters()).device
    losses = []
    model.train()
    for _ in range(steps):
        batch = list(pairs) + (list(replay()) if replay is not None else [])
        rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in batch]
        inputs, targets, loss_mask = (t.to(device) for t in collate(rows, pad_id=0))
        loss = sft_loss(model(inputs)[0], targets, loss_mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    return losses
    ### END SOLUTION

# %% variant: loss-on-every-token
# The loss covers the prompt's tokens too (the model's own loss on all targets).
def train_fact_adapter(model, pairs, steps, lr, replay=None):
    """Fine-tune only the LoRA adapters of `model` on (prompt_ids, answer_ids) pairs; returns the losses.

    model: a GPT wrapped by lora.apply_lora; ValueError if it has no LoRA layers (lora.lora_layers(model) is
        empty: training it would move the base). steps: an int >= 0 (ValueError if negative); lr: a float.
    replay: None, or a function of no arguments returning a list of (prompt_ids, answer_ids) pairs (e.g. windows
        of the pretraining text); called exactly once per step, its pairs go after `pairs` in that step's batch.
    Exactly this, so that the tests can repeat it step by step:
        - one optimiser, made once before the first step: torch.optim.AdamW(params, lr=lr, weight_decay=0.0),
          params = [p for p in model.parameters() if p.requires_grad] (mind torch's default weight_decay, 0.01);
        - the batch of a step: rows (prompt + answer, mask [0] * len(prompt) + [1] * len(answer)) for every pair
          (then every replay pair), inputs, targets, loss_mask = collate(rows, pad_id=0) (minillm.chat), moved
          to the model's device;
        - model.train(); then each step: loss = sft_loss(model(inputs)[0], targets, loss_mask) (the mean NLL of
          the answer tokens), optimizer.zero_grad(), loss.backward(), optimizer.step();
        - at the end, model.eval().
    Returns a list of `steps` Python floats: losses[i] = loss.item() of step i, measured before its update.
    steps = 0: nothing changes, returns []. The base's weights must end bit-identical.
    """
    ### BEGIN SOLUTION
    if not lora.lora_layers(model):
        raise ValueError("model: it has no LoRA layers; wrap it with lora.apply_lora first")
    if steps < 0:
        raise ValueError(f"steps: expected an int >= 0, got {steps}")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    device = next(model.parameters()).device
    losses = []
    model.train()
    for _ in range(steps):
        batch = list(pairs) + (list(replay()) if replay is not None else [])
        rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in batch]
        inputs, targets, loss_mask = (t.to(device) for t in collate(rows, pad_id=0))
        loss = model(inputs, targets)[1]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    return losses
    ### END SOLUTION

# %% variant: base-unfrozen
# Unfreezes every parameter and trains the whole model.
def train_fact_adapter(model, pairs, steps, lr, replay=None):
    """Fine-tune only the LoRA adapters of `model` on (prompt_ids, answer_ids) pairs; returns the losses.

    model: a GPT wrapped by lora.apply_lora; ValueError if it has no LoRA layers (lora.lora_layers(model) is
        empty: training it would move the base). steps: an int >= 0 (ValueError if negative); lr: a float.
    replay: None, or a function of no arguments returning a list of (prompt_ids, answer_ids) pairs (e.g. windows
        of the pretraining text); called exactly once per step, its pairs go after `pairs` in that step's batch.
    Exactly this, so that the tests can repeat it step by step:
        - one optimiser, made once before the first step: torch.optim.AdamW(params, lr=lr, weight_decay=0.0),
          params = [p for p in model.parameters() if p.requires_grad] (mind torch's default weight_decay, 0.01);
        - the batch of a step: rows (prompt + answer, mask [0] * len(prompt) + [1] * len(answer)) for every pair
          (then every replay pair), inputs, targets, loss_mask = collate(rows, pad_id=0) (minillm.chat), moved
          to the model's device;
        - model.train(); then each step: loss = sft_loss(model(inputs)[0], targets, loss_mask) (the mean NLL of
          the answer tokens), optimizer.zero_grad(), loss.backward(), optimizer.step();
        - at the end, model.eval().
    Returns a list of `steps` Python floats: losses[i] = loss.item() of step i, measured before its update.
    steps = 0: nothing changes, returns []. The base's weights must end bit-identical.
    """
    ### BEGIN SOLUTION
    if not lora.lora_layers(model):
        raise ValueError("model: it has no LoRA layers; wrap it with lora.apply_lora first")
    if steps < 0:
        raise ValueError(f"steps: expected an int >= 0, got {steps}")
    params = [p.requires_grad_(True) for p in model.parameters()]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    device = next(model.parameters()).device
    losses = []
    model.train()
    for _ in range(steps):
        batch = list(pairs) + (list(replay()) if replay is not None else [])
        rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in batch]
        inputs, targets, loss_mask = (t.to(device) for t in collate(rows, pad_id=0))
        loss = sft_loss(model(inputs)[0], targets, loss_mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    return losses
    ### END SOLUTION

# %% variant: replay-drawn-once
# Draws the replay pairs once, before the first step, and reuses them every step.
def train_fact_adapter(model, pairs, steps, lr, replay=None):
    """Fine-tune only the LoRA adapters of `model` on (prompt_ids, answer_ids) pairs; returns the losses.

    model: a GPT wrapped by lora.apply_lora; ValueError if it has no LoRA layers (lora.lora_layers(model) is
        empty: training it would move the base). steps: an int >= 0 (ValueError if negative); lr: a float.
    replay: None, or a function of no arguments returning a list of (prompt_ids, answer_ids) pairs (e.g. windows
        of the pretraining text); called exactly once per step, its pairs go after `pairs` in that step's batch.
    Exactly this, so that the tests can repeat it step by step:
        - one optimiser, made once before the first step: torch.optim.AdamW(params, lr=lr, weight_decay=0.0),
          params = [p for p in model.parameters() if p.requires_grad] (mind torch's default weight_decay, 0.01);
        - the batch of a step: rows (prompt + answer, mask [0] * len(prompt) + [1] * len(answer)) for every pair
          (then every replay pair), inputs, targets, loss_mask = collate(rows, pad_id=0) (minillm.chat), moved
          to the model's device;
        - model.train(); then each step: loss = sft_loss(model(inputs)[0], targets, loss_mask) (the mean NLL of
          the answer tokens), optimizer.zero_grad(), loss.backward(), optimizer.step();
        - at the end, model.eval().
    Returns a list of `steps` Python floats: losses[i] = loss.item() of step i, measured before its update.
    steps = 0: nothing changes, returns []. The base's weights must end bit-identical.
    """
    ### BEGIN SOLUTION
    if not lora.lora_layers(model):
        raise ValueError("model: it has no LoRA layers; wrap it with lora.apply_lora first")
    if steps < 0:
        raise ValueError(f"steps: expected an int >= 0, got {steps}")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    device = next(model.parameters()).device
    losses = []
    model.train()
    batch = list(pairs) + (list(replay()) if replay is not None else [])
    for _ in range(steps):
        rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in batch]
        inputs, targets, loss_mask = (t.to(device) for t in collate(rows, pad_id=0))
        loss = sft_loss(model(inputs)[0], targets, loss_mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    return losses
    ### END SOLUTION

# %% variant: replay-replaces-pairs
# With replay, the step's batch is the replay pairs alone.
def train_fact_adapter(model, pairs, steps, lr, replay=None):
    """Fine-tune only the LoRA adapters of `model` on (prompt_ids, answer_ids) pairs; returns the losses.

    model: a GPT wrapped by lora.apply_lora; ValueError if it has no LoRA layers (lora.lora_layers(model) is
        empty: training it would move the base). steps: an int >= 0 (ValueError if negative); lr: a float.
    replay: None, or a function of no arguments returning a list of (prompt_ids, answer_ids) pairs (e.g. windows
        of the pretraining text); called exactly once per step, its pairs go after `pairs` in that step's batch.
    Exactly this, so that the tests can repeat it step by step:
        - one optimiser, made once before the first step: torch.optim.AdamW(params, lr=lr, weight_decay=0.0),
          params = [p for p in model.parameters() if p.requires_grad] (mind torch's default weight_decay, 0.01);
        - the batch of a step: rows (prompt + answer, mask [0] * len(prompt) + [1] * len(answer)) for every pair
          (then every replay pair), inputs, targets, loss_mask = collate(rows, pad_id=0) (minillm.chat), moved
          to the model's device;
        - model.train(); then each step: loss = sft_loss(model(inputs)[0], targets, loss_mask) (the mean NLL of
          the answer tokens), optimizer.zero_grad(), loss.backward(), optimizer.step();
        - at the end, model.eval().
    Returns a list of `steps` Python floats: losses[i] = loss.item() of step i, measured before its update.
    steps = 0: nothing changes, returns []. The base's weights must end bit-identical.
    """
    ### BEGIN SOLUTION
    if not lora.lora_layers(model):
        raise ValueError("model: it has no LoRA layers; wrap it with lora.apply_lora first")
    if steps < 0:
        raise ValueError(f"steps: expected an int >= 0, got {steps}")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    device = next(model.parameters()).device
    losses = []
    model.train()
    for _ in range(steps):
        batch = list(replay()) if replay is not None else list(pairs)
        rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in batch]
        inputs, targets, loss_mask = (t.to(device) for t in collate(rows, pad_id=0))
        loss = sft_loss(model(inputs)[0], targets, loss_mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    return losses
    ### END SOLUTION

# %% variant: loss-after-update
# Records the loss measured after the update.
def train_fact_adapter(model, pairs, steps, lr, replay=None):
    """Fine-tune only the LoRA adapters of `model` on (prompt_ids, answer_ids) pairs; returns the losses.

    model: a GPT wrapped by lora.apply_lora; ValueError if it has no LoRA layers (lora.lora_layers(model) is
        empty: training it would move the base). steps: an int >= 0 (ValueError if negative); lr: a float.
    replay: None, or a function of no arguments returning a list of (prompt_ids, answer_ids) pairs (e.g. windows
        of the pretraining text); called exactly once per step, its pairs go after `pairs` in that step's batch.
    Exactly this, so that the tests can repeat it step by step:
        - one optimiser, made once before the first step: torch.optim.AdamW(params, lr=lr, weight_decay=0.0),
          params = [p for p in model.parameters() if p.requires_grad] (mind torch's default weight_decay, 0.01);
        - the batch of a step: rows (prompt + answer, mask [0] * len(prompt) + [1] * len(answer)) for every pair
          (then every replay pair), inputs, targets, loss_mask = collate(rows, pad_id=0) (minillm.chat), moved
          to the model's device;
        - model.train(); then each step: loss = sft_loss(model(inputs)[0], targets, loss_mask) (the mean NLL of
          the answer tokens), optimizer.zero_grad(), loss.backward(), optimizer.step();
        - at the end, model.eval().
    Returns a list of `steps` Python floats: losses[i] = loss.item() of step i, measured before its update.
    steps = 0: nothing changes, returns []. The base's weights must end bit-identical.
    """
    ### BEGIN SOLUTION
    if not lora.lora_layers(model):
        raise ValueError("model: it has no LoRA layers; wrap it with lora.apply_lora first")
    if steps < 0:
        raise ValueError(f"steps: expected an int >= 0, got {steps}")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    device = next(model.parameters()).device
    losses = []
    model.train()
    for _ in range(steps):
        batch = list(pairs) + (list(replay()) if replay is not None else [])
        rows = [(list(prompt) + list(answer), [0] * len(prompt) + [1] * len(answer)) for prompt, answer in batch]
        inputs, targets, loss_mask = (t.to(device) for t in collate(rows, pad_id=0))
        loss = sft_loss(model(inputs)[0], targets, loss_mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(sft_loss(model(inputs)[0], targets, loss_mask).item())
    model.eval()
    return losses
    ### END SOLUTION
