# %% variant: recall-first-only
# Counts a question only when its gold is ranked first, whatever k.
def recall_at_k(ranked, gold, k):
    """Share of questions whose gold id is among the first k of their retrieved ids: a Python float in [0, 1].

    ranked (Q, K) int64, ranked[q] the retrieved passage ids of question q, best first; gold (Q,) int64.
    Raise ValueError if k is not in 1..K or Q == 0.
    """
    ### BEGIN SOLUTION
    if ranked.shape[0] == 0 or not 1 <= k <= ranked.shape[1]:
        raise ValueError(f"need Q >= 1 and 1 <= k <= {ranked.shape[1]}, got Q={ranked.shape[0]}, k={k}")
    return (ranked[:, :1] == gold[:, None]).any(dim=1).double().mean().item()
    ### END SOLUTION


def answer_scores(logits, targets, mask):
    """(correct (B,) bool, loss (B,)) of each row's answer from one teacher-forced pass.

    logits (B, T, V) predict targets (B, T) int64 (logits[b, t] predicts targets[b, t]); mask (B, T) float, 1 on
    the answer's tokens. correct[b]: argmax(logits[b, t]) == targets[b, t] at EVERY t with mask 1 (whatever the
    other positions hold). loss[b]: the mean over those t of -log softmax(logits[b, t])[targets[b, t]], in logits'
    dtype. Raise ValueError if a row has no answer token.
    """
    ### BEGIN SOLUTION
    answer = mask > 0
    if not answer.any(dim=1).all():
        raise ValueError("mask: a row has no answer token")
    nll = -F.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    correct = ((logits.argmax(dim=-1) == targets) | ~answer).all(dim=1)
    weights = answer.to(logits.dtype)
    return correct, (nll * weights).sum(dim=1) / weights.sum(dim=1)
    ### END SOLUTION

# %% variant: recall-k-off-by-one
# Looks at the first k - 1 ids (k = 1 looks at none).
def recall_at_k(ranked, gold, k):
    """Share of questions whose gold id is among the first k of their retrieved ids: a Python float in [0, 1].

    ranked (Q, K) int64, ranked[q] the retrieved passage ids of question q, best first; gold (Q,) int64.
    Raise ValueError if k is not in 1..K or Q == 0.
    """
    ### BEGIN SOLUTION
    if ranked.shape[0] == 0 or not 1 <= k <= ranked.shape[1]:
        raise ValueError(f"need Q >= 1 and 1 <= k <= {ranked.shape[1]}, got Q={ranked.shape[0]}, k={k}")
    return (ranked[:, :k - 1] == gold[:, None]).any(dim=1).double().mean().item()
    ### END SOLUTION


def answer_scores(logits, targets, mask):
    """(correct (B,) bool, loss (B,)) of each row's answer from one teacher-forced pass.

    logits (B, T, V) predict targets (B, T) int64 (logits[b, t] predicts targets[b, t]); mask (B, T) float, 1 on
    the answer's tokens. correct[b]: argmax(logits[b, t]) == targets[b, t] at EVERY t with mask 1 (whatever the
    other positions hold). loss[b]: the mean over those t of -log softmax(logits[b, t])[targets[b, t]], in logits'
    dtype. Raise ValueError if a row has no answer token.
    """
    ### BEGIN SOLUTION
    answer = mask > 0
    if not answer.any(dim=1).all():
        raise ValueError("mask: a row has no answer token")
    nll = -F.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    correct = ((logits.argmax(dim=-1) == targets) | ~answer).all(dim=1)
    weights = answer.to(logits.dtype)
    return correct, (nll * weights).sum(dim=1) / weights.sum(dim=1)
    ### END SOLUTION

# %% variant: any-position-right
# An answer is right if ANY of its tokens is predicted right.
def recall_at_k(ranked, gold, k):
    """Share of questions whose gold id is among the first k of their retrieved ids: a Python float in [0, 1].

    ranked (Q, K) int64, ranked[q] the retrieved passage ids of question q, best first; gold (Q,) int64.
    Raise ValueError if k is not in 1..K or Q == 0.
    """
    ### BEGIN SOLUTION
    if ranked.shape[0] == 0 or not 1 <= k <= ranked.shape[1]:
        raise ValueError(f"need Q >= 1 and 1 <= k <= {ranked.shape[1]}, got Q={ranked.shape[0]}, k={k}")
    return (ranked[:, :k] == gold[:, None]).any(dim=1).double().mean().item()
    ### END SOLUTION


def answer_scores(logits, targets, mask):
    """(correct (B,) bool, loss (B,)) of each row's answer from one teacher-forced pass.

    logits (B, T, V) predict targets (B, T) int64 (logits[b, t] predicts targets[b, t]); mask (B, T) float, 1 on
    the answer's tokens. correct[b]: argmax(logits[b, t]) == targets[b, t] at EVERY t with mask 1 (whatever the
    other positions hold). loss[b]: the mean over those t of -log softmax(logits[b, t])[targets[b, t]], in logits'
    dtype. Raise ValueError if a row has no answer token.
    """
    ### BEGIN SOLUTION
    answer = mask > 0
    if not answer.any(dim=1).all():
        raise ValueError("mask: a row has no answer token")
    nll = -F.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    correct = ((logits.argmax(dim=-1) == targets) & answer).any(dim=1)
    weights = answer.to(logits.dtype)
    return correct, (nll * weights).sum(dim=1) / weights.sum(dim=1)
    ### END SOLUTION

# %% variant: padding-must-match
# Requires the argmax to match at every position, not only the answer's.
def recall_at_k(ranked, gold, k):
    """Share of questions whose gold id is among the first k of their retrieved ids: a Python float in [0, 1].

    ranked (Q, K) int64, ranked[q] the retrieved passage ids of question q, best first; gold (Q,) int64.
    Raise ValueError if k is not in 1..K or Q == 0.
    """
    ### BEGIN SOLUTION
    if ranked.shape[0] == 0 or not 1 <= k <= ranked.shape[1]:
        raise ValueError(f"need Q >= 1 and 1 <= k <= {ranked.shape[1]}, got Q={ranked.shape[0]}, k={k}")
    return (ranked[:, :k] == gold[:, None]).any(dim=1).double().mean().item()
    ### END SOLUTION


def answer_scores(logits, targets, mask):
    """(correct (B,) bool, loss (B,)) of each row's answer from one teacher-forced pass.

    logits (B, T, V) predict targets (B, T) int64 (logits[b, t] predicts targets[b, t]); mask (B, T) float, 1 on
    the answer's tokens. correct[b]: argmax(logits[b, t]) == targets[b, t] at EVERY t with mask 1 (whatever the
    other positions hold). loss[b]: the mean over those t of -log softmax(logits[b, t])[targets[b, t]], in logits'
    dtype. Raise ValueError if a row has no answer token.
    """
    ### BEGIN SOLUTION
    answer = mask > 0
    if not answer.any(dim=1).all():
        raise ValueError("mask: a row has no answer token")
    nll = -F.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    correct = (logits.argmax(dim=-1) == targets).all(dim=1)
    weights = answer.to(logits.dtype)
    return correct, (nll * weights).sum(dim=1) / weights.sum(dim=1)
    ### END SOLUTION

# %% variant: loss-over-all-positions
# Averages the loss over every position of the row.
def recall_at_k(ranked, gold, k):
    """Share of questions whose gold id is among the first k of their retrieved ids: a Python float in [0, 1].

    ranked (Q, K) int64, ranked[q] the retrieved passage ids of question q, best first; gold (Q,) int64.
    Raise ValueError if k is not in 1..K or Q == 0.
    """
    ### BEGIN SOLUTION
    if ranked.shape[0] == 0 or not 1 <= k <= ranked.shape[1]:
        raise ValueError(f"need Q >= 1 and 1 <= k <= {ranked.shape[1]}, got Q={ranked.shape[0]}, k={k}")
    return (ranked[:, :k] == gold[:, None]).any(dim=1).double().mean().item()
    ### END SOLUTION


def answer_scores(logits, targets, mask):
    """(correct (B,) bool, loss (B,)) of each row's answer from one teacher-forced pass.

    logits (B, T, V) predict targets (B, T) int64 (logits[b, t] predicts targets[b, t]); mask (B, T) float, 1 on
    the answer's tokens. correct[b]: argmax(logits[b, t]) == targets[b, t] at EVERY t with mask 1 (whatever the
    other positions hold). loss[b]: the mean over those t of -log softmax(logits[b, t])[targets[b, t]], in logits'
    dtype. Raise ValueError if a row has no answer token.
    """
    ### BEGIN SOLUTION
    answer = mask > 0
    if not answer.any(dim=1).all():
        raise ValueError("mask: a row has no answer token")
    nll = -F.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    correct = ((logits.argmax(dim=-1) == targets) | ~answer).all(dim=1)
    weights = answer.to(logits.dtype)
    return correct, nll.mean(dim=1)
    ### END SOLUTION
