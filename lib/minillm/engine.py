"""Week 12: an inference engine over token ids: one prefill, a batched KV-cached decode loop, streaming.

`Engine.generate(prompt, n)` samples n completions of one prompt in one batch. The prompt is run through the
model once (the prefill, batch 1) and its cache copied to the n rows; then every step feeds one token per row
(the decode). Each row stops on its own: at the end-of-turn token (`stop_id`), after `max_new_tokens`, when
the sequence fills the context, or when a calculator call runs past the calculator's longest expression
without closing. Rows that have stopped still ride along in the batch (their tokens are ignored), so every
row draws from the same random stream as `minillm.generate.generate` on the repeated prompt: the engine gives
the same tokens, row by row, up to each row's stop.

The calculator (week 04, minillm.tools) is a state machine per row (`ToolState`): text -> "<calc>" opens a
call -> "</calc>" closes it -> the tokens of "<result>VALUE</result>" are queued and fed, one per step, in
place of sampled tokens: tool output is forced into the stream, never sampled.

`Utf8Stream` turns token ids into text as they come without splitting a multi-byte UTF-8 character: bytes of
a character whose remaining bytes have not arrived yet are held back until they do (or until `flush`).
"""

from collections import deque
from dataclasses import dataclass, field

import torch

from minillm.generate import KVCache, _check_sampling, sample_next_token
from minillm.tasks import CALL, RESULT
from minillm.tools import MAX_LENGTH, tool_result

STOPS = ("end", "max_new_tokens", "context", "unclosed_call")


def utf8_incomplete_tail(data: bytes) -> int:
    """How many bytes at the end of data start a UTF-8 character that needs more bytes (0 to 3).

    A lead byte 110xxxxx needs 1 continuation byte (10xxxxxx), 1110xxxx needs 2, 11110xxx needs 3. Only a
    lead byte followed by fewer continuation bytes than it needs counts; anything else is left to the decoder.
    """
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0b1100_0000 == 0b1000_0000:  # a continuation byte: look further back for its lead
            continue
        needs = 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4 if byte >> 3 == 0b11110 else 1
        return back if back < needs else 0
    return 0


class Utf8Stream:
    """Incremental detokeniser: push(id) -> the text that is complete so far (maybe ""); flush() -> the rest.

    tokenizer: anything with `vocab` (id -> bytes). Joined, the pieces equal tokenizer.decode(all ids) (invalid
    bytes become U+FFFD, as there); no piece ever holds half a character.
    """

    def __init__(self, tokenizer):
        self.vocab = tokenizer.vocab
        self.pending = b""

    def push(self, token_id: int) -> str:
        if token_id not in self.vocab:
            raise ValueError(f"token_id: unknown token id {token_id!r} (ids run from 0 to {len(self.vocab) - 1})")
        data = self.pending + self.vocab[token_id]
        keep = utf8_incomplete_tail(data)
        self.pending = data[len(data) - keep:]
        return data[:len(data) - keep].decode("utf-8", errors="replace")

    def flush(self) -> str:
        """The held-back bytes (an unfinished character at the very end becomes U+FFFD)."""
        text, self.pending = self.pending.decode("utf-8", errors="replace"), b""
        return text


@dataclass
class ToolState:
    """One row's calculator state machine over the text it has produced.

    push(token) after each token (sampled or forced); `forced` then holds the tokens to feed next instead of
    sampling. in_call: between "<calc>" and "</calc>". calls: (expression, result text) per evaluated call.
    unclosed: a call ran past tools.MAX_LENGTH characters without "</calc>" (the row should stop).
    """

    tokenizer: object
    use_tool: bool = True
    data: bytes = b""
    in_call: bool = False
    scan: int = 0
    forced: deque = field(default_factory=deque)
    calls: list = field(default_factory=list)
    unclosed: bool = False

    def push(self, token: int) -> None:
        self.data += self.tokenizer.vocab[token]
        if self.forced or not self.use_tool:  # forced result text is never searched for markers
            return
        text = self.data.decode("utf-8", errors="replace")
        if not self.in_call:
            start = text.find(CALL[0], self.scan)
            if start >= 0:
                self.in_call, self.scan = True, start + len(CALL[0])
            return
        end = text.find(CALL[1], self.scan)
        if end < 0:
            self.unclosed = len(text) - self.scan > MAX_LENGTH + len(CALL[1])
            return
        expression = text[self.scan:end]
        result = tool_result(expression)
        self.calls.append((expression, result))
        forced_text = f"{RESULT[0]}{result}{RESULT[1]}"
        self.forced.extend(self.tokenizer.encode(forced_text))
        self.in_call, self.scan = False, end + len(CALL[1]) + len(forced_text)


@dataclass
class Completion:
    """One row's output. ids: the new tokens (sampled and forced; the stop token included when it ended the
    row); text: their text; calls: (expression, result) per tool call; stop: one of STOPS."""

    ids: list[int]
    text: str
    calls: list[tuple[str, str]]
    stop: str


class Engine:
    """Batched sampling of one model. model: called as model(idx, kv_cache=cache) -> (logits, ...) with
    config.n_layer and config.block_size (minillm.model.GPT, in eval mode). tokenizer: vocab, encode, decode.
    stop_id: the end-of-turn token (None: no such token). use_tool: run the calculator on <calc> calls.
    """

    def __init__(self, model, tokenizer, stop_id=None, use_tool=True):
        if model is None:
            raise ValueError("model: no model is loaded; load one (e.g. minillm.pipeline.load_chat_model) first")
        self.model, self.tokenizer, self.stop_id, self.use_tool = model, tokenizer, stop_id, use_tool

    def _check_prompt(self, prompt):
        if not isinstance(prompt, (list, tuple)) or not prompt:
            raise ValueError("prompt: expected a non-empty list of token ids (an empty prompt gives nothing to "
                             "condition on)")
        block_size = self.model.config.block_size
        if len(prompt) >= block_size:
            raise ValueError(f"prompt: {len(prompt)} tokens leave no room in the context of block_size="
                             f"{block_size}; shorten it to at most {block_size - 1} tokens")

    @torch.no_grad()
    def steps(self, prompt, n=1, max_new_tokens=64, temperature=1.0, top_k=None, top_p=None, generator=None):
        """Yield, after each decode step, the list of (token or None) per row: None for a row already stopped.

        The per-row state is in self.rows (ToolState) and self.stops (None while a row runs) while it runs.
        """
        self._check_prompt(prompt)
        _check_sampling(temperature, top_k, top_p)
        if not isinstance(n, int) or n < 1 or max_new_tokens < 0:
            raise ValueError(f"n must be a positive int and max_new_tokens >= 0, got n={n!r}, {max_new_tokens!r}")
        model, block_size = self.model, self.model.config.block_size
        device = next(model.parameters()).device
        cache = KVCache(model.config.n_layer)
        logits = model(torch.tensor([list(prompt)], device=device), kv_cache=cache)[0][:, -1]  # (1, V): prefill
        cache.reorder(torch.zeros(n, dtype=torch.long, device=device))  # the same prompt cache for every row
        logits = logits.expand(n, -1)
        self.rows = [ToolState(self.tokenizer, self.use_tool) for _ in range(n)]
        self.stops = [None] * n if max_new_tokens else ["max_new_tokens"] * n
        length, new = len(prompt), 0
        while None in self.stops:
            sampled = sample_next_token(logits, temperature, top_k, top_p, generator).tolist()  # (n,)
            length, new = length + 1, new + 1
            step = []
            for b, row in enumerate(self.rows):
                if self.stops[b] is not None:
                    step.append(None)
                    continue
                token = row.forced.popleft() if row.forced else sampled[b]
                row.push(token)
                step.append(token)
                self.stops[b] = ("end" if token == self.stop_id else "unclosed_call" if row.unclosed
                                 else "max_new_tokens" if new == max_new_tokens
                                 else "context" if length == block_size else None)
            yield step
            if None in self.stops:
                feed = torch.tensor([[t if t is not None else 0] for t in step], device=device)  # (n, 1)
                logits = model(feed, kv_cache=cache)[0][:, -1]

    def generate(self, prompt, n=1, max_new_tokens=64, temperature=1.0, top_k=None, top_p=None, generator=None):
        """n completions of prompt (a list of token ids), sampled in one batch -> list of n Completions."""
        ids = [[] for _ in range(n)]
        for step in self.steps(prompt, n, max_new_tokens, temperature, top_k, top_p, generator):
            for row, token in zip(ids, step):
                if token is not None:
                    row.append(token)
        return [Completion(row, self.tokenizer.decode(row), state.calls, stop)
                for row, state, stop in zip(ids, self.rows, self.stops)]

    def stream(self, prompt, max_new_tokens=64, temperature=1.0, top_k=None, top_p=None, generator=None):
        """Yield the text of one completion as it is decoded, in pieces that never split a UTF-8 character.
        The stop token's text is not yielded; the completion is in self.last after the loop."""
        detok, ids = Utf8Stream(self.tokenizer), []
        for (token,) in self.steps(prompt, 1, max_new_tokens, temperature, top_k, top_p, generator):
            ids.append(token)
            piece = "" if token == self.stop_id else detok.push(token)
            if piece:
                yield piece
        tail = detok.flush()
        if tail:
            yield tail
        self.last = Completion(ids, self.tokenizer.decode(ids), self.rows[0].calls, self.stops[0])
