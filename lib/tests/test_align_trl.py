"""minillm.align's DPO and GRPO losses and advantages against TRL 1.16's own code, on the same numbers.

TRL's losses are trainer methods, so each test builds the trainer around a tiny transformers Llama with random
weights saved to a temporary folder (no hub access) and calls the method TRL's training loop calls:
GRPOTrainer._compute_loss(model, inputs) and DPOTrainer.compute_loss(model, batch). The log-probabilities we
feed our loss come from the same HF model's logits through our token_logprobs. TRL computes GRPO's
advantages inside a long generate-and-score method that cannot be called alone; the test repeats its three
lines (group mean, trl.trainer.utils.nanstd, + 1e-4) with TRL's own nanstd.
"""

import pytest
import torch

pytest.importorskip("trl")
from datasets import Dataset  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast  # noqa: E402
from trl import DPOConfig, DPOTrainer, GRPOConfig, GRPOTrainer  # noqa: E402
from trl.trainer.utils import nanstd  # noqa: E402

from minillm.align import dpo_loss, group_advantages, grpo_loss, token_logprobs  # noqa: E402

V = 32


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A 1-layer Llama with random weights and a word-level tokenizer ("t0" ... "t31"), saved locally."""
    folder = tmp_path_factory.mktemp("tiny-llama")
    backend = Tokenizer(models.WordLevel({f"t{i}": i for i in range(V)}, unk_token="t0"))
    backend.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, pad_token="t0", eos_token="t1", unk_token="t0")
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=V, hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=64)
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder, tokenizer


@pytest.mark.parametrize("beta,epsilon,kl_times_ratio", [(0.04, 0.2, False), (0.0, 0.1, False), (0.5, 0.3, False),
                                                         (0.5, 0.2, True)])
def test_grpo_loss_and_gradient_equal_trl(model_dir, tmp_path, beta, epsilon, kl_times_ratio, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder, tokenizer = model_dir
    args = GRPOConfig(output_dir=str(tmp_path), per_device_train_batch_size=4, num_generations=2,
                      max_completion_length=5, report_to=[], use_cpu=True, bf16=False, beta=beta, epsilon=epsilon,
                      loss_type="grpo", use_bias_correction_kl=kl_times_ratio)
    trainer = GRPOTrainer(model=str(folder), reward_funcs=lambda completions, **_: [0.0] * len(completions),
                          args=args, train_dataset=Dataset.from_dict({"prompt": ["t2 t3", "t4 t5"]}),
                          processing_class=tokenizer)
    trainer.model.train()
    trainer.current_gradient_accumulation_steps = 1  # set by the training loop; one micro-batch here
    g = torch.Generator().manual_seed(1)
    B, P, C = 4, 3, 5
    prompt, completion = torch.randint(2, V, (B, P), generator=g), torch.randint(2, V, (B, C), generator=g)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 0]])
    with torch.no_grad():
        logits = trainer.model(torch.cat([prompt, completion], 1)).logits
        near = token_logprobs(logits[:, P - 1:-1], completion)  # old and ref close, so some ratios clip, some not
    old = near + 0.4 * torch.randn(B, C, generator=g)
    ref = near + 0.6 * torch.randn(B, C, generator=g)
    advantages = torch.randn(B, generator=g)
    inputs = dict(prompt_ids=prompt, prompt_mask=torch.ones(B, P, dtype=torch.long), completion_ids=completion,
                  completion_mask=mask, advantages=advantages, old_per_token_logps=old, ref_per_token_logps=ref)
    params = list(trainer.model.parameters())
    expected = trainer._compute_loss(trainer.model, inputs)
    expected_grads = torch.autograd.grad(expected, params)
    logprobs = token_logprobs(trainer.model(torch.cat([prompt, completion], 1)).logits[:, P - 1:-1], completion)
    ours = grpo_loss(logprobs, old, ref, advantages, mask, clip_eps=epsilon, beta=beta, kl_times_ratio=kl_times_ratio)
    torch.testing.assert_close(ours, expected)
    for a, b in zip(torch.autograd.grad(ours, params), expected_grads):
        torch.testing.assert_close(a, b)
    ratio = torch.exp(near - old)[mask.bool()]
    assert ((ratio > 1 + epsilon) | (ratio < 1 - epsilon)).any() and ((ratio - 1).abs() < epsilon).any()


def test_group_advantages_equal_trls_formula():
    rewards = torch.tensor([[1.0, 0.0, 0.2, 1.1, 0.0, 1.0], [0.3, 0.3, 0.3, 0.3, 0.3, 0.3], [2.0, -1.0, 0.0, 0.5, 1.0, 3.0]])
    G = rewards.size(1)
    flat = rewards.flatten()  # as GRPOTrainer._generate_and_score_completions, scale_rewards="group"
    mean = torch.nanmean(flat.view(-1, G), dim=1).repeat_interleave(G)
    std = nanstd(flat.view(-1, G), dim=1).repeat_interleave(G)
    torch.testing.assert_close(group_advantages(rewards).flatten(), (flat - mean) / (std + 1e-4))
    torch.testing.assert_close(group_advantages(rewards, scale=False).flatten(), flat - mean)


@pytest.mark.parametrize("beta", [0.1, 0.5])
def test_dpo_loss_equals_trl(model_dir, tmp_path, beta, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder, tokenizer = model_dir
    pairs = Dataset.from_dict({"prompt": ["t2 t3", "t9"], "chosen": [" t4 t5", " t7 t8 t9 t10"],
                               "rejected": [" t6", " t11 t12"]})
    args = DPOConfig(output_dir=str(tmp_path), per_device_train_batch_size=2, report_to=[], use_cpu=True, bf16=False, beta=beta)
    trainer = DPOTrainer(model=str(folder), args=args, train_dataset=pairs, processing_class=tokenizer)
    with torch.no_grad():  # move the policy away from the reference, or the loss is log 2 whatever the code
        for p in trainer.model.parameters():
            p.add_(0.3 * torch.randn(p.shape, generator=torch.Generator().manual_seed(p.numel())))
    trainer.model.train()
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(2)])
    expected = trainer.compute_loss(trainer.model, batch)

    def summed(model):  # batch rows: chosen responses first, then rejected ones
        logits = model(batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1]
        return (token_logprobs(logits, batch["input_ids"][:, 1:]) * batch["completion_mask"][:, 1:]).sum(1)

    chosen, rejected = summed(trainer.model).chunk(2)
    with torch.no_grad():
        ref_chosen, ref_rejected = summed(trainer.ref_model).chunk(2)
    torch.testing.assert_close(dpo_loss(chosen, rejected, ref_chosen, ref_rejected, beta), expected)
    assert abs(expected.item() - 0.6931) > 1e-3
