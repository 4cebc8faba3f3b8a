"""Week 10: a ReAct-style agent loop over a tool registry (the week-04 calculator, a search over facts).

The text format (one step per model reply; the loop writes the Observation lines, never the model):

    Question: What is 12*7?
    Thought: I should compute it.
    Action: calculator[12*7]
    Observation: 84
    Thought: I know the answer.
    Final Answer: 84

Each step the loop asks `next_text(prompt)` for the model's continuation. Anything from the first
"Observation:" it writes on is cut off (observations are forced in, not sampled). If the reply holds a
"Final Answer:" line the loop stops with that answer. Otherwise its last "Action: name[argument]" line is
run: a reply with no such line, a tool name not in the registry and a tool that raises all become an
Observation that says so ("error: ..."), and the loop goes on. It stops after max_steps replies at most,
with reason "max_steps" and answer None, so a model that calls tools forever cannot hang it.

`model_next_text` makes next_text from a course model: greedy decoding through minillm.engine.Engine up to
the end-of-reply token, so a trained model's reply ends where the loop's Observation begins.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from minillm.engine import Engine
from minillm.retrieval import BM25, tokenize, top_k
from minillm.tools import calculate

ACTION = re.compile(r"^Action:\s*(\w+)\[(.*)\]\s*$", re.MULTILINE)
FINAL = re.compile(r"^Final Answer:\s*(.*?)\s*$", re.MULTILINE)
OBSERVATION = "Observation:"
NO_ACTION = "error: no action; write 'Action: tool[argument]' or 'Final Answer: ...'"  # what a reply without one sees

FACTS = [  # the local knowledge base: made-up facts, so a model cannot know them without searching
    "The capital of Zorn is Vell.",
    "The river Amsel flows through Vell.",
    "Zorn has 4 provinces.",
    "The mountain Kesh is 3120 metres tall.",
    "The people of Kesh trade salt and copper.",
    "Orrim has 9 markets.",
    "The capital of Kesh is Orrim.",
    "The river Tulle flows through Orrim.",
]


class ToolRegistry:
    """Tools by name; each takes one str argument and returns a value shown to the model as text."""

    def __init__(self, tools: dict[str, Callable[[str], object]] | None = None):
        self.tools = {}
        for name, tool in (tools or {}).items():
            self.register(name, tool)

    def register(self, name: str, tool: Callable[[str], object]) -> None:
        if not re.fullmatch(r"\w+", name or ""):
            raise ValueError(f"tool name must be letters, digits or _, got {name!r}")
        if not callable(tool):
            raise TypeError(f"tool {name!r} must be callable, got {type(tool).__name__}")
        self.tools[name] = tool

    def observe(self, name: str, argument: str) -> str:
        """The observation text for one call: the tool's result, or "error: ..." (never raises)."""
        if name not in self.tools:
            return f"error: unknown tool {name!r} (tools: {', '.join(sorted(self.tools))})"
        try:
            return str(self.tools[name](argument))
        except Exception as error:  # a tool's failure is something the model should see, not a crash
            return f"error: {type(error).__name__}: {error}"


def search_tool(facts: list[str] = FACTS, k: int = 1) -> Callable[[str], str]:
    """A search over `facts` by BM25: the k best facts joined by " ", or "no results" when no word matches."""
    index = BM25([tokenize(fact) for fact in facts])

    def search(query: str) -> str:
        scores = index.scores(tokenize(query))
        values, ids = top_k(scores, k)
        found = [facts[i] for v, i in zip(values.tolist(), ids.tolist()) if v > 0]
        return " ".join(found) if found else "no results"

    return search


def default_tools(facts: list[str] = FACTS) -> ToolRegistry:
    """The course's registry: `calculator` (minillm.tools.calculate) and `search` (BM25 top-1 over facts)."""
    return ToolRegistry({"calculator": calculate, "search": search_tool(facts)})


@dataclass
class Step:
    """One parsed reply: the action's tool and argument (None when there is none), or the final answer."""

    text: str
    tool: str | None = None
    argument: str | None = None
    answer: str | None = None


def parse_step(reply: str) -> Step:
    """Parse one reply: cut it at the first "Observation:", then find "Final Answer:" or the last Action."""
    if not isinstance(reply, str):
        raise TypeError(f"the model's reply must be a str, got {type(reply).__name__}")
    text = reply.split(OBSERVATION, 1)[0].rstrip()
    final = FINAL.search(text)
    if final:
        return Step(text, answer=final.group(1))
    actions = ACTION.findall(text)
    if actions:
        tool, argument = actions[-1]
        return Step(text, tool=tool, argument=argument)
    return Step(text)


@dataclass
class AgentResult:
    """answer: the final answer or None; reason: "final" or "max_steps"; transcript: the whole text."""

    answer: str | None
    reason: str
    transcript: str
    steps: list[Step] = field(default_factory=list)


def run_agent(question: str, next_text: Callable[[str], str], tools: ToolRegistry, max_steps: int = 5) -> AgentResult:
    """Run the ReAct loop (see the module docstring) for at most max_steps model replies (max_steps >= 1)."""
    if max_steps < 1:
        raise ValueError(f"max_steps must be >= 1, got {max_steps}")
    transcript = f"Question: {question}\n"
    steps = []
    for _ in range(max_steps):
        step = parse_step(next_text(transcript))
        steps.append(step)
        transcript += step.text + "\n"
        if step.answer is not None:
            return AgentResult(step.answer, "final", transcript, steps)
        if step.tool is None:
            observation = NO_ACTION
        else:
            observation = tools.observe(step.tool, step.argument)
        transcript += f"{OBSERVATION} {observation}\n"
    return AgentResult(None, "max_steps", transcript, steps)


def model_next_text(engine: Engine, max_new_tokens: int = 64) -> Callable[[str], str]:
    """next_text for run_agent from an Engine (its stop_id ends a reply): the greedy reply to a prompt, as text.

    The prompt is encoded with the engine's tokenizer; of a prompt too long for the model's context only its
    last block_size - max_new_tokens tokens are kept (the model sees a window, the loop keeps the whole
    transcript). The stop token is not part of the reply.
    """
    room = engine.model.config.block_size - max_new_tokens
    if max_new_tokens < 1 or room < 1:
        raise ValueError(f"max_new_tokens must be 1 to block_size - 1, got {max_new_tokens}")

    def next_text(prompt: str) -> str:
        ids = engine.tokenizer.encode(prompt)[-room:]
        (completion,) = engine.generate(ids, 1, max_new_tokens=max_new_tokens, temperature=0)
        reply = completion.ids[:-1] if completion.stop == "end" else completion.ids
        return engine.tokenizer.decode(reply)

    return next_text
