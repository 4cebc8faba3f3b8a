"""Evaluation metrics: perplexity and bits per byte, multiple-choice scoring by log-likelihood, teacher-forced
exact match and loss of answers, exact match for math answers, distinct-n diversity and an n-gram
contamination check.

    nlls = sequence_nlls(model, ids)                    # (T - 1,) nats, one per predicted token
    perplexity(nlls), bits_per_byte(nlls, n_bytes)      # per token, and per byte of text (tokenizer-free)
    choice_logprobs(model, context_ids, [ids_a, ids_b]) # log p(continuation | context) for each choice
    multiple_choice_accuracy(items)                     # {"acc": ..., "acc_norm": ...}
    correct, loss = answer_scores(logits, targets, mask)  # greedy would write the answer? its mean NLL
    exact_match("... so the answer is 1,024.", "1024")  # True
    distinct_n(samples, 2); NGramIndex(words(train_text), 13).overlap(words(item))

acc and acc_norm follow lm-evaluation-harness: the prediction is the choice with the highest summed
log-probability (acc), or the highest summed log-probability divided by the choice's length (acc_norm).
The harness scores the continuation " " + choice but divides by `len(choice)`, the length of the choice
string without that space, in characters; here the length is the choice's UTF-8 bytes, the same unit as bits
per byte. The two agree on ASCII text, which is what the course's and the hub's English sets hold.
"""

import math
import re
from collections import Counter

import torch
import torch.nn.functional as F

from minillm.align import masked_mean, token_logprobs

# ---- perplexity and bits per byte ----------------------------------------------------------------------


def _as_nlls(nlls) -> torch.Tensor:
    """nlls (1-D tensor or sequence of floats) -> a non-empty float64 tensor, or a clear error."""
    nlls = torch.as_tensor(nlls)
    if nlls.dim() != 1 or nlls.numel() == 0:
        raise ValueError(f"nlls must be a non-empty 1-D sequence of per-token NLLs, got shape {tuple(nlls.shape)}")
    if not nlls.is_floating_point():
        raise TypeError(f"nlls must hold floats (negative log-likelihoods in nats), got {nlls.dtype}")
    return nlls.double()


def perplexity(nlls) -> float:
    """exp(mean NLL): the perplexity of per-token negative log-likelihoods `nlls` (nats), a Python float."""
    return math.exp(_as_nlls(nlls).mean().item())


def bits_per_byte(nlls, n_bytes: int) -> float:
    """sum(nlls) / (ln 2 * n_bytes): bits per byte of the text the tokens spell (n_bytes of UTF-8)."""
    if not isinstance(n_bytes, int) or n_bytes < 1:
        raise ValueError(f"n_bytes must be a positive int (the UTF-8 length of the text), got {n_bytes!r}")
    return _as_nlls(nlls).sum().item() / (math.log(2) * n_bytes)


@torch.no_grad()
def sequence_nlls(model, ids, batch_size: int = 16) -> torch.Tensor:
    """Per-token NLL (nats, float32, shape (len(ids) - 1,)) of ids[1:] under `model`, each given the tokens before.

    ids: 1-D sequence of token ids, at least 2. A sequence longer than the model's block_size is cut into
    windows of block_size + 1 tokens that overlap by one, so every token after the first is predicted
    exactly once (each window starts its context afresh).
    """
    ids = torch.as_tensor(ids, dtype=torch.long).flatten()
    if ids.numel() < 2:
        raise ValueError(f"ids must hold at least 2 tokens (the first is never predicted), got {ids.numel()}")
    block = model.config.block_size
    device = next(model.parameters()).device
    starts = range(0, ids.numel() - 1, block)
    nlls = []
    for i in range(0, len(starts), batch_size):
        windows = [ids[s : s + block + 1] for s in starts[i : i + batch_size]]
        x = torch.nn.utils.rnn.pad_sequence([w[:-1] for w in windows], batch_first=True).to(device)
        y = torch.nn.utils.rnn.pad_sequence([w[1:] for w in windows], batch_first=True, padding_value=-100)
        y = y.flatten().to(device)
        losses = F.cross_entropy(model(x)[0].float().flatten(0, 1), y, reduction="none", ignore_index=-100)
        nlls.append(losses[y != -100].cpu())
    return torch.cat(nlls)


# ---- multiple choice -----------------------------------------------------------------------------------


@torch.no_grad()
def choice_logprobs(model, context_ids, continuations) -> torch.Tensor:
    """log p(continuation | context) under `model` for each continuation: a float64 tensor (len(continuations),).

    context_ids: a non-empty sequence of token ids; continuations: non-empty sequences of token ids. All the
    sequences context + continuation run as one right-padded batch (padding after a sequence cannot change it,
    attention being causal); the sum is over the continuation's tokens only.
    """
    context = [int(i) for i in context_ids]
    continuations = [[int(i) for i in c] for c in continuations]
    if not context:
        raise ValueError("context_ids must not be empty: the first continuation token needs a token before it")
    if not continuations or any(len(c) == 0 for c in continuations):
        raise ValueError("continuations must be a non-empty list of non-empty token sequences")
    longest = len(context) + max(len(c) for c in continuations) - 1
    if longest > model.config.block_size:
        raise ValueError(f"context + continuation needs {longest} positions, more than block_size={model.config.block_size}")
    device = next(model.parameters()).device
    rows = [torch.tensor(context + c[:-1]) for c in continuations]
    x = torch.nn.utils.rnn.pad_sequence(rows, batch_first=True).to(device)
    log_probs = F.log_softmax(model(x)[0].double(), dim=-1)  # (n_choices, T, V)
    first = len(context) - 1  # position whose logits predict the first continuation token
    scores = [log_probs[row, first + torch.arange(len(c)), torch.tensor(c)].sum() for row, c in enumerate(continuations)]
    return torch.stack(scores).cpu()


def choose(logprobs, choices) -> tuple[int, int]:
    """(pred, pred_norm): the index of the highest log-probability, and of the highest log-probability per
    UTF-8 byte of the choice text. Ties go to the lowest index (as numpy.argmax)."""
    if len(logprobs) != len(choices) or not choices:
        raise ValueError(f"need one log-probability per choice, got {len(logprobs)} for {len(choices)} choices")
    lengths = [len(c.encode("utf-8")) for c in choices]
    if 0 in lengths:
        raise ValueError(f"choice {lengths.index(0)} is empty: acc_norm would divide by zero")
    scores = [float(lp) for lp in logprobs]
    pred = max(range(len(scores)), key=lambda i: (scores[i], -i))
    pred_norm = max(range(len(scores)), key=lambda i: (scores[i] / lengths[i], -i))
    return pred, pred_norm


def multiple_choice_accuracy(items) -> dict[str, float]:
    """{"acc", "acc_norm"} over `items`, each a dict with "logprobs" (one per choice), "choices" (their
    texts) and "gold" (the index of the right one); see `choose`."""
    if not items:
        raise ValueError("items must not be empty")
    hits = [[p == item["gold"] for p in choose(item["logprobs"], item["choices"])] for item in items]
    return {"acc": sum(h[0] for h in hits) / len(items), "acc_norm": sum(h[1] for h in hits) / len(items)}


# ---- answers scored by teacher forcing -----------------------------------------------------------------


def answer_scores(logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor):
    """Exact match and loss of each answer from one teacher-forced pass: (correct (B,) bool, loss (B,)).

    logits (B, T, V) predict targets (B, T); mask (B, T) is 1 on the answer's tokens. correct[b]: the argmax
    equals the target at every answer position, which is exactly when greedy decoding writes the answer
    (each greedy step then sees the same prefix as the teacher-forced one). loss[b]: the mean NLL over the
    answer's tokens, in logits' dtype. A row without answer tokens raises ValueError.
    """
    answer = mask > 0
    if not answer.any(dim=1).all():
        raise ValueError("mask: a row has no answer token, so its answer cannot be scored")
    correct = ((logits.argmax(dim=-1) == targets) | ~answer).all(dim=1)
    return correct, masked_mean(-token_logprobs(logits, targets), answer.to(logits.dtype), dim=1)


# ---- exact match for math answers ----------------------------------------------------------------------

ANSWER_MARK = re.compile(r"the answer is|####", re.IGNORECASE)
NUMBER = re.compile(r"[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def extract_answer(text: str) -> str | None:
    """The number a free-text answer gives: the first number after the last "the answer is" (or GSM8K's
    "####"), else the last number in the text; None when there is none. Returned as written ("1,024")."""
    marks = list(ANSWER_MARK.finditer(text))
    if marks:
        after = NUMBER.search(text, marks[-1].end())
        if after:
            return after.group()
    numbers = NUMBER.findall(text)
    return numbers[-1] if numbers else None


def normalize_number(number: str) -> str:
    """A canonical form of a written number: no thousands commas, no "+", "-" for the minus sign U+2212, no
    leading zeros, no trailing zeros after the point (and no bare point), "0" for minus zero.
    "+1,024.50" -> "1024.5", "-0.0" -> "0", "007" -> "7". Raises ValueError if `number` is not a number."""
    text = number.strip().replace("\u2212", "-")
    if not NUMBER.fullmatch(text):
        raise ValueError(f"number: {number!r} is not a number")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("+-").replace(",", "").partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    digits = f"{whole}.{fraction}" if fraction else whole
    return "0" if digits == "0" else sign + digits


def exact_match(prediction: str, answer: str) -> bool:
    """Whether the number extracted from `prediction` equals `answer` after normalisation of both."""
    extracted = extract_answer(prediction)
    return extracted is not None and normalize_number(extracted) == normalize_number(answer)


# ---- diversity and contamination -----------------------------------------------------------------------


def ngrams(tokens, n: int) -> list[tuple]:
    """The len(tokens) - n + 1 n-grams of a sequence, in order, as tuples (none if it is shorter than n)."""
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    tokens = list(tokens)
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def distinct_n(samples, n: int) -> float:
    """Distinct n-grams / all n-grams over every sample ("A Diversity-Promoting Objective Function for Neural
    Conversation Models", Li et al., 2016). samples: sequences of tokens (lists of ids or words, or strings
    of characters); n-grams never cross from one sample into the next. 0.0 when there are no n-grams."""
    counts = Counter(gram for sample in samples for gram in ngrams(sample, n))
    total = sum(counts.values())
    return len(counts) / total if total else 0.0


def words(text: str) -> list[str]:
    """Lower-cased runs of letters, digits and apostrophes: the units of the contamination check."""
    return re.findall(r"[\w']+", text.lower())


class NGramIndex:
    """Every n-gram of a training text, in a set: each lookup costs one hash, whatever the text's size.

    tokens: the training text as a sequence of tokens (e.g. `words(text)`); n: the n-gram length (GPT-3's
    decontamination used 13 words).
    """

    def __init__(self, tokens, n: int = 13):
        self.n = n
        self.grams = set(ngrams(tokens, n))

    def __len__(self):
        return len(self.grams)

    def __contains__(self, gram):
        return tuple(gram) in self.grams

    def overlap(self, tokens) -> float:
        """Fraction of the n-grams of `tokens` (an eval item, counted with repeats) that occur in the training
        text; 0.0 for an item shorter than n."""
        grams = ngrams(tokens, self.n)
        return sum(gram in self.grams for gram in grams) / len(grams) if grams else 0.0
