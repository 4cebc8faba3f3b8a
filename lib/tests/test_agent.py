"""The ReAct loop on scripted replies (test inputs, the model's side of the conversation), with the real
calculator and the real BM25 search: parsing, forced observations, stopping, and failures as observations."""

import pytest

from minillm.agent import FACTS, ToolRegistry, default_tools, parse_step, run_agent, search_tool
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
    assert observations[0].startswith("Observation: error: no action")
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
