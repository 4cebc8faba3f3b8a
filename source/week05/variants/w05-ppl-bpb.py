# %% variant: exp-of-sum
# Perplexity as exp of the SUM of the NLLs: grows with the length of the text.
def perplexity(nlls):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    return math.exp(nlls.double().sum().item())


def bits_per_byte(nlls, n_bytes):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    if n_bytes < 1:
        raise ValueError(f"n_bytes must be >= 1, got {n_bytes}")
    return nlls.double().sum().item() / (math.log(2) * n_bytes)


# %% variant: nats-per-byte
# Bits per byte without turning nats into bits (no division by ln 2).
def perplexity(nlls):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    return math.exp(nlls.double().mean().item())


def bits_per_byte(nlls, n_bytes):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    if n_bytes < 1:
        raise ValueError(f"n_bytes must be >= 1, got {n_bytes}")
    return nlls.double().sum().item() / n_bytes


# %% variant: per-token-bits
# Divides by the number of tokens instead of the number of bytes: bits per token.
def perplexity(nlls):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    return math.exp(nlls.double().mean().item())


def bits_per_byte(nlls, n_bytes):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    if n_bytes < 1:
        raise ValueError(f"n_bytes must be >= 1, got {n_bytes}")
    return nlls.double().mean().item() / math.log(2)


# %% variant: base-two-perplexity
# 2 ** (mean NLL): mixes bits and nats (the NLLs are in nats).
def perplexity(nlls):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    return 2 ** nlls.double().mean().item()


def bits_per_byte(nlls, n_bytes):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    if n_bytes < 1:
        raise ValueError(f"n_bytes must be >= 1, got {n_bytes}")
    return nlls.double().sum().item() / (math.log(2) * n_bytes)


# %% variant: tensor-not-float
# Right values, but returns 0-d tensors instead of Python floats, and no check of n_bytes.
def perplexity(nlls):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    return nlls.double().mean().exp()


def bits_per_byte(nlls, n_bytes):
    if nlls.numel() == 0:
        raise ValueError("nlls must not be empty")
    return nlls.double().sum() / (math.log(2) * n_bytes)
