# %% variant: forgets-optimizer
# Saves and restores the weights and the RNG but not the optimiser: Adam restarts from m = v = 0.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "step": step, "rng": torch.get_rng_state()}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path)
    model.load_state_dict(checkpoint["model"])
    torch.set_rng_state(checkpoint["rng"])
    return checkpoint["step"]


# %% variant: forgets-rng
# Saves no RNG state: after the restart the batches and dropout masks differ from the uninterrupted run's.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]


# %% variant: forgets-step
# Restores everything but returns 0, so the run (and its schedule) starts counting again from the beginning.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "rng": torch.get_rng_state()}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    torch.set_rng_state(checkpoint["rng"])
    return 0


# %% variant: step-as-a-tensor
# Saves the step as a tensor and returns it as loaded: the run goes on, but the contract promises an int.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": torch.tensor(step),
                "rng": torch.get_rng_state()}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    torch.set_rng_state(checkpoint["rng"])
    return checkpoint["step"]


# %% variant: rng-reset-to-the-seed
# Saves the seed the run started from and seeds again with it: the RNG goes back to the run's start, not to
# where it was at the checkpoint.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step,
                "seed": torch.initial_seed()}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    torch.manual_seed(checkpoint["seed"])
    return checkpoint["step"]
