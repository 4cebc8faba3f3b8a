"""Post-training loops (week 09): SFT, DPO and GRPO on the course GPT, with chat-formatted synthetic tasks.

A task example (minillm.tasks.Example) becomes a conversation: the user turn is its prompt ("max(3, 9)="),
the assistant turn its solution. A row is (ids, mask) as minillm.chat.encode_chat makes it; collate turns
rows into (inputs, targets, loss_mask). Rollouts sample G completions of one prompt with the KV cache; the
losses are minillm.align's; rewards minillm.rewards'. Each trainer returns a dict of per-step lists.
"""

import copy
import random

import torch
from tqdm.auto import tqdm

from minillm import align, chat, rewards
from minillm.generate import KVCache, next_token_logits, sample_next_token
from minillm.train import AdamW


def conversation(example, solution: str | None = None) -> list[dict]:
    """The example as a user turn (its prompt) and an assistant turn (solution, by default the example's own)."""
    return [{"role": "user", "content": example.prompt},
            {"role": "assistant", "content": example.solution if solution is None else solution}]


def prompt_ids(tokenizer, example) -> list[int]:
    """Ids of the example's user turn followed by "<|assistant|>": what a rollout continues."""
    return chat.encode_prompt(tokenizer, conversation(example)[:1])


def response_logprobs(model, inputs, targets) -> torch.Tensor:
    """log p(targets | inputs) of every position: (B, T), with gradient when the model has one."""
    return align.token_logprobs(model(inputs)[0], targets)


@torch.no_grad()
def sample_group(model, prompt: list[int], group_size: int, max_new_tokens: int, end_id: int,
                 temperature: float = 1.0, generator=None, batched: bool = True) -> list[list[int]]:
    """group_size completions of one prompt, each up to and including its first end_id (or max_new_tokens long).

    batched: the group as one (G, T) batch sharing a KV cache; otherwise one completion after another, each with
    its own cache (the same distribution, other draws). Sampling stops once every row has ended.
    """
    if group_size < 1 or max_new_tokens < 1:
        raise ValueError(f"group_size and max_new_tokens must be >= 1, got {group_size}, {max_new_tokens}")
    device = next(model.parameters()).device
    if not batched:
        return [completion for _ in range(group_size) for completion in
                sample_group(model, prompt, 1, max_new_tokens, end_id, temperature, generator)]
    idx = torch.tensor([prompt] * group_size, device=device)
    cache, done = KVCache(model.config.n_layer), torch.zeros(group_size, dtype=torch.bool, device=device)
    completions = [[] for _ in range(group_size)]
    for _ in range(max_new_tokens):
        token = sample_next_token(next_token_logits(model, idx, cache), temperature, generator=generator)
        for row in (~done).nonzero().flatten().tolist():
            completions[row].append(token[row].item())
        done |= token == end_id
        if done.all():
            break
        idx = torch.cat([idx, token[:, None]], dim=1)
    return completions


def completion_text(tokenizer, completion: list[int], end_id: int) -> str:
    """The text a completion wrote, without its closing end token; a cut-off completion decodes whole."""
    return tokenizer.decode(completion[:-1] if completion and completion[-1] == end_id else completion)


def greedy_correct(model, tokenizer, examples, max_new_tokens: int = 32) -> list[bool]:
    """For each example, whether the model's greedy answer (tasks.final_answer of its reply) is exactly right."""
    end = tokenizer.special_tokens[chat.END]
    model.eval()
    replies = [sample_group(model, prompt_ids(tokenizer, ex), 1, max_new_tokens, end, temperature=0)[0]
               for ex in examples]
    return [rewards.correctness_reward(completion_text(tokenizer, r, end), ex.answer) > 0
            for r, ex in zip(replies, examples)]


def preference_rows(tokenizer, example, chosen: str, rejected: str, max_len: int | None = None):
    """The (ids, mask) rows of a preference pair: the example's prompt answered by chosen and by rejected.

    Identical answers teach nothing (DPO's loss is log 2 with no gradient): ValueError.
    """
    if chosen == rejected:
        raise ValueError(f"chosen, rejected: the two answers are identical ({chosen!r}), so they state no preference")
    return (chat.encode_chat(tokenizer, conversation(example, chosen), max_len),
            chat.encode_chat(tokenizer, conversation(example, rejected), max_len))


def _batches(n: int, batch_size: int, steps: int, seed: int):
    rng = random.Random(seed)
    for _ in range(steps):
        yield rng.sample(range(n), min(batch_size, n))


def train_sft(model, rows, steps: int, batch_size: int = 16, micro_batches: int = 1, lr: float = 3e-3,
              pad_id: int = 0, seed: int = 0, progress: bool = True, lr_schedule=None) -> dict:
    """Supervised fine-tuning on (ids, mask) rows: each step a random batch, split into micro_batches, through
    align.sft_accumulate. lr_schedule: step -> learning rate (e.g. a partial of minillm.train.cosine_schedule);
    None keeps lr constant. Returns {"loss": [...]} per step."""
    optimizer, log = AdamW(model.parameters(), lr=lr, weight_decay=0.0), {"loss": []}
    model.train()
    for step, batch in enumerate(tqdm(list(_batches(len(rows), batch_size, steps, seed)), desc="SFT",
                                      disable=not progress)):
        if lr_schedule is not None:
            for group in optimizer.param_groups:
                group["lr"] = lr_schedule(step)
        optimizer.zero_grad(set_to_none=True)
        chunks = [batch[i::micro_batches] for i in range(micro_batches) if batch[i::micro_batches]]
        log["loss"].append(align.sft_accumulate(model, [chat.collate([rows[i] for i in c], pad_id) for c in chunks]))
        optimizer.step()
    return log


def _summed_logprobs(model, rows, pad_id):
    inputs, targets, mask = chat.collate(rows, pad_id)
    return (response_logprobs(model, inputs, targets) * mask).sum(1)


def train_dpo(policy, pairs, steps: int, batch_size: int = 8, beta: float = 0.1, lr: float = 1e-3,
              pad_id: int = 0, seed: int = 0, progress: bool = True) -> dict:
    """DPO on pairs [(chosen_row, rejected_row), ...], the reference a frozen copy of the policy at the start.

    Returns per step: "loss", "margin" (mean beta * difference of log-ratios, DPO's implicit reward margin),
    "accuracy" (share of pairs whose margin is positive) and "kl" (mean over the chosen responses of the summed
    log-ratio policy - reference, a sequence-level estimate of how far the policy moved).
    """
    reference = copy.deepcopy(policy).eval().requires_grad_(False)
    optimizer, log = AdamW(policy.parameters(), lr=lr, weight_decay=0.0), {k: [] for k in ("loss", "margin", "accuracy", "kl")}
    policy.train()
    for batch in tqdm(list(_batches(len(pairs), batch_size, steps, seed)), desc="DPO", disable=not progress):
        rows = [pairs[i][0] for i in batch] + [pairs[i][1] for i in batch]  # chosen first, then rejected
        logps = _summed_logprobs(policy, rows, pad_id)
        with torch.no_grad():
            ref = _summed_logprobs(reference, rows, pad_id)
        (chosen, rejected), (ref_chosen, ref_rejected) = logps.chunk(2), ref.chunk(2)
        loss = align.dpo_loss(chosen, rejected, ref_chosen, ref_rejected, beta)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        margin = beta * ((chosen - ref_chosen) - (rejected - ref_rejected)).detach()
        log["loss"].append(loss.item())
        log["margin"].append(margin.mean().item())
        log["accuracy"].append((margin > 0).float().mean().item())
        log["kl"].append((chosen - ref_chosen).mean().item())
    return log


def train_grpo(policy, tokenizer, examples, steps: int, prompts_per_step: int = 4, group_size: int = 8,
               lr: float = 1e-3, beta: float = 0.04, clip_eps: float = 0.2, updates_per_batch: int = 2,
               max_new_tokens: int = 32, temperature: float = 1.0, format_weight: float = 0.1, seed: int = 0,
               progress: bool = True) -> dict:
    """GRPO with verifiable rewards (rewards.task_reward) on task examples; the reference is a frozen copy of the
    policy at the start. Each step samples group_size completions for each of prompts_per_step prompts, scores
    them, and takes updates_per_batch optimiser steps on align.grpo_loss (the first on-policy, ratio 1; later
    ones see the clip). Returns per step: "reward" (mean), "accuracy" (share of sampled answers right), "kl"
    (mean k3 over the response tokens against the reference) and "loss".
    """
    reference = copy.deepcopy(policy).eval().requires_grad_(False)
    optimizer = AdamW(policy.parameters(), lr=lr, weight_decay=0.0)
    end, pad = tokenizer.special_tokens[chat.END], 0
    generator = torch.Generator(device=next(policy.parameters()).device).manual_seed(seed)
    log = {k: [] for k in ("reward", "accuracy", "kl", "loss")}
    for batch in tqdm(list(_batches(len(examples), prompts_per_step, steps, seed)), desc="GRPO", disable=not progress):
        policy.eval()
        rows, scores, right = [], [], []
        for i in batch:
            prompt = prompt_ids(tokenizer, examples[i])
            group = sample_group(policy, prompt, group_size, max_new_tokens, end, temperature, generator)
            texts = [completion_text(tokenizer, c, end) for c in group]
            scores.append([rewards.task_reward(t, examples[i].answer, format_weight) for t in texts])
            right += [rewards.correctness_reward(t, examples[i].answer) for t in texts]
            rows += [(prompt + c, [0] * len(prompt) + [1] * len(c)) for c in group]
        advantages = align.group_advantages(torch.tensor(scores)).flatten()
        inputs, targets, mask = chat.collate(rows, pad)
        with torch.no_grad():
            old, ref = response_logprobs(policy, inputs, targets), response_logprobs(reference, inputs, targets)
        policy.train()
        for _ in range(updates_per_batch):
            logprobs = response_logprobs(policy, inputs, targets)
            loss = align.grpo_loss(logprobs, old, ref, advantages, mask, clip_eps, beta)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        log["reward"].append(sum(map(sum, scores)) / len(rows))
        log["accuracy"].append(sum(right) / len(right))
        log["kl"].append(align.masked_mean(align.k3_kl(old, ref), mask).item())
        log["loss"].append(loss.item())
    return log
