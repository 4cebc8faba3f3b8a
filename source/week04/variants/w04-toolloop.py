# %% variant: forced-tokens-count
# Counts the forced result tokens towards max_new_tokens, so the model gets fewer tokens of its own.
def tool_generate(next_token, tokenizer, prompt, max_new_tokens, max_length):
    ids = list(tokenizer.encode(prompt))
    n_prompt, scan, calling = len(ids), 0, False
    while len(ids) - n_prompt < max_new_tokens and len(ids) < max_length:
        ids.append(next_token(ids))
        text = tokenizer.decode(ids[n_prompt:])
        if not calling:
            if "\n" in text[scan:]:
                break
            start = text.find("<calc>", scan)
            if start >= 0:
                calling, scan = True, start + len("<calc>")
            continue
        end = text.find("</calc>", scan)
        if end >= 0:
            forced = tokenizer.encode("<result>" + tools.tool_result(text[scan:end]) + "</result>")
            if len(ids) + len(forced) > max_length:
                break
            ids += forced
            calling, scan = False, len(tokenizer.decode(ids[n_prompt:]))
    return tokenizer.decode(ids[n_prompt:])


# %% variant: result-truncated-to-fit
# Appends as much of a result as fits instead of stopping before it.
def tool_generate(next_token, tokenizer, prompt, max_new_tokens, max_length):
    ids = list(tokenizer.encode(prompt))
    n_prompt, sampled, scan, calling = len(ids), 0, 0, False
    while sampled < max_new_tokens and len(ids) < max_length:
        ids.append(next_token(ids))
        sampled += 1
        text = tokenizer.decode(ids[n_prompt:])
        if not calling:
            if "\n" in text[scan:]:
                break
            start = text.find("<calc>", scan)
            if start >= 0:
                calling, scan = True, start + len("<calc>")
            continue
        end = text.find("</calc>", scan)
        if end >= 0:
            forced = tokenizer.encode("<result>" + tools.tool_result(text[scan:end]) + "</result>")
            ids += forced[: max_length - len(ids)]
            calling, scan = False, len(tokenizer.decode(ids[n_prompt:]))
    return tokenizer.decode(ids[n_prompt:])


# %% variant: stops-inside-a-call
# Stops at a newline even inside an unclosed call.
def tool_generate(next_token, tokenizer, prompt, max_new_tokens, max_length):
    ids = list(tokenizer.encode(prompt))
    n_prompt, sampled, scan, calling = len(ids), 0, 0, False
    while sampled < max_new_tokens and len(ids) < max_length:
        ids.append(next_token(ids))
        sampled += 1
        text = tokenizer.decode(ids[n_prompt:])
        if "\n" in text[scan:]:
            break
        if not calling:
            start = text.find("<calc>", scan)
            if start >= 0:
                calling, scan = True, start + len("<calc>")
            continue
        end = text.find("</calc>", scan)
        if end >= 0:
            forced = tokenizer.encode("<result>" + tools.tool_result(text[scan:end]) + "</result>")
            if len(ids) + len(forced) > max_length:
                break
            ids += forced
            calling, scan = False, len(tokenizer.decode(ids[n_prompt:]))
    return tokenizer.decode(ids[n_prompt:])


# %% variant: result-not-forced
# Evaluates the call but never appends the result: the model has to write it itself.
def tool_generate(next_token, tokenizer, prompt, max_new_tokens, max_length):
    ids = list(tokenizer.encode(prompt))
    n_prompt, sampled = len(ids), 0
    while sampled < max_new_tokens and len(ids) < max_length:
        ids.append(next_token(ids))
        sampled += 1
        if "\n" in tokenizer.decode(ids[n_prompt:]):
            break
    return tokenizer.decode(ids[n_prompt:])
