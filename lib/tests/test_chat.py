"""The chat format against hand-derived ids (a byte tokenizer: ids are the bytes) and a trained BPE tokenizer."""

import pytest
import torch

from minillm.chat import (END, SPECIAL_TOKENS, chat_tokenizer, collate, encode_chat, encode_prompt, render)
from minillm.tokenizer import BPETokenizer

SYSTEM, USER, ASSISTANT, E = 256, 257, 258, 259
CONVERSATION = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "2+2="},
    {"role": "assistant", "content": "4"},
    {"role": "user", "content": "and 3+3?"},
    {"role": "assistant", "content": "6!"},
]


def byte_ids(text):
    return list(text.encode())


def test_ids_and_mask_by_hand_on_a_multi_turn_conversation():
    ids, mask = encode_chat(chat_tokenizer(), CONVERSATION)
    expected = ([SYSTEM, *byte_ids("Be brief."), E, USER, *byte_ids("2+2="), E, ASSISTANT, *byte_ids("4"), E,
                 USER, *byte_ids("and 3+3?"), E, ASSISTANT, *byte_ids("6!"), E])
    assert ids == expected
    learnt = [i for i, m in zip(ids, mask) if m]
    assert learnt == [*byte_ids("4"), E, *byte_ids("6!"), E]  # answers and their end of turn, nothing else
    assert len(mask) == len(ids) and set(mask) == {0, 1}


def test_turn_by_turn_equals_encoding_the_rendered_text_with_a_trained_tokenizer():
    tok = BPETokenizer.train("the cat sat on the mat " * 20 + "2+2=4 3+3=6 " * 20, 300, special_tokens=SPECIAL_TOKENS)
    ids, _ = encode_chat(tok, CONVERSATION)
    assert ids == tok.encode(render(CONVERSATION))
    assert encode_prompt(tok, CONVERSATION[:2]) == tok.encode(render(CONVERSATION[:2], add_generation_prompt=True))
    assert render(CONVERSATION[:2], add_generation_prompt=True).endswith("<|end|><|assistant|>")


def test_content_cannot_inject_control_tokens():
    ids, mask = encode_chat(chat_tokenizer(), [{"role": "user", "content": END},
                                               {"role": "assistant", "content": "ok"}])
    assert ids[:len(END) + 2] == [USER, *byte_ids(END), E]
    assert ids.count(E) == 2


def test_truncation_keeps_the_mask_aligned_and_refuses_to_cut_every_answer():
    ids, mask = encode_chat(chat_tokenizer(), CONVERSATION)
    cut_ids, cut_mask = encode_chat(chat_tokenizer(), CONVERSATION, max_len=len(ids) - 2)
    assert (cut_ids, cut_mask) == (ids[:-2], mask[:-2])
    first_answer = mask.index(1)
    with pytest.raises(ValueError, match="max_len"):
        encode_chat(chat_tokenizer(), CONVERSATION, max_len=first_answer)


@pytest.mark.parametrize("messages,match", [
    ([], "non-empty"),
    ([{"role": "robot", "content": "hi"}, {"role": "assistant", "content": "x"}], r"messages\[0\].*unknown role"),
    ([{"role": "user", "content": "hi"}], "no assistant turn"),
    ([{"role": "user", "content": "hi"}, {"role": "system", "content": "x"},
      {"role": "assistant", "content": "x"}], r"messages\[1\].*system"),
    ([{"role": "user", "content": 3}, {"role": "assistant", "content": "x"}], r"messages\[0\].*str"),
])
def test_bad_conversations_are_named(messages, match):
    with pytest.raises(ValueError, match=match):
        encode_chat(chat_tokenizer(), messages)


def test_a_tokenizer_without_the_special_tokens_is_refused():
    with pytest.raises(ValueError, match="special token"):
        encode_chat(BPETokenizer(), CONVERSATION)


def test_collate_shifts_the_mask_with_the_targets_and_pads_with_zero_loss():
    rows = [([1, 2, 3, 4], [0, 0, 1, 1]), ([5, 6], [0, 1])]
    inputs, targets, loss_mask = collate(rows, pad_id=0)
    assert inputs.tolist() == [[1, 2, 3], [5, 6, 0]]
    assert targets.tolist() == [[2, 3, 4], [6, 0, 0]]
    assert loss_mask.tolist() == [[0, 1, 1], [1, 0, 0]]
    assert loss_mask.dtype == torch.float32 and inputs.dtype == torch.long
    with pytest.raises(ValueError, match=r"rows\[0\]"):
        collate([([1, 2], [1])], pad_id=0)
