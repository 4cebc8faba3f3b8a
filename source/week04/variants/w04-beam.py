# %% variant: one-token-per-beam
# Extends each beam only by its own best token: with one starting beam this is greedy decoding.
def beam_search(model, idx, n_new, beam_width):
    beams, scores = idx, torch.zeros(1, dtype=torch.float64)
    with torch.no_grad():
        for _ in range(n_new):
            log_probs = F.log_softmax(model(beams)[0][:, -1].double(), dim=-1)
            best, tokens = log_probs.max(dim=-1)
            scores = scores + best
            beams = torch.cat([beams, tokens[:, None]], dim=1)
    best = scores.argmax()
    return beams[best : best + 1], scores[best].item()


# %% variant: ranks-by-the-last-token
# Ranks candidates by the new token's log-probability alone, forgetting each beam's score so far.
def beam_search(model, idx, n_new, beam_width):
    beams, totals = idx, torch.zeros(1, dtype=torch.float64)
    with torch.no_grad():
        for _ in range(n_new):
            log_probs = F.log_softmax(model(beams)[0][:, -1].double(), dim=-1)
            last, flat = log_probs.flatten().topk(min(beam_width, log_probs.numel()))
            rows, tokens = flat // log_probs.size(-1), flat % log_probs.size(-1)
            totals = totals[rows] + last
            beams = torch.cat([beams[rows], tokens[:, None]], dim=1)
    return beams[:1], totals[0].item()


# %% variant: returns-the-last-beam
# Searches correctly but returns the worst of the kept beams.
def beam_search(model, idx, n_new, beam_width):
    beams, scores = idx, torch.zeros(1, dtype=torch.float64)
    with torch.no_grad():
        for _ in range(n_new):
            log_probs = F.log_softmax(model(beams)[0][:, -1].double(), dim=-1)
            candidates = (scores[:, None] + log_probs).flatten()
            scores, flat = candidates.topk(min(beam_width, candidates.numel()))
            rows, tokens = flat // log_probs.size(-1), flat % log_probs.size(-1)
            beams = torch.cat([beams[rows], tokens[:, None]], dim=1)
    return beams[-1:], scores[-1].item()
