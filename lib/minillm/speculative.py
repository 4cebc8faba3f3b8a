"""Week 12: speculative decoding ("Fast Inference from Transformers via Speculative Decoding", Leviathan et
al., 2023; "Accelerating Large Language Model Decoding with Speculative Sampling", Chen et al., 2023).

A small draft model proposes k tokens, one at a time; the target model scores all of them in one forward
pass. Draft token x_i (drawn from q_i) is accepted with probability min(1, p_i(x_i) / q_i(x_i)); at the
first rejection the step ends with a token drawn from the residual, norm(max(0, p_i - q_i)); when all k are
accepted, a bonus token is drawn from p_k, the target's distribution after them. Whatever q is, the tokens
that come out are distributed exactly as the target's own samples: `step_outcomes` lists every outcome of a
step with its probability, and `sequence_distribution` enumerates whole runs, to check that exactly.

Probabilities come from logits / temperature (softmax); temperature 0 makes them one-hot (argmax), and the
same rule then gives exactly the target's greedy tokens.
"""

from dataclasses import dataclass

import torch

from minillm.generate import KVCache


def acceptance(p, q, draft):
    """The acceptance rule for one step.

    p: (k + 1, V) target probabilities (row i: the distribution of the token at draft position i; row k: the
    bonus token's); q: (k, V) draft probabilities; draft: (k,) long, the draft tokens.
    Returns (accept (k,), residual (k, V)): accept[i] = min(1, p[i, x_i] / q[i, x_i]); residual[i] =
    max(0, p[i] - q[i]) normalised to sum 1 (p[i] itself where p[i] == q[i], when nothing is ever rejected).
    """
    k = draft.numel()
    rows = torch.arange(k)
    p_x, q_x = p[rows, draft], q[rows, draft]
    accept = torch.clamp(p_x / q_x, max=1.0)
    excess = torch.clamp(p[:k] - q, min=0.0)
    mass = excess.sum(-1, keepdim=True)
    residual = torch.where(mass > 0, excess / mass.clamp(min=torch.finfo(p.dtype).tiny), p[:k])
    return accept, residual


def step_outcomes(p, q, draft, rule=acceptance):
    """Every outcome of one verification step given the draft -> {tuple of output tokens: probability}.

    Rejection at i (after i acceptances): draft[:i] then each token t of residual[i]; all accepted: the
    draft then each bonus token t of p[k]. rule: the acceptance function (a learner's can be plugged in).
    """
    accept, residual = rule(p, q, draft)
    draft, k = draft.tolist(), len(draft)
    outcomes, reach = {}, 1.0  # reach: probability that the first i draft tokens were accepted
    for i in range(k + 1):
        last = p[k] if i == k else residual[i]
        weight = reach if i == k else reach * (1 - accept[i].item())
        for t, prob in enumerate(last.tolist()):
            if weight * prob > 0:
                key = (*draft[:i], t)
                outcomes[key] = outcomes.get(key, 0.0) + weight * prob
        if i < k:
            reach *= accept[i].item()
    return outcomes


def verify(p, q, draft, generator=None, rule=acceptance):
    """Sample one step's output tokens (a list of 1 to k + 1 ints) with the acceptance rule.

    Draws u = torch.rand(k, generator=generator) once; accepts x_i while u[i] < accept[i]; at the first
    rejection draws from residual[i], else the bonus from p[k], each with torch.multinomial(.., 1, generator).
    """
    accept, residual = rule(p, q, draft)
    u = torch.rand(draft.numel(), generator=generator, dtype=accept.dtype)
    out = []
    for i, x in enumerate(draft.tolist()):
        if u[i] >= accept[i]:
            return out + [torch.multinomial(residual[i], 1, generator=generator).item()]
        out.append(x)
    return out + [torch.multinomial(p[-1], 1, generator=generator).item()]


def probabilities(logits, temperature):
    """softmax(logits / temperature) over the last axis in float64; one-hot argmax at temperature 0."""
    if temperature == 0:
        return torch.nn.functional.one_hot(logits.argmax(-1), logits.size(-1)).double()
    return torch.softmax(logits.double() / temperature, dim=-1)


def crop(cache, length):
    """Drop the cached positions from `length` on (the draft tokens a step rejected)."""
    cache.keys = [k[:, :, :length] for k in cache.keys]
    cache.values = [v[:, :, :length] for v in cache.values]


def check_pair(target, draft):
    """Raise ValueError unless draft can propose tokens for target: the same vocabulary size."""
    if draft is None or target is None:
        raise ValueError("target and draft: both models must be loaded")
    if draft.config.vocab_size != target.config.vocab_size:
        raise ValueError(f"draft: its vocabulary has {draft.config.vocab_size} tokens but the target's has "
                         f"{target.config.vocab_size}; a draft must share the target's tokenizer")


@dataclass
class SpeculativeRun:
    """ids: the new tokens; proposed / accepted: draft tokens offered and kept; target_calls: the target's
    forward passes (the first one is also the prefill). acceptance_rate = accepted / proposed."""

    ids: list[int]
    proposed: int = 0
    accepted: int = 0
    target_calls: int = 0

    @property
    def acceptance_rate(self):
        return self.accepted / max(self.proposed, 1)


@torch.no_grad()
def speculative_generate(target, draft, prompt, max_new_tokens, k=4, temperature=1.0, generator=None,
                         stop_id=None):
    """Up to max_new_tokens new tokens after prompt (a list of ids), drafted k at a time -> SpeculativeRun.

    Both models are called as model(idx (1, T), kv_cache=cache) and keep their own KV caches, cropped back
    after each step to what was accepted. Stops after stop_id. The prompt plus max_new_tokens plus k must fit
    in both models' block_size (no sliding window here).
    """
    check_pair(target, draft)
    if not isinstance(prompt, (list, tuple)) or not prompt:
        raise ValueError("prompt: expected a non-empty list of token ids")
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k: expected a positive int (draft tokens per step), got {k!r}")
    need = len(prompt) + max_new_tokens + k
    for name, model in (("target", target), ("draft", draft)):
        if need > model.config.block_size:
            raise ValueError(f"{name}: prompt ({len(prompt)}) + max_new_tokens ({max_new_tokens}) + k ({k}) tokens "
                             f"exceed its block_size={model.config.block_size}")
    device = next(target.parameters()).device
    target_cache, draft_cache = KVCache(target.config.n_layer), KVCache(draft.config.n_layer)
    seq, run = list(prompt), SpeculativeRun(ids=[])

    def logits_of(model, cache, ids):  # (len(ids) - cache.length, V): after each token not yet cached
        return model(torch.tensor([ids[cache.length:]], device=device), kv_cache=cache)[0][0]

    while len(run.ids) < max_new_tokens and (stop_id is None or stop_id not in run.ids):
        proposal, q = [], []
        for _ in range(k):
            q.append(probabilities(logits_of(draft, draft_cache, seq + proposal)[-1], temperature))
            proposal.append(torch.multinomial(q[-1], 1, generator=generator).item())
        p = probabilities(logits_of(target, target_cache, seq + proposal)[-(k + 1):], temperature)  # (k + 1, V)
        run.target_calls += 1
        tokens = verify(p, torch.stack(q), torch.tensor(proposal), generator)
        run.proposed, run.accepted = run.proposed + k, run.accepted + len(tokens) - 1
        seq += tokens
        run.ids += tokens
        for cache in (target_cache, draft_cache):  # keep what was accepted; the step's last token goes in next
            crop(cache, min(cache.length, len(seq) - 1))
    if stop_id is not None and stop_id in run.ids:
        run.ids = run.ids[:run.ids.index(stop_id) + 1]
    run.ids = run.ids[:max_new_tokens]
    return run


def sequence_distribution(target_probs, draft_probs, prompt, n_tokens, k, rule=acceptance):
    """The exact distribution of the first n_tokens speculative decoding outputs -> {tuple: probability}.

    target_probs(ids) / draft_probs(ids): float64 (V,) next-token probabilities after the tuple ids. Every
    draft sequence (with its probability under the draft) and every outcome of step_outcomes is enumerated,
    step after step, until n_tokens are out: a sum over all paths, no sampling. Compare with the target's
    own distribution of n_tokens (the product of target_probs along each sequence).
    """
    result = {}

    def drafts(prefix, depth):  # (draft tokens, their q rows, their probability) of every k-token draft
        if depth == 0:
            yield (), (), 1.0
            return
        for head, rows, prob in drafts(prefix, depth - 1):
            q = draft_probs(prefix + head)
            for t, qt in enumerate(q.tolist()):
                if qt > 0:
                    yield head + (t,), rows + (q,), prob * qt

    def walk(prefix, weight):
        if len(prefix) - len(prompt) >= n_tokens:
            key = prefix[len(prompt):len(prompt) + n_tokens]
            result[key] = result.get(key, 0.0) + weight
            return
        for proposal, q_rows, q_prob in drafts(prefix, k):
            p = torch.stack([target_probs(prefix + proposal[:i]) for i in range(k + 1)])
            for out, prob in step_outcomes(p, torch.stack(q_rows), torch.tensor(proposal), rule).items():
                walk(prefix + out, weight * q_prob * prob)

    walk(tuple(prompt), 1.0)
    return result
