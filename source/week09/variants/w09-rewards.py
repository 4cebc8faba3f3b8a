# %% variant: substring-match
# Correct if the answer appears anywhere in the completion: '7' in '17'.
NUMBERS = r"-?\d+(, -?\d+)*"  # one or more integers, each with an optional minus sign, separated by ", "


def format_reward(completion):
    """1.0 if completion is well-formed, else 0.0 (Python floats).

    Well-formed: NUMBERS and nothing else, optionally preceded by one trace "<calc>E</calc><result>NUMBERS</result>"
    in which E is one or more characters other than "<" and ">"; one trailing newline is allowed (re.fullmatch).
    """
    ### BEGIN SOLUTION
    pattern = rf"(<calc>[^<>]+</calc><result>{NUMBERS}</result>)?{NUMBERS}"
    return float(re.fullmatch(pattern, completion.removesuffix("\n")) is not None)
    ### END SOLUTION


def correctness_reward(completion, answer):
    """1.0 if tasks.final_answer(completion) is exactly the string answer, else 0.0 (Python floats).

    Raise ValueError if answer is not a non-empty str.
    """
    ### BEGIN SOLUTION
    if not isinstance(answer, str) or not answer:
        raise ValueError(f"answer must be a non-empty str, got {answer!r}")
    return float(answer in completion)
    ### END SOLUTION

# %% variant: format-by-search
# re.search instead of re.fullmatch: trailing or leading text passes the format check.
NUMBERS = r"-?\d+(, -?\d+)*"  # one or more integers, each with an optional minus sign, separated by ", "


def format_reward(completion):
    """1.0 if completion is well-formed, else 0.0 (Python floats).

    Well-formed: NUMBERS and nothing else, optionally preceded by one trace "<calc>E</calc><result>NUMBERS</result>"
    in which E is one or more characters other than "<" and ">"; one trailing newline is allowed (re.fullmatch).
    """
    ### BEGIN SOLUTION
    pattern = rf"(<calc>[^<>]+</calc><result>{NUMBERS}</result>)?{NUMBERS}"
    return float(re.search(pattern, completion) is not None)
    ### END SOLUTION


def correctness_reward(completion, answer):
    """1.0 if tasks.final_answer(completion) is exactly the string answer, else 0.0 (Python floats).

    Raise ValueError if answer is not a non-empty str.
    """
    ### BEGIN SOLUTION
    if not isinstance(answer, str) or not answer:
        raise ValueError(f"answer must be a non-empty str, got {answer!r}")
    return float(tasks.final_answer(completion) == answer)
    ### END SOLUTION

# %% variant: numeric-compare
# Compares the answers as numbers: '7.0' counts as '7', and a sort's answer cannot be read.
NUMBERS = r"-?\d+(, -?\d+)*"  # one or more integers, each with an optional minus sign, separated by ", "


def format_reward(completion):
    """1.0 if completion is well-formed, else 0.0 (Python floats).

    Well-formed: NUMBERS and nothing else, optionally preceded by one trace "<calc>E</calc><result>NUMBERS</result>"
    in which E is one or more characters other than "<" and ">"; one trailing newline is allowed (re.fullmatch).
    """
    ### BEGIN SOLUTION
    pattern = rf"(<calc>[^<>]+</calc><result>{NUMBERS}</result>)?{NUMBERS}"
    return float(re.fullmatch(pattern, completion.removesuffix("\n")) is not None)
    ### END SOLUTION


def correctness_reward(completion, answer):
    """1.0 if tasks.final_answer(completion) is exactly the string answer, else 0.0 (Python floats).

    Raise ValueError if answer is not a non-empty str.
    """
    ### BEGIN SOLUTION
    if not isinstance(answer, str) or not answer:
        raise ValueError(f"answer must be a non-empty str, got {answer!r}")
    try:
        return float(float(tasks.final_answer(completion)) == float(answer))
    except ValueError:
        return float(tasks.final_answer(completion) == answer)
    ### END SOLUTION
