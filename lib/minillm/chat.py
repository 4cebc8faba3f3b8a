"""The chat format (week 09): a conversation as token ids, and the loss mask that trains only the answers.

A conversation is a list of messages `{"role": "system" | "user" | "assistant", "content": str}`: at most
one system message, first; then user and assistant turns. Each message becomes

    <|user|>content<|end|>

with a special token for its role and one closing the turn. The model learns to write an assistant's content
and its closing `<|end|>` (so it learns when to stop); everything else is context. The loss mask is 1 on
exactly those tokens: the assistant role token, the system and user turns are 0.

Content is encoded as ordinary text (`allowed_special="none"`): a user who types "<|end|>" gets the bytes of
those characters, never the control token. Because special tokens cut the text before BPE sees it, encoding
turn by turn gives the same ids as encoding the rendered text whole.
"""

import torch

from minillm.tokenizer import BPETokenizer

ROLE_TOKENS = {"system": "<|system|>", "user": "<|user|>", "assistant": "<|assistant|>"}
END = "<|end|>"
SPECIAL_TOKENS = (*ROLE_TOKENS.values(), END)


def chat_tokenizer() -> BPETokenizer:
    """A byte-level tokenizer with the chat's special tokens (ids 256-259): no training needed."""
    return BPETokenizer(special_tokens={token: 256 + n for n, token in enumerate(SPECIAL_TOKENS)})


def check_conversation(messages, need_answer: bool = True) -> None:
    """Raise ValueError naming the message at fault unless `messages` is a well-formed conversation.

    need_answer: require at least one assistant turn (training data); prompts for generation pass False.
    """
    if not isinstance(messages, (list, tuple)) or not messages:
        raise ValueError("messages: expected a non-empty list of {'role', 'content'} dicts")
    for n, message in enumerate(messages):
        if not isinstance(message, dict) or set(message) != {"role", "content"}:
            raise ValueError(f"messages[{n}]: expected a dict with exactly the keys 'role' and 'content'")
        if message["role"] not in ROLE_TOKENS:
            raise ValueError(f"messages[{n}]: unknown role {message['role']!r}; expected one of {list(ROLE_TOKENS)}")
        if not isinstance(message["content"], str):
            raise ValueError(f"messages[{n}]: content must be a str, got {type(message['content']).__name__}")
        if message["role"] == "system" and n > 0:
            raise ValueError(f"messages[{n}]: a system message may only come first")
    if need_answer and not any(m["role"] == "assistant" for m in messages):
        raise ValueError("messages: the conversation has no assistant turn, so there is nothing to learn")


def render(messages, add_generation_prompt: bool = False) -> str:
    """The conversation as text; with add_generation_prompt, ending in "<|assistant|>" for the model to go on."""
    check_conversation(messages, need_answer=False)
    text = "".join(ROLE_TOKENS[m["role"]] + m["content"] + END for m in messages)
    return text + ROLE_TOKENS["assistant"] if add_generation_prompt else text


def _special_id(tokenizer, token: str) -> int:
    special = getattr(tokenizer, "special_tokens", {})
    if token not in special:
        raise ValueError(f"tokenizer: it has no special token {token!r}; build it with minillm.chat.chat_tokenizer() "
                         f"or train it with special_tokens=minillm.chat.SPECIAL_TOKENS")
    return special[token]


def encode_chat(tokenizer, messages, max_len: int | None = None) -> tuple[list[int], list[int]]:
    """(ids, mask) of a conversation: mask[i] = 1 where ids[i] is an assistant's content or its closing <|end|>.

    max_len: keep the first max_len tokens of both (the mask stays aligned with the ids). Raises ValueError if
    nothing an assistant wrote survives the cut.
    """
    check_conversation(messages)
    if max_len is not None and (isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 1):
        raise ValueError(f"max_len: expected a positive int or None, got {max_len!r}")
    ids, mask = [], []
    end = _special_id(tokenizer, END)
    for m in messages:
        content = tokenizer.encode(m["content"], allowed_special="none")
        learn = int(m["role"] == "assistant")
        ids += [_special_id(tokenizer, ROLE_TOKENS[m["role"]]), *content, end]
        mask += [0] + [learn] * (len(content) + 1)
    ids, mask = ids[:max_len], mask[:max_len]
    if not any(mask):
        raise ValueError(f"max_len: {max_len} tokens cut off every assistant token of the conversation")
    return ids, mask


def encode_prompt(tokenizer, messages) -> list[int]:
    """Ids of a conversation so far followed by "<|assistant|>": what generation continues from."""
    return tokenizer.encode(render(messages, add_generation_prompt=True), allowed_special=SPECIAL_TOKENS)


def collate(rows, pad_id: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Batch (ids, mask) rows for next-token training: inputs (B, T), targets (B, T), loss_mask (B, T) float.

    T is the longest row's length minus one; targets[b, t] = ids[t + 1] and loss_mask[b, t] = mask[t + 1], so a
    position is trained exactly when the token it predicts is an assistant's. Padding has loss_mask 0.
    """
    if not rows:
        raise ValueError("rows: expected at least one (ids, mask) row")
    width = max(len(ids) for ids, _ in rows)
    if width < 2:
        raise ValueError("rows: every row has fewer than 2 tokens, so there is nothing to predict")
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros(len(rows), width)
    for b, (row_ids, row_mask) in enumerate(rows):
        if len(row_ids) != len(row_mask):
            raise ValueError(f"rows[{b}]: {len(row_ids)} ids but {len(row_mask)} mask values")
        ids[b, :len(row_ids)] = torch.tensor(row_ids, dtype=torch.long)
        mask[b, :len(row_mask)] = torch.tensor(row_mask, dtype=torch.float)
    return ids[:, :-1], ids[:, 1:], mask[:, 1:]
