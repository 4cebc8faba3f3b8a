# %% variant: first-action
# The first action of the reply counts instead of the last.
def parse_step(reply):
    """Parse one model reply into agent.Step(text, tool=None, argument=None, answer=None).

    1. text: the reply up to (not including) its FIRST "Observation:" (agent.OBSERVATION), with trailing
       whitespace removed (str.rstrip()); the whole reply, right-stripped, if it has none.
    2. If text has a "Final Answer: X" line (agent.FINAL.search(text); its group 1 is X without surrounding
       spaces), return Step(text, answer=X), even if it also has actions; the first such line counts.
    3. Otherwise, if text has "Action: name[argument]" lines (agent.ACTION.findall(text) gives their
       (name, argument) pairs in order), return Step(text, tool=name, argument=argument) of the LAST one.
    4. Otherwise return Step(text).
    A reply that is not a str raises TypeError. The tests compare with agent.parse_step on hand-made and
    generated replies: written observations, several actions, malformed lines, empty and odd replies.
    """
    ### BEGIN SOLUTION
    if not isinstance(reply, str):
        raise TypeError(f"the model's reply must be a str, got {type(reply).__name__}")
    text = reply.split(agent.OBSERVATION, 1)[0].rstrip()
    final = agent.FINAL.search(text)
    if final:
        return agent.Step(text, answer=final.group(1))
    actions = agent.ACTION.findall(text)
    if actions:
        tool, argument = actions[0]
        return agent.Step(text, tool=tool, argument=argument)
    return agent.Step(text)
    ### END SOLUTION

# %% variant: no-cut-at-observation
# Keeps the model's own Observation and what follows it in the step.
def parse_step(reply):
    """Parse one model reply into agent.Step(text, tool=None, argument=None, answer=None).

    1. text: the reply up to (not including) its FIRST "Observation:" (agent.OBSERVATION), with trailing
       whitespace removed (str.rstrip()); the whole reply, right-stripped, if it has none.
    2. If text has a "Final Answer: X" line (agent.FINAL.search(text); its group 1 is X without surrounding
       spaces), return Step(text, answer=X), even if it also has actions; the first such line counts.
    3. Otherwise, if text has "Action: name[argument]" lines (agent.ACTION.findall(text) gives their
       (name, argument) pairs in order), return Step(text, tool=name, argument=argument) of the LAST one.
    4. Otherwise return Step(text).
    A reply that is not a str raises TypeError. The tests compare with agent.parse_step on hand-made and
    generated replies: written observations, several actions, malformed lines, empty and odd replies.
    """
    ### BEGIN SOLUTION
    if not isinstance(reply, str):
        raise TypeError(f"the model's reply must be a str, got {type(reply).__name__}")
    text = reply.rstrip()
    final = agent.FINAL.search(text)
    if final:
        return agent.Step(text, answer=final.group(1))
    actions = agent.ACTION.findall(text)
    if actions:
        tool, argument = actions[-1]
        return agent.Step(text, tool=tool, argument=argument)
    return agent.Step(text)
    ### END SOLUTION

# %% variant: cut-at-last-observation
# Cuts at the last Observation instead of the first.
def parse_step(reply):
    """Parse one model reply into agent.Step(text, tool=None, argument=None, answer=None).

    1. text: the reply up to (not including) its FIRST "Observation:" (agent.OBSERVATION), with trailing
       whitespace removed (str.rstrip()); the whole reply, right-stripped, if it has none.
    2. If text has a "Final Answer: X" line (agent.FINAL.search(text); its group 1 is X without surrounding
       spaces), return Step(text, answer=X), even if it also has actions; the first such line counts.
    3. Otherwise, if text has "Action: name[argument]" lines (agent.ACTION.findall(text) gives their
       (name, argument) pairs in order), return Step(text, tool=name, argument=argument) of the LAST one.
    4. Otherwise return Step(text).
    A reply that is not a str raises TypeError. The tests compare with agent.parse_step on hand-made and
    generated replies: written observations, several actions, malformed lines, empty and odd replies.
    """
    ### BEGIN SOLUTION
    if not isinstance(reply, str):
        raise TypeError(f"the model's reply must be a str, got {type(reply).__name__}")
    text = reply.rsplit(agent.OBSERVATION, 1)[0].rstrip()
    final = agent.FINAL.search(text)
    if final:
        return agent.Step(text, answer=final.group(1))
    actions = agent.ACTION.findall(text)
    if actions:
        tool, argument = actions[-1]
        return agent.Step(text, tool=tool, argument=argument)
    return agent.Step(text)
    ### END SOLUTION

# %% variant: action-before-final
# Looks for actions first, so an action wins over a final answer.
def parse_step(reply):
    """Parse one model reply into agent.Step(text, tool=None, argument=None, answer=None).

    1. text: the reply up to (not including) its FIRST "Observation:" (agent.OBSERVATION), with trailing
       whitespace removed (str.rstrip()); the whole reply, right-stripped, if it has none.
    2. If text has a "Final Answer: X" line (agent.FINAL.search(text); its group 1 is X without surrounding
       spaces), return Step(text, answer=X), even if it also has actions; the first such line counts.
    3. Otherwise, if text has "Action: name[argument]" lines (agent.ACTION.findall(text) gives their
       (name, argument) pairs in order), return Step(text, tool=name, argument=argument) of the LAST one.
    4. Otherwise return Step(text).
    A reply that is not a str raises TypeError. The tests compare with agent.parse_step on hand-made and
    generated replies: written observations, several actions, malformed lines, empty and odd replies.
    """
    ### BEGIN SOLUTION
    if not isinstance(reply, str):
        raise TypeError(f"the model's reply must be a str, got {type(reply).__name__}")
    text = reply.split(agent.OBSERVATION, 1)[0].rstrip()
    actions = agent.ACTION.findall(text)
    if actions:
        tool, argument = actions[-1]
        return agent.Step(text, tool=tool, argument=argument)
    final = agent.FINAL.search(text)
    if final:
        return agent.Step(text, answer=final.group(1))
    return agent.Step(text)
    ### END SOLUTION

# %% variant: answer-not-stripped
# Takes everything after 'Final Answer:' on its line, spaces included.
def parse_step(reply):
    """Parse one model reply into agent.Step(text, tool=None, argument=None, answer=None).

    1. text: the reply up to (not including) its FIRST "Observation:" (agent.OBSERVATION), with trailing
       whitespace removed (str.rstrip()); the whole reply, right-stripped, if it has none.
    2. If text has a "Final Answer: X" line (agent.FINAL.search(text); its group 1 is X without surrounding
       spaces), return Step(text, answer=X), even if it also has actions; the first such line counts.
    3. Otherwise, if text has "Action: name[argument]" lines (agent.ACTION.findall(text) gives their
       (name, argument) pairs in order), return Step(text, tool=name, argument=argument) of the LAST one.
    4. Otherwise return Step(text).
    A reply that is not a str raises TypeError. The tests compare with agent.parse_step on hand-made and
    generated replies: written observations, several actions, malformed lines, empty and odd replies.
    """
    ### BEGIN SOLUTION
    if not isinstance(reply, str):
        raise TypeError(f"the model's reply must be a str, got {type(reply).__name__}")
    text = reply.split(agent.OBSERVATION, 1)[0].rstrip()
    final = agent.FINAL.search(text)
    if final:
        return agent.Step(text, answer=text[final.start():].split('\n', 1)[0][len('Final Answer:'):])
    actions = agent.ACTION.findall(text)
    if actions:
        tool, argument = actions[-1]
        return agent.Step(text, tool=tool, argument=argument)
    return agent.Step(text)
    ### END SOLUTION

# %% variant: text-not-stripped
# Keeps the trailing whitespace of the cut text.
def parse_step(reply):
    """Parse one model reply into agent.Step(text, tool=None, argument=None, answer=None).

    1. text: the reply up to (not including) its FIRST "Observation:" (agent.OBSERVATION), with trailing
       whitespace removed (str.rstrip()); the whole reply, right-stripped, if it has none.
    2. If text has a "Final Answer: X" line (agent.FINAL.search(text); its group 1 is X without surrounding
       spaces), return Step(text, answer=X), even if it also has actions; the first such line counts.
    3. Otherwise, if text has "Action: name[argument]" lines (agent.ACTION.findall(text) gives their
       (name, argument) pairs in order), return Step(text, tool=name, argument=argument) of the LAST one.
    4. Otherwise return Step(text).
    A reply that is not a str raises TypeError. The tests compare with agent.parse_step on hand-made and
    generated replies: written observations, several actions, malformed lines, empty and odd replies.
    """
    ### BEGIN SOLUTION
    if not isinstance(reply, str):
        raise TypeError(f"the model's reply must be a str, got {type(reply).__name__}")
    text = reply.split(agent.OBSERVATION, 1)[0]
    final = agent.FINAL.search(text)
    if final:
        return agent.Step(text, answer=final.group(1))
    actions = agent.ACTION.findall(text)
    if actions:
        tool, argument = actions[-1]
        return agent.Step(text, tool=tool, argument=argument)
    return agent.Step(text)
    ### END SOLUTION
