# %% variant: role-token-in-mask
# The assistant's role token <|assistant|> is trained too.
def encode_chat(tokenizer, messages, max_len=None):
    """(ids, mask) of a conversation: two lists of Python ints of the same length.

    messages: a list of {"role", "content"} dicts. Each message becomes
        [id of chat.ROLE_TOKENS[role]] + tokenizer.encode(content, allowed_special="none") + [id of chat.END],
    the ids of special tokens being tokenizer.special_tokens[token]. mask[i] is 1 exactly where ids[i] is an
    assistant's content or the chat.END closing an assistant turn, 0 elsewhere (role tokens, system and user turns).
    max_len: None, or keep only the first max_len ids and the first max_len mask values.
    Raise ValueError for a role not in chat.ROLE_TOKENS, a conversation without an assistant turn (call
    chat.check_conversation(messages) for both), and for a cut that leaves no mask value 1.
    The tests check hand-made ids and masks, multi-turn conversations with a system turn, text that looks like
    a special token, several cuts, a trained BPE tokenizer, and the three errors.
    """
    ### BEGIN SOLUTION
    chat.check_conversation(messages)
    end = tokenizer.special_tokens[chat.END]
    ids, mask = [], []
    for message in messages:
        content = tokenizer.encode(message["content"], allowed_special="none")
        learn = 1 if message["role"] == "assistant" else 0
        ids += [tokenizer.special_tokens[chat.ROLE_TOKENS[message["role"]]]] + content + [end]
        mask += [learn] + [learn] * (len(content) + 1)
    if max_len is not None:
        ids, mask = ids[:max_len], mask[:max_len]
    if 1 not in mask:
        raise ValueError(f"max_len={max_len} cuts off every assistant token")
    return ids, mask
    ### END SOLUTION

# %% variant: user-turns-in-mask
# Every content token is trained, the user's and the system's too.
def encode_chat(tokenizer, messages, max_len=None):
    """(ids, mask) of a conversation: two lists of Python ints of the same length.

    messages: a list of {"role", "content"} dicts. Each message becomes
        [id of chat.ROLE_TOKENS[role]] + tokenizer.encode(content, allowed_special="none") + [id of chat.END],
    the ids of special tokens being tokenizer.special_tokens[token]. mask[i] is 1 exactly where ids[i] is an
    assistant's content or the chat.END closing an assistant turn, 0 elsewhere (role tokens, system and user turns).
    max_len: None, or keep only the first max_len ids and the first max_len mask values.
    Raise ValueError for a role not in chat.ROLE_TOKENS, a conversation without an assistant turn (call
    chat.check_conversation(messages) for both), and for a cut that leaves no mask value 1.
    The tests check hand-made ids and masks, multi-turn conversations with a system turn, text that looks like
    a special token, several cuts, a trained BPE tokenizer, and the three errors.
    """
    ### BEGIN SOLUTION
    chat.check_conversation(messages)
    end = tokenizer.special_tokens[chat.END]
    ids, mask = [], []
    for message in messages:
        content = tokenizer.encode(message["content"], allowed_special="none")
        learn = 1
        ids += [tokenizer.special_tokens[chat.ROLE_TOKENS[message["role"]]]] + content + [end]
        mask += [0] + [learn] * (len(content) + 1)
    if max_len is not None:
        ids, mask = ids[:max_len], mask[:max_len]
    if 1 not in mask:
        raise ValueError(f"max_len={max_len} cuts off every assistant token")
    return ids, mask
    ### END SOLUTION

# %% variant: end-not-in-mask
# The <|end|> closing an answer is not trained, so the model never learns to stop.
def encode_chat(tokenizer, messages, max_len=None):
    """(ids, mask) of a conversation: two lists of Python ints of the same length.

    messages: a list of {"role", "content"} dicts. Each message becomes
        [id of chat.ROLE_TOKENS[role]] + tokenizer.encode(content, allowed_special="none") + [id of chat.END],
    the ids of special tokens being tokenizer.special_tokens[token]. mask[i] is 1 exactly where ids[i] is an
    assistant's content or the chat.END closing an assistant turn, 0 elsewhere (role tokens, system and user turns).
    max_len: None, or keep only the first max_len ids and the first max_len mask values.
    Raise ValueError for a role not in chat.ROLE_TOKENS, a conversation without an assistant turn (call
    chat.check_conversation(messages) for both), and for a cut that leaves no mask value 1.
    The tests check hand-made ids and masks, multi-turn conversations with a system turn, text that looks like
    a special token, several cuts, a trained BPE tokenizer, and the three errors.
    """
    ### BEGIN SOLUTION
    chat.check_conversation(messages)
    end = tokenizer.special_tokens[chat.END]
    ids, mask = [], []
    for message in messages:
        content = tokenizer.encode(message["content"], allowed_special="none")
        learn = 1 if message["role"] == "assistant" else 0
        ids += [tokenizer.special_tokens[chat.ROLE_TOKENS[message["role"]]]] + content + [end]
        mask += [0] + [learn] * len(content) + [0]
    if max_len is not None:
        ids, mask = ids[:max_len], mask[:max_len]
    if 1 not in mask:
        raise ValueError(f"max_len={max_len} cuts off every assistant token")
    return ids, mask
    ### END SOLUTION

# %% variant: truncates-ids-only
# max_len cuts the ids but not the mask: the two no longer line up.
def encode_chat(tokenizer, messages, max_len=None):
    """(ids, mask) of a conversation: two lists of Python ints of the same length.

    messages: a list of {"role", "content"} dicts. Each message becomes
        [id of chat.ROLE_TOKENS[role]] + tokenizer.encode(content, allowed_special="none") + [id of chat.END],
    the ids of special tokens being tokenizer.special_tokens[token]. mask[i] is 1 exactly where ids[i] is an
    assistant's content or the chat.END closing an assistant turn, 0 elsewhere (role tokens, system and user turns).
    max_len: None, or keep only the first max_len ids and the first max_len mask values.
    Raise ValueError for a role not in chat.ROLE_TOKENS, a conversation without an assistant turn (call
    chat.check_conversation(messages) for both), and for a cut that leaves no mask value 1.
    The tests check hand-made ids and masks, multi-turn conversations with a system turn, text that looks like
    a special token, several cuts, a trained BPE tokenizer, and the three errors.
    """
    ### BEGIN SOLUTION
    chat.check_conversation(messages)
    end = tokenizer.special_tokens[chat.END]
    ids, mask = [], []
    for message in messages:
        content = tokenizer.encode(message["content"], allowed_special="none")
        learn = 1 if message["role"] == "assistant" else 0
        ids += [tokenizer.special_tokens[chat.ROLE_TOKENS[message["role"]]]] + content + [end]
        mask += [0] + [learn] * (len(content) + 1)
    if max_len is not None:
        ids = ids[:max_len]
    if 1 not in mask:
        raise ValueError(f"max_len={max_len} cuts off every assistant token")
    return ids, mask
    ### END SOLUTION
