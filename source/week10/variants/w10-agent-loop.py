# %% variant: one-step-too-many
# Allows max_steps + 1 replies.
def run_agent(question, next_text, tools, max_steps=5):
    """Run the ReAct loop; return agent.AgentResult(answer, reason, transcript, steps).

    tools: a dict {name: function(str argument) -> value}. The transcript starts as f"Question: {question}\n".
    For at most max_steps replies: step = agent.parse_step(next_text(transcript)) (one next_text call per reply);
    append step to steps and step.text + "\n" to the transcript. If step.answer is not None, return
    AgentResult(step.answer, "final", transcript, steps). Otherwise compute the observation:
      - agent.NO_ACTION when step.tool is None;
      - f"error: unknown tool {name!r} (tools: {', '.join(sorted(tools))})" when the tool is not in tools;
      - f"error: {type(e).__name__}: {e}" when calling the tool raises an Exception e;
      - else str(tools[name](argument)), the tool called exactly once;
    and append f"Observation: {observation}\n" (agent.OBSERVATION is "Observation:").
    After max_steps replies without an answer return AgentResult(None, "max_steps", transcript, steps).
    max_steps < 1 raises ValueError. The tests compare with agent.run_agent (tools as an agent.ToolRegistry)
    on scripted replies, the real calculator and search, tools that raise, and a real untrained model.
    """
    ### BEGIN SOLUTION
    if max_steps < 1:
        raise ValueError(f"max_steps must be >= 1, got {max_steps}")
    transcript, steps = f"Question: {question}\n", []
    for _ in range(max_steps + 1):
        step = agent.parse_step(next_text(transcript))
        steps.append(step)
        transcript += step.text + "\n"
        if step.answer is not None:
            return agent.AgentResult(step.answer, "final", transcript, steps)
        if step.tool is None:
            observation = agent.NO_ACTION
        elif step.tool not in tools:
            observation = f"error: unknown tool {step.tool!r} (tools: {', '.join(sorted(tools))})"
        else:
            try:
                observation = str(tools[step.tool](step.argument))
            except Exception as error:
                observation = f"error: {type(error).__name__}: {error}"
        transcript += f"{agent.OBSERVATION} {observation}\n"
    return agent.AgentResult(None, "max_steps", transcript, steps)
    ### END SOLUTION

# %% variant: one-step-too-few
# Stops one reply early.
def run_agent(question, next_text, tools, max_steps=5):
    """Run the ReAct loop; return agent.AgentResult(answer, reason, transcript, steps).

    tools: a dict {name: function(str argument) -> value}. The transcript starts as f"Question: {question}\n".
    For at most max_steps replies: step = agent.parse_step(next_text(transcript)) (one next_text call per reply);
    append step to steps and step.text + "\n" to the transcript. If step.answer is not None, return
    AgentResult(step.answer, "final", transcript, steps). Otherwise compute the observation:
      - agent.NO_ACTION when step.tool is None;
      - f"error: unknown tool {name!r} (tools: {', '.join(sorted(tools))})" when the tool is not in tools;
      - f"error: {type(e).__name__}: {e}" when calling the tool raises an Exception e;
      - else str(tools[name](argument)), the tool called exactly once;
    and append f"Observation: {observation}\n" (agent.OBSERVATION is "Observation:").
    After max_steps replies without an answer return AgentResult(None, "max_steps", transcript, steps).
    max_steps < 1 raises ValueError. The tests compare with agent.run_agent (tools as an agent.ToolRegistry)
    on scripted replies, the real calculator and search, tools that raise, and a real untrained model.
    """
    ### BEGIN SOLUTION
    if max_steps < 1:
        raise ValueError(f"max_steps must be >= 1, got {max_steps}")
    transcript, steps = f"Question: {question}\n", []
    for _ in range(max_steps - 1):
        step = agent.parse_step(next_text(transcript))
        steps.append(step)
        transcript += step.text + "\n"
        if step.answer is not None:
            return agent.AgentResult(step.answer, "final", transcript, steps)
        if step.tool is None:
            observation = agent.NO_ACTION
        elif step.tool not in tools:
            observation = f"error: unknown tool {step.tool!r} (tools: {', '.join(sorted(tools))})"
        else:
            try:
                observation = str(tools[step.tool](step.argument))
            except Exception as error:
                observation = f"error: {type(error).__name__}: {error}"
        transcript += f"{agent.OBSERVATION} {observation}\n"
    return agent.AgentResult(None, "max_steps", transcript, steps)
    ### END SOLUTION

# %% variant: observation-sampled
# Puts the model's whole reply in the transcript, its invented observation included.
def run_agent(question, next_text, tools, max_steps=5):
    """Run the ReAct loop; return agent.AgentResult(answer, reason, transcript, steps).

    tools: a dict {name: function(str argument) -> value}. The transcript starts as f"Question: {question}\n".
    For at most max_steps replies: step = agent.parse_step(next_text(transcript)) (one next_text call per reply);
    append step to steps and step.text + "\n" to the transcript. If step.answer is not None, return
    AgentResult(step.answer, "final", transcript, steps). Otherwise compute the observation:
      - agent.NO_ACTION when step.tool is None;
      - f"error: unknown tool {name!r} (tools: {', '.join(sorted(tools))})" when the tool is not in tools;
      - f"error: {type(e).__name__}: {e}" when calling the tool raises an Exception e;
      - else str(tools[name](argument)), the tool called exactly once;
    and append f"Observation: {observation}\n" (agent.OBSERVATION is "Observation:").
    After max_steps replies without an answer return AgentResult(None, "max_steps", transcript, steps).
    max_steps < 1 raises ValueError. The tests compare with agent.run_agent (tools as an agent.ToolRegistry)
    on scripted replies, the real calculator and search, tools that raise, and a real untrained model.
    """
    ### BEGIN SOLUTION
    if max_steps < 1:
        raise ValueError(f"max_steps must be >= 1, got {max_steps}")
    transcript, steps = f"Question: {question}\n", []
    for _ in range(max_steps):
        reply = next_text(transcript)
        step = agent.parse_step(reply)
        steps.append(step)
        transcript += reply.rstrip() + "\n"
        if step.answer is not None:
            return agent.AgentResult(step.answer, "final", transcript, steps)
        if step.tool is None:
            observation = agent.NO_ACTION
        elif step.tool not in tools:
            observation = f"error: unknown tool {step.tool!r} (tools: {', '.join(sorted(tools))})"
        else:
            try:
                observation = str(tools[step.tool](step.argument))
            except Exception as error:
                observation = f"error: {type(error).__name__}: {error}"
        transcript += f"{agent.OBSERVATION} {observation}\n"
    return agent.AgentResult(None, "max_steps", transcript, steps)
    ### END SOLUTION

# %% variant: crash-on-unknown-tool
# Looks the tool up outside the try: an unknown tool raises KeyError.
def run_agent(question, next_text, tools, max_steps=5):
    """Run the ReAct loop; return agent.AgentResult(answer, reason, transcript, steps).

    tools: a dict {name: function(str argument) -> value}. The transcript starts as f"Question: {question}\n".
    For at most max_steps replies: step = agent.parse_step(next_text(transcript)) (one next_text call per reply);
    append step to steps and step.text + "\n" to the transcript. If step.answer is not None, return
    AgentResult(step.answer, "final", transcript, steps). Otherwise compute the observation:
      - agent.NO_ACTION when step.tool is None;
      - f"error: unknown tool {name!r} (tools: {', '.join(sorted(tools))})" when the tool is not in tools;
      - f"error: {type(e).__name__}: {e}" when calling the tool raises an Exception e;
      - else str(tools[name](argument)), the tool called exactly once;
    and append f"Observation: {observation}\n" (agent.OBSERVATION is "Observation:").
    After max_steps replies without an answer return AgentResult(None, "max_steps", transcript, steps).
    max_steps < 1 raises ValueError. The tests compare with agent.run_agent (tools as an agent.ToolRegistry)
    on scripted replies, the real calculator and search, tools that raise, and a real untrained model.
    """
    ### BEGIN SOLUTION
    if max_steps < 1:
        raise ValueError(f"max_steps must be >= 1, got {max_steps}")
    transcript, steps = f"Question: {question}\n", []
    for _ in range(max_steps):
        step = agent.parse_step(next_text(transcript))
        steps.append(step)
        transcript += step.text + "\n"
        if step.answer is not None:
            return agent.AgentResult(step.answer, "final", transcript, steps)
        if step.tool is None:
            observation = agent.NO_ACTION
        else:
            tool = tools[step.tool]
            try:
                observation = str(tool(step.argument))
            except Exception as error:
                observation = f"error: {type(error).__name__}: {error}"
        transcript += f"{agent.OBSERVATION} {observation}\n"
    return agent.AgentResult(None, "max_steps", transcript, steps)
    ### END SOLUTION

# %% variant: tool-error-raises
# No try/except: a tool that raises crashes the loop.
def run_agent(question, next_text, tools, max_steps=5):
    """Run the ReAct loop; return agent.AgentResult(answer, reason, transcript, steps).

    tools: a dict {name: function(str argument) -> value}. The transcript starts as f"Question: {question}\n".
    For at most max_steps replies: step = agent.parse_step(next_text(transcript)) (one next_text call per reply);
    append step to steps and step.text + "\n" to the transcript. If step.answer is not None, return
    AgentResult(step.answer, "final", transcript, steps). Otherwise compute the observation:
      - agent.NO_ACTION when step.tool is None;
      - f"error: unknown tool {name!r} (tools: {', '.join(sorted(tools))})" when the tool is not in tools;
      - f"error: {type(e).__name__}: {e}" when calling the tool raises an Exception e;
      - else str(tools[name](argument)), the tool called exactly once;
    and append f"Observation: {observation}\n" (agent.OBSERVATION is "Observation:").
    After max_steps replies without an answer return AgentResult(None, "max_steps", transcript, steps).
    max_steps < 1 raises ValueError. The tests compare with agent.run_agent (tools as an agent.ToolRegistry)
    on scripted replies, the real calculator and search, tools that raise, and a real untrained model.
    """
    ### BEGIN SOLUTION
    if max_steps < 1:
        raise ValueError(f"max_steps must be >= 1, got {max_steps}")
    transcript, steps = f"Question: {question}\n", []
    for _ in range(max_steps):
        step = agent.parse_step(next_text(transcript))
        steps.append(step)
        transcript += step.text + "\n"
        if step.answer is not None:
            return agent.AgentResult(step.answer, "final", transcript, steps)
        if step.tool is None:
            observation = agent.NO_ACTION
        elif step.tool not in tools:
            observation = f"error: unknown tool {step.tool!r} (tools: {', '.join(sorted(tools))})"
        else:
            observation = str(tools[step.tool](step.argument))
        transcript += f"{agent.OBSERVATION} {observation}\n"
    return agent.AgentResult(None, "max_steps", transcript, steps)
    ### END SOLUTION

# %% variant: no-observation-without-action
# A reply without an action gets no observation.
def run_agent(question, next_text, tools, max_steps=5):
    """Run the ReAct loop; return agent.AgentResult(answer, reason, transcript, steps).

    tools: a dict {name: function(str argument) -> value}. The transcript starts as f"Question: {question}\n".
    For at most max_steps replies: step = agent.parse_step(next_text(transcript)) (one next_text call per reply);
    append step to steps and step.text + "\n" to the transcript. If step.answer is not None, return
    AgentResult(step.answer, "final", transcript, steps). Otherwise compute the observation:
      - agent.NO_ACTION when step.tool is None;
      - f"error: unknown tool {name!r} (tools: {', '.join(sorted(tools))})" when the tool is not in tools;
      - f"error: {type(e).__name__}: {e}" when calling the tool raises an Exception e;
      - else str(tools[name](argument)), the tool called exactly once;
    and append f"Observation: {observation}\n" (agent.OBSERVATION is "Observation:").
    After max_steps replies without an answer return AgentResult(None, "max_steps", transcript, steps).
    max_steps < 1 raises ValueError. The tests compare with agent.run_agent (tools as an agent.ToolRegistry)
    on scripted replies, the real calculator and search, tools that raise, and a real untrained model.
    """
    ### BEGIN SOLUTION
    if max_steps < 1:
        raise ValueError(f"max_steps must be >= 1, got {max_steps}")
    transcript, steps = f"Question: {question}\n", []
    for _ in range(max_steps):
        step = agent.parse_step(next_text(transcript))
        steps.append(step)
        transcript += step.text + "\n"
        if step.answer is not None:
            return agent.AgentResult(step.answer, "final", transcript, steps)
        if step.tool is None:
            continue
        elif step.tool not in tools:
            observation = f"error: unknown tool {step.tool!r} (tools: {', '.join(sorted(tools))})"
        else:
            try:
                observation = str(tools[step.tool](step.argument))
            except Exception as error:
                observation = f"error: {type(error).__name__}: {error}"
        transcript += f"{agent.OBSERVATION} {observation}\n"
    return agent.AgentResult(None, "max_steps", transcript, steps)
    ### END SOLUTION

# %% variant: max-steps-zero-allowed
# Does not refuse max_steps < 1.
def run_agent(question, next_text, tools, max_steps=5):
    """Run the ReAct loop; return agent.AgentResult(answer, reason, transcript, steps).

    tools: a dict {name: function(str argument) -> value}. The transcript starts as f"Question: {question}\n".
    For at most max_steps replies: step = agent.parse_step(next_text(transcript)) (one next_text call per reply);
    append step to steps and step.text + "\n" to the transcript. If step.answer is not None, return
    AgentResult(step.answer, "final", transcript, steps). Otherwise compute the observation:
      - agent.NO_ACTION when step.tool is None;
      - f"error: unknown tool {name!r} (tools: {', '.join(sorted(tools))})" when the tool is not in tools;
      - f"error: {type(e).__name__}: {e}" when calling the tool raises an Exception e;
      - else str(tools[name](argument)), the tool called exactly once;
    and append f"Observation: {observation}\n" (agent.OBSERVATION is "Observation:").
    After max_steps replies without an answer return AgentResult(None, "max_steps", transcript, steps).
    max_steps < 1 raises ValueError. The tests compare with agent.run_agent (tools as an agent.ToolRegistry)
    on scripted replies, the real calculator and search, tools that raise, and a real untrained model.
    """
    ### BEGIN SOLUTION
    transcript, steps = f"Question: {question}\n", []
    for _ in range(max_steps):
        step = agent.parse_step(next_text(transcript))
        steps.append(step)
        transcript += step.text + "\n"
        if step.answer is not None:
            return agent.AgentResult(step.answer, "final", transcript, steps)
        if step.tool is None:
            observation = agent.NO_ACTION
        elif step.tool not in tools:
            observation = f"error: unknown tool {step.tool!r} (tools: {', '.join(sorted(tools))})"
        else:
            try:
                observation = str(tools[step.tool](step.argument))
            except Exception as error:
                observation = f"error: {type(error).__name__}: {error}"
        transcript += f"{agent.OBSERVATION} {observation}\n"
    return agent.AgentResult(None, "max_steps", transcript, steps)
    ### END SOLUTION
