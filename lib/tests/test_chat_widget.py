"""The chat box driven headless through its send handler: the streamed answer equals the engine's, the
conversation is kept, and a box with no model, an empty question or one too long says so instead of failing."""

from test_engine import Scripted

from minillm.chat import chat_tokenizer, encode_prompt
from minillm.chat_widget import NO_MODEL, ChatBox
from minillm.engine import Engine


def scripted_engine(answer, prompt_len, block_size=128):
    tokenizer = chat_tokenizer()
    end = tokenizer.special_tokens["<|end|>"]
    model = Scripted(prompt_len, tokenizer.encode(answer) + [end], block_size=block_size)
    return Engine(model, tokenizer, stop_id=end), tokenizer


def test_send_streams_the_engines_answer_into_the_output():
    tokenizer = chat_tokenizer()
    question = "12+7*3="
    prompt = encode_prompt(tokenizer, [{"role": "user", "content": question}])
    engine, _ = scripted_engine("<calc>12+7*3</calc><result>00</result>33 日本", len(prompt))
    box = ChatBox(engine)
    answer = box.send(question)
    assert answer == "<calc>12+7*3</calc><result>33</result>33 日本"
    shown = "".join(item["text"] for item in box.output.outputs)
    assert shown == f"you: {question}\nmodel: {answer}\n"
    assert box.messages == [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    first, rate = box.stats
    assert 0 < first and rate > 0 and "tokens/s" in box.status.value and box.text.value == ""


def test_no_model_empty_and_too_long_questions_give_a_message():
    box = ChatBox()
    assert box.send("hello") == "" and box.status.value == NO_MODEL and box.output.outputs == ()
    engine, _ = scripted_engine("ok", 3, block_size=16)
    box = ChatBox(engine)
    assert box.send("   ") == "" and "empty" in box.status.value
    assert box.send("x" * 40) == "" and "context" in box.status.value and box.messages == []


def test_old_turns_are_dropped_to_fit_the_context():
    tokenizer = chat_tokenizer()
    engine, _ = scripted_engine("abcdefgh", 0, block_size=30)
    box = ChatBox(engine, max_new_tokens=4)
    box.messages = [{"role": "user", "content": "q" * 20}, {"role": "assistant", "content": "a" * 10}]
    box.messages.append({"role": "user", "content": "hi"})
    ids = box._prompt()
    assert ids == encode_prompt(tokenizer, [{"role": "user", "content": "hi"}])
