# %% variant: pairs-reversed
# Predicts each id from the one after it (inputs and targets swapped).
def neural_bigram_loss(W, ids, regularization=0.0):
    """The loss of the one-layer bigram network: mean negative log-likelihood plus a penalty on its logits.

    W: (V, V) float tensor, the network's only weights. Its input is the one-hot vector x of the current id
    (V entries, a 1 at the id), its logits are x @ W (row W[id]), and P(next | id) = softmax(x @ W).
    ids: 1-D int64 tensor of ids in [0, V), length N >= 2.
    Returns a 0-d tensor of W's dtype that backward() differentiates with respect to W:
        the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -log softmax(x_t @ W)[ids[t + 1]]
        + regularization * (W ** 2).mean()     (the mean over all V * V entries)
    The tests use logits as large as 100: take log-probabilities with F.log_softmax or F.cross_entropy, which
    stay finite where softmax(...).log() underflows to -inf.
    """
    inputs = F.one_hot(ids[1:], W.shape[0]).to(W.dtype)
    logits = inputs @ W
    return F.cross_entropy(logits, ids[:-1]) + regularization * (W**2).mean()


def train_neural_bigram(ids, vocab_size, steps, lr, regularization=0.0):
    """Fit the network by plain gradient descent on neural_bigram_loss over all of ids (one full batch).

    Start from W = 0: a (vocab_size, vocab_size) float32 tensor of zeros with requires_grad=True (every row
    uniform). Each of the `steps` steps: the loss on all of ids, backward(), then W -= lr * W.grad inside
    torch.no_grad(), and the gradient cleared before the next backward(). No optimiser object, no momentum.
    Returns W detached (requires_grad False): a (vocab_size, vocab_size) float32 tensor.
    """
    W = torch.zeros(vocab_size, vocab_size, requires_grad=True)
    for _ in range(steps):
        loss = neural_bigram_loss(W, ids, regularization)
        W.grad = None
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad
    return W.detach()

# %% variant: penalty-summed
# Sums the squared logits instead of averaging them.
def neural_bigram_loss(W, ids, regularization=0.0):
    """The loss of the one-layer bigram network: mean negative log-likelihood plus a penalty on its logits.

    W: (V, V) float tensor, the network's only weights. Its input is the one-hot vector x of the current id
    (V entries, a 1 at the id), its logits are x @ W (row W[id]), and P(next | id) = softmax(x @ W).
    ids: 1-D int64 tensor of ids in [0, V), length N >= 2.
    Returns a 0-d tensor of W's dtype that backward() differentiates with respect to W:
        the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -log softmax(x_t @ W)[ids[t + 1]]
        + regularization * (W ** 2).mean()     (the mean over all V * V entries)
    The tests use logits as large as 100: take log-probabilities with F.log_softmax or F.cross_entropy, which
    stay finite where softmax(...).log() underflows to -inf.
    """
    inputs = F.one_hot(ids[:-1], W.shape[0]).to(W.dtype)  # (N - 1, V): one row per pair
    logits = inputs @ W  # (N - 1, V): row t is W[ids[t]]
    return F.cross_entropy(logits, ids[1:]) + regularization * (W**2).sum()


def train_neural_bigram(ids, vocab_size, steps, lr, regularization=0.0):
    """Fit the network by plain gradient descent on neural_bigram_loss over all of ids (one full batch).

    Start from W = 0: a (vocab_size, vocab_size) float32 tensor of zeros with requires_grad=True (every row
    uniform). Each of the `steps` steps: the loss on all of ids, backward(), then W -= lr * W.grad inside
    torch.no_grad(), and the gradient cleared before the next backward(). No optimiser object, no momentum.
    Returns W detached (requires_grad False): a (vocab_size, vocab_size) float32 tensor.
    """
    W = torch.zeros(vocab_size, vocab_size, requires_grad=True)
    for _ in range(steps):
        loss = neural_bigram_loss(W, ids, regularization)
        W.grad = None
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad
    return W.detach()

# %% variant: softmax-then-log
# Takes the log of softmax probabilities, which underflow to 0 for large logits.
def neural_bigram_loss(W, ids, regularization=0.0):
    """The loss of the one-layer bigram network: mean negative log-likelihood plus a penalty on its logits.

    W: (V, V) float tensor, the network's only weights. Its input is the one-hot vector x of the current id
    (V entries, a 1 at the id), its logits are x @ W (row W[id]), and P(next | id) = softmax(x @ W).
    ids: 1-D int64 tensor of ids in [0, V), length N >= 2.
    Returns a 0-d tensor of W's dtype that backward() differentiates with respect to W:
        the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -log softmax(x_t @ W)[ids[t + 1]]
        + regularization * (W ** 2).mean()     (the mean over all V * V entries)
    The tests use logits as large as 100: take log-probabilities with F.log_softmax or F.cross_entropy, which
    stay finite where softmax(...).log() underflows to -inf.
    """
    inputs = F.one_hot(ids[:-1], W.shape[0]).to(W.dtype)  # (N - 1, V): one row per pair
    logits = inputs @ W  # (N - 1, V): row t is W[ids[t]]
    probs = torch.softmax(logits, dim=-1)
    nll = -probs[torch.arange(len(ids) - 1), ids[1:]].log().mean()
    return nll + regularization * (W**2).mean()


def train_neural_bigram(ids, vocab_size, steps, lr, regularization=0.0):
    """Fit the network by plain gradient descent on neural_bigram_loss over all of ids (one full batch).

    Start from W = 0: a (vocab_size, vocab_size) float32 tensor of zeros with requires_grad=True (every row
    uniform). Each of the `steps` steps: the loss on all of ids, backward(), then W -= lr * W.grad inside
    torch.no_grad(), and the gradient cleared before the next backward(). No optimiser object, no momentum.
    Returns W detached (requires_grad False): a (vocab_size, vocab_size) float32 tensor.
    """
    W = torch.zeros(vocab_size, vocab_size, requires_grad=True)
    for _ in range(steps):
        loss = neural_bigram_loss(W, ids, regularization)
        W.grad = None
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad
    return W.detach()

# %% variant: gradients-accumulate
# Never clears W.grad, so each step adds every earlier gradient again.
def neural_bigram_loss(W, ids, regularization=0.0):
    """The loss of the one-layer bigram network: mean negative log-likelihood plus a penalty on its logits.

    W: (V, V) float tensor, the network's only weights. Its input is the one-hot vector x of the current id
    (V entries, a 1 at the id), its logits are x @ W (row W[id]), and P(next | id) = softmax(x @ W).
    ids: 1-D int64 tensor of ids in [0, V), length N >= 2.
    Returns a 0-d tensor of W's dtype that backward() differentiates with respect to W:
        the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -log softmax(x_t @ W)[ids[t + 1]]
        + regularization * (W ** 2).mean()     (the mean over all V * V entries)
    The tests use logits as large as 100: take log-probabilities with F.log_softmax or F.cross_entropy, which
    stay finite where softmax(...).log() underflows to -inf.
    """
    inputs = F.one_hot(ids[:-1], W.shape[0]).to(W.dtype)  # (N - 1, V): one row per pair
    logits = inputs @ W  # (N - 1, V): row t is W[ids[t]]
    return F.cross_entropy(logits, ids[1:]) + regularization * (W**2).mean()


def train_neural_bigram(ids, vocab_size, steps, lr, regularization=0.0):
    """Fit the network by plain gradient descent on neural_bigram_loss over all of ids (one full batch).

    Start from W = 0: a (vocab_size, vocab_size) float32 tensor of zeros with requires_grad=True (every row
    uniform). Each of the `steps` steps: the loss on all of ids, backward(), then W -= lr * W.grad inside
    torch.no_grad(), and the gradient cleared before the next backward(). No optimiser object, no momentum.
    Returns W detached (requires_grad False): a (vocab_size, vocab_size) float32 tensor.
    """
    W = torch.zeros(vocab_size, vocab_size, requires_grad=True)
    for _ in range(steps):
        loss = neural_bigram_loss(W, ids, regularization)
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad
    return W.detach()

# %% variant: softmax-over-columns
# Normalises each column instead of each row (softmax over the current id).
def neural_bigram_loss(W, ids, regularization=0.0):
    """The loss of the one-layer bigram network: mean negative log-likelihood plus a penalty on its logits.

    W: (V, V) float tensor, the network's only weights. Its input is the one-hot vector x of the current id
    (V entries, a 1 at the id), its logits are x @ W (row W[id]), and P(next | id) = softmax(x @ W).
    ids: 1-D int64 tensor of ids in [0, V), length N >= 2.
    Returns a 0-d tensor of W's dtype that backward() differentiates with respect to W:
        the mean over the N - 1 pairs (ids[t], ids[t + 1]) of -log softmax(x_t @ W)[ids[t + 1]]
        + regularization * (W ** 2).mean()     (the mean over all V * V entries)
    The tests use logits as large as 100: take log-probabilities with F.log_softmax or F.cross_entropy, which
    stay finite where softmax(...).log() underflows to -inf.
    """
    inputs = F.one_hot(ids[:-1], W.shape[0]).to(W.dtype)  # (N - 1, V): one row per pair
    logits = inputs @ W  # (N - 1, V): row t is W[ids[t]]
    log_probs = W.log_softmax(dim=0)[ids[:-1]]
    return F.nll_loss(log_probs, ids[1:]) + regularization * (W**2).mean()


def train_neural_bigram(ids, vocab_size, steps, lr, regularization=0.0):
    """Fit the network by plain gradient descent on neural_bigram_loss over all of ids (one full batch).

    Start from W = 0: a (vocab_size, vocab_size) float32 tensor of zeros with requires_grad=True (every row
    uniform). Each of the `steps` steps: the loss on all of ids, backward(), then W -= lr * W.grad inside
    torch.no_grad(), and the gradient cleared before the next backward(). No optimiser object, no momentum.
    Returns W detached (requires_grad False): a (vocab_size, vocab_size) float32 tensor.
    """
    W = torch.zeros(vocab_size, vocab_size, requires_grad=True)
    for _ in range(steps):
        loss = neural_bigram_loss(W, ids, regularization)
        W.grad = None
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad
    return W.detach()
