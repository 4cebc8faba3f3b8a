"""The post-training loops on a tiny course GPT: rollouts (batched equals one at a time where sampling is
greedy), preference pairs, and that each trainer moves the model the way its loss says."""

import pytest
import torch

from minillm import chat, posttrain, tasks
from minillm.generate import generate
from minillm.model import GPT, ModelConfig

TOKENIZER = chat.chat_tokenizer()
END = TOKENIZER.special_tokens[chat.END]


def tiny_gpt(seed=0):
    torch.manual_seed(seed)
    return GPT(ModelConfig.llama(vocab_size=260, block_size=64, n_layer=1, n_head=2, n_embd=16)).eval()


def test_greedy_rollouts_equal_generate_batched_or_not():
    model, example = tiny_gpt(), tasks.list_ops(1, seed=0)[0]
    prompt = posttrain.prompt_ids(TOKENIZER, example)
    expected = generate(model, torch.tensor([prompt]), 10, temperature=0)[0, len(prompt):].tolist()
    cut = expected[:expected.index(END) + 1] if END in expected else expected
    assert posttrain.sample_group(model, prompt, 3, 10, END, temperature=0) == [cut] * 3
    assert posttrain.sample_group(model, prompt, 2, 10, END, temperature=0, batched=False) == [cut] * 2


def test_sampled_rollouts_stop_at_the_end_token():
    model, prompt = tiny_gpt(), posttrain.prompt_ids(TOKENIZER, tasks.list_ops(1, seed=0)[0])
    group = posttrain.sample_group(model, prompt, 16, 12, END, generator=torch.Generator().manual_seed(0))
    assert all(END not in c[:-1] and (c[-1] == END or len(c) == 12) for c in group)
    assert len({tuple(c) for c in group}) > 1


def test_preference_rows_refuse_identical_answers():
    example = tasks.list_ops(1, seed=0)[0]
    chosen, rejected = posttrain.preference_rows(TOKENIZER, example, example.solution, "0")
    assert chosen == chat.encode_chat(TOKENIZER, posttrain.conversation(example))
    with pytest.raises(ValueError, match="identical"):
        posttrain.preference_rows(TOKENIZER, example, "5", "5")


def test_sft_then_dpo_then_grpo_move_the_model_their_way():
    examples = tasks.list_ops(24, seed=0, ops=("len",), length=(1, 3))
    model = tiny_gpt()
    rows = [chat.encode_chat(TOKENIZER, posttrain.conversation(ex)) for ex in examples]
    sft = posttrain.train_sft(model, rows, steps=30, batch_size=8, micro_batches=2, lr=1e-2, progress=False)
    assert sft["loss"][-1] < 0.5 * sft["loss"][0]
    pairs = [posttrain.preference_rows(TOKENIZER, ex, ex.solution, str(int(ex.answer) + 1)) for ex in examples]
    dpo = posttrain.train_dpo(model, pairs, steps=8, batch_size=8, lr=3e-3, progress=False)
    assert dpo["margin"][0] == pytest.approx(0.0, abs=1e-6) and dpo["margin"][-1] > 0.0
    grpo = posttrain.train_grpo(model, TOKENIZER, examples, steps=3, prompts_per_step=2, group_size=4,
                                max_new_tokens=8, progress=False)
    assert grpo["kl"][0] == pytest.approx(0.0, abs=1e-6)
    assert set(grpo) == {"reward", "accuracy", "kl", "loss"} and all(len(v) == 3 for v in grpo.values())


def test_sft_follows_its_learning_rate_schedule():
    rows = [chat.encode_chat(TOKENIZER, posttrain.conversation(ex)) for ex in tasks.list_ops(8, seed=0, length=(1, 3))]
    frozen, moved, constant = tiny_gpt(), tiny_gpt(), tiny_gpt()
    start = {k: v.clone() for k, v in frozen.state_dict().items()}
    posttrain.train_sft(frozen, rows, steps=3, batch_size=4, lr=1e-2, progress=False, lr_schedule=lambda step: 0.0)
    assert all(torch.equal(v, start[k]) for k, v in frozen.state_dict().items())
    seen = []
    posttrain.train_sft(moved, rows, steps=3, batch_size=4, lr=5.0, progress=False,
                        lr_schedule=lambda step: seen.append(step) or 1e-2)
    posttrain.train_sft(constant, rows, steps=3, batch_size=4, lr=1e-2, progress=False)
    assert seen == [0, 1, 2]
    assert all(torch.equal(v, constant.state_dict()[k]) for k, v in moved.state_dict().items())
