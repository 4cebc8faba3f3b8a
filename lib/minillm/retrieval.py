"""Week 10: retrieval. BM25 over word tokens, dense retrieval with the course model's embeddings, and packing
retrieved passages into a prompt within a token budget.

BM25 is Okapi BM25 exactly as `rank_bm25.BM25Okapi` computes it: for a query term q and document d,

    score(d) += idf(q) * tf(q, d) * (k1 + 1) / (tf(q, d) + k1 * (1 - b + b * len(d) / avgdl))

with idf(q) = log((N - n(q) + 0.5) / (n(q) + 0.5)) (N documents, n(q) of them containing q). A term in more
than half the documents has a negative idf; it is replaced by epsilon * (the mean idf over the vocabulary),
as rank_bm25 does. A term repeated in the query counts once per repetition. A query term that is not in
the index adds 0, so a query with no indexed terms (or an empty one) scores every document 0.0: a defined
result, not an error, and never NaN.

Dense retrieval embeds a text as the mean of the model's final hidden states (the output of `final_norm`)
over its non-pad tokens, and ranks by cosine similarity: the inner product of L2-normalised vectors, as
`faiss.IndexFlatIP` does on normalised vectors. Ties are broken by the lower document index.

Retrieved passages are packed into the reader's prompt within a token budget (pack_passages, augmented_prompt),
and retrieval is measured by recall@k: how often the passage that answers a question is among the first k.
"""

import math
import re
from collections import Counter

import torch
import torch.nn.functional as F

TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    """Lower-cased runs of letters and digits: "Zorn's capital is Vell." -> ["zorn", "s", "capital", ...]."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return TOKEN.findall(text.lower())


class BM25:
    """Okapi BM25 over a corpus of token lists (see the module docstring; equal to rank_bm25.BM25Okapi).

    corpus: a non-empty list of documents, each a list of str tokens (use `tokenize` on raw text).
    """

    def __init__(self, corpus: list[list[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25):
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 >= 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.term_freqs = [Counter(doc) for doc in corpus]
        self.doc_len = torch.tensor([len(doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.doc_len.mean().item()
        if self.avgdl == 0:
            raise ValueError("every document is empty: BM25 needs at least one token")
        doc_freq = Counter(term for tf in self.term_freqs for term in tf)
        n_docs = len(corpus)
        self.idf = {t: math.log(n_docs - n + 0.5) - math.log(n + 0.5) for t, n in doc_freq.items()}
        floor = epsilon * sum(self.idf.values()) / len(self.idf)
        self.idf = {t: (floor if v < 0 else v) for t, v in self.idf.items()}

    def scores(self, query: list[str]) -> torch.Tensor:
        """(N,) float64 scores of every document for a tokenised query; all 0.0 when no term is indexed."""
        score = torch.zeros(len(self.term_freqs), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.doc_len / self.avgdl)  # (N,)
        for term in query:
            if term not in self.idf:
                continue
            tf = torch.tensor([doc[term] for doc in self.term_freqs], dtype=torch.float64)
            score += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return score


def top_k(scores: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(values, indices) of the k highest scores, highest first, ties broken by the lower index.

    k is clipped to len(scores); k = 0 gives two empty tensors.
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    order = torch.sort(scores, descending=True, stable=True).indices[:k]
    return scores[order], order


@torch.no_grad()
def final_hidden_states(model, ids: torch.Tensor) -> torch.Tensor:
    """(B, T, C): the output of model.final_norm for ids (B, T), read with a forward hook on it."""
    captured = []
    hook = model.final_norm.register_forward_hook(lambda module, args, output: captured.append(output))
    try:
        model(ids)
    finally:
        hook.remove()
    return captured[0]


@torch.no_grad()
def embed(model, ids: torch.Tensor, pad_mask: torch.Tensor) -> torch.Tensor:
    """Mean-pooled final hidden states: ids (B, T) int64, pad_mask (B, T) bool (True = real token) -> (B, C).

    The hidden states are the output of model.final_norm. Pad tokens must come after the real ones
    (right padding): the model is causal, so they then change nothing before them. A row with no real
    token is refused (its mean would be NaN).
    """
    if pad_mask.shape != ids.shape or pad_mask.dtype != torch.bool:
        raise ValueError(f"pad_mask must be a bool tensor of shape {tuple(ids.shape)}")
    if not pad_mask.any(dim=1).all():
        raise ValueError("a row of ids has no real tokens: its mean embedding is undefined")
    hidden = final_hidden_states(model, ids)  # (B, T, C)
    mask = pad_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1)


def embed_texts(model, tokenizer, texts: list[str], pad_id: int = 0) -> torch.Tensor:
    """(len(texts), C) embeddings of raw texts: encode each, right-pad to the longest with pad_id, `embed`."""
    encoded = [tokenizer.encode(text) for text in texts]
    if any(len(e) == 0 for e in encoded):
        raise ValueError("an empty text has no tokens to embed")
    length = max(len(e) for e in encoded)
    ids = torch.full((len(encoded), length), pad_id, dtype=torch.long)
    pad_mask = torch.zeros(len(encoded), length, dtype=torch.bool)
    for row, e in enumerate(encoded):
        ids[row, : len(e)] = torch.tensor(e)
        pad_mask[row, : len(e)] = True
    device = next(model.parameters()).device
    return embed(model, ids.to(device), pad_mask.to(device)).cpu()


def cosine_top_k(queries: torch.Tensor, docs: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Cosine similarity search: queries (Q, C), docs (N, C) -> (scores (Q, k'), ids (Q, k')), k' = min(k, N).

    Rows are L2-normalised, then ranked by inner product, highest first, ties by the lower doc id: the same
    ids and scores (to float tolerance) as faiss.IndexFlatIP on the normalised vectors.
    """
    sims = F.normalize(queries, dim=-1) @ F.normalize(docs, dim=-1).T  # (Q, N)
    order = torch.sort(sims, dim=-1, descending=True, stable=True).indices[:, :k]
    return sims.gather(1, order), order


def pack_passages(passages: list[str], count_tokens, budget: int, separator: str = "\n") -> list[int]:
    """Indices of the ranked passages (best first) that fit together in `budget` tokens, in rank order.

    The rule: walk the ranking once; take a passage if it fits in what is left of the budget (its tokens
    plus one separator's after the first), else skip it and try the next. So a lower-ranked passage is taken
    instead of a higher one only when the higher one does not fit; the total never exceeds the budget.
    count_tokens: str -> int.
    """
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    chosen, used, sep = [], 0, count_tokens(separator)
    for index, passage in enumerate(passages):
        cost = count_tokens(passage) + (sep if chosen else 0)
        if used + cost <= budget:
            chosen.append(index)
            used += cost
    return chosen


def augmented_prompt(question: str, passages: list[str], separator: str = " ") -> str:
    """The reader's prompt, retrieved passages first: "Context: p1 p2\nQuestion: question\nAnswer: ".

    No passages leave the context empty ("Context: \nQuestion: ..."): the same prompt without retrieval.
    """
    return f"Context: {separator.join(passages)}\nQuestion: {question}\nAnswer: "


def recall_at_k(ranked: torch.Tensor, gold: torch.Tensor, k: int) -> float:
    """Share of questions whose gold passage is among their first k retrieved: ranked (Q, K), gold (Q,) ids.

    1 <= k <= K and Q >= 1, else ValueError.
    """
    if ranked.dim() != 2 or gold.shape != ranked.shape[:1] or ranked.shape[0] == 0:
        raise ValueError(f"ranked must be (Q, K) and gold (Q,) with Q >= 1, got {tuple(ranked.shape)}, {tuple(gold.shape)}")
    if not 1 <= k <= ranked.shape[1]:
        raise ValueError(f"k must be in 1..{ranked.shape[1]}, got {k}")
    return (ranked[:, :k] == gold[:, None]).any(dim=1).double().mean().item()
