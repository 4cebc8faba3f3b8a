"""The ReAct loop on scripted replies (test inputs, the model's side of the conversation), with the real
calculator and the real BM25 search: parsing, forced observations, stopping, and failures as observations;
model_next_text against the plain greedy loop of minillm.generate on a real (random) model."""

import pytest
import torch

from minillm import tasks
from minillm.agent import (FACTS, NO_ACTION, ToolRegistry, default_tools, model_next_text, parse_step, run_agent,
                           search_tool)
from minillm.chat import END, chat_tokenizer
from minillm.engine import Engine
from minillm.generate import generate
from minillm.model import GPT, ModelConfig
from minillm.tools import calculate


class Script:
    """next_text from a list of replies; keeps every prompt it was shown."""

    def __init__(self, replies):
        self.replies, self.prompts = list(replies), []

    def __call__(self, prompt):
        self.prompts.append(prompt)
        return self.replies[len(self.prompts) - 1]


def test_parse_step_finds_the_action_and_cuts_a_written_observation():
    step = parse_step("Thought: compute\nAction: calculator[12*7]\nObservation: 85\nFinal Answer: 85")
    assert (step.tool, step.argument, step.answer) == ("calculator", "12*7", None)
    assert step.text == "Thought: compute\nAction: calculator[12*7]"
    assert parse_step("Thought: done\nFinal Answer:  84 ").answer == "84"
    assert parse_step("Action: search[a [nested] query]").argument == "a [nested] query"
    assert parse_step("Thought: hmm\nAction: calculator 12*7").tool is None
    with pytest.raises(TypeError):
        parse_step(None)


def test_loop_runs_the_calculator_forces_the_observation_and_stops_on_the_final_answer():
    script = Script(["Thought: multiply\nAction: calculator[12*7+1]\nObservation: 1000", "Final Answer: 85"])
    result = run_agent("What is 12*7+1?", script, default_tools())
    assert result.answer == "85" and result.reason == "final"
    assert script.prompts[1] == "Question: What is 12*7+1?\nThought: multiply\nAction: calculator[12*7+1]\n" \
                                "Observation: 85\n"
    assert result.transcript == script.prompts[1] + "Final Answer: 85\n"
    assert len(result.steps) == 2


def test_search_tool_finds_the_fact_by_bm25_and_says_when_nothing_matches():
    search = search_tool()
    assert search("capital of Kesh") == "The capital of Kesh is Orrim."
    assert search("river through Vell") == "The river Amsel flows through Vell."
    assert search("xylophone") == "no results"
    assert search("") == "no results"
    assert search_tool(FACTS, k=2)("capital") == "The capital of Zorn is Vell. The capital of Kesh is Orrim."


def test_malformed_action_unknown_tool_and_tool_errors_become_observations():
    script = Script([
        "Thought: no action here",
        "Action: weather[Vell]",
        "Action: calculator[__import__('os')]",
        "Action: calculator[1/0]",
        "Action: broken[x]",
        "Final Answer: gave up",
    ])
    tools = default_tools()
    tools.register("broken", lambda arg: {}[arg])
    result = run_agent("q", script, tools, max_steps=10)
    observations = [line for line in result.transcript.splitlines() if line.startswith("Observation:")]
    assert observations[0] == f"Observation: {NO_ACTION}"
    assert observations[1] == "Observation: error: unknown tool 'weather' (tools: broken, calculator, search)"
    assert observations[2].startswith("Observation: error: CalculatorError: function calls are not allowed")
    assert observations[3] == "Observation: error: CalculatorError: division by zero"
    assert observations[4] == "Observation: error: KeyError: 'x'"
    assert result.answer == "gave up" and result.reason == "final"


def test_an_endless_tool_loop_stops_at_max_steps_with_a_defined_result():
    calls = []
    tools = ToolRegistry({"calculator": lambda arg: calls.append(arg) or calculate(arg)})
    result = run_agent("q", lambda prompt: "Action: calculator[1+1]", tools, max_steps=4)
    assert result.answer is None and result.reason == "max_steps"
    assert len(calls) == 4 and result.transcript.count("Observation: 2\n") == 4
    with pytest.raises(ValueError, match="max_steps"):
        run_agent("q", lambda prompt: "", tools, max_steps=0)


def test_registry_refuses_bad_names_and_non_callables():
    with pytest.raises(ValueError):
        ToolRegistry({"two words": calculate})
    with pytest.raises(TypeError):
        ToolRegistry({"calc": 3})


def test_default_tools_search_a_knowledge_base_and_a_scripted_agent_copies_the_fact():
    facts = tasks.knowledge_base(30, seed=2)
    tools = default_tools([f.text for f in facts])
    for fact in facts[::7]:
        script = Script([f"Action: search[{fact.question}]", f"Final Answer: {fact.value}"])
        result = run_agent(fact.question, script, tools)
        assert script.prompts[1].endswith(f"Observation: {fact.text}\n") and result.answer == fact.value
    assert default_tools().observe("search", "capital of Kesh") == "The capital of Kesh is Orrim."


def random_chat_gpt(block_size=40, seed=0):
    torch.manual_seed(seed)
    model = GPT(ModelConfig.llama(vocab_size=260, block_size=block_size, n_layer=1, n_head=2, n_embd=16)).eval()
    with torch.no_grad():  # logits far from uniform, so that greedy has no near-ties
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(4.0)
    return model


def greedy_ids(model, tokenizer, prompt, max_new_tokens):
    """The reference: minillm.generate's greedy tokens after the last prompt tokens that fit."""
    ids = tokenizer.encode(prompt)[-(model.config.block_size - max_new_tokens):]
    return generate(model, torch.tensor([ids]), max_new_tokens, temperature=0)[0, len(ids):].tolist()


def greedy_reply(model, tokenizer, prompt, max_new_tokens, stop_id):
    """The reference reply: the greedy tokens cut before the first stop token, decoded."""
    new = greedy_ids(model, tokenizer, prompt, max_new_tokens)
    return tokenizer.decode(new[: new.index(stop_id)] if stop_id in new else new)


def test_model_next_text_is_the_greedy_reply_up_to_the_stop_token_in_a_window():
    tokenizer = chat_tokenizer()
    model = random_chat_gpt()
    prompts = ["Question: What is 2+3?\n", "Q", "x" * 200]  # the last one is longer than the context
    free = greedy_ids(model, tokenizer, prompts[0], 12)
    stop_id = free[3]  # a token the model writes: the reply must end before it
    for stop in (tokenizer.special_tokens[END], None, stop_id):
        next_text = model_next_text(Engine(model, tokenizer, stop_id=stop, use_tool=False), max_new_tokens=12)
        for prompt in prompts:
            assert next_text(prompt) == greedy_reply(model, tokenizer, prompt, 12, stop)
    cut = model_next_text(Engine(model, tokenizer, stop_id=stop_id), 12)(prompts[0])
    assert cut == tokenizer.decode(free[: free.index(stop_id)]) and free.index(stop_id) <= 3  # it did stop early
    with pytest.raises(ValueError, match="max_new_tokens"):
        model_next_text(Engine(model, tokenizer), max_new_tokens=40)


def test_a_real_untrained_model_in_the_loop_never_raises_and_stops_at_max_steps():
    tokenizer = chat_tokenizer()
    engine = Engine(random_chat_gpt(), tokenizer, stop_id=tokenizer.special_tokens[END], use_tool=False)
    result = run_agent("What is 2+3?", model_next_text(engine, 16), default_tools(), max_steps=3)
    assert result.reason == "max_steps" and result.answer is None and len(result.steps) == 3
    assert result.transcript.count("\nObservation: ") == 3
