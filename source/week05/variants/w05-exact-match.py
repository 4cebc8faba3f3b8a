# %% variant: always-last-number
# Ignores "the answer is" and "####": always takes the last number of the text.
import re

NUMBER = re.compile(r"[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
MARK = re.compile(r"the answer is|####", re.IGNORECASE)


def extract_answer(text):
    numbers = NUMBER.findall(text)
    return numbers[-1] if numbers else None


def normalize_number(number):
    text = number.strip().replace("\u2212", "-")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("+-").replace(",", "").partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    digits = f"{whole}.{fraction}" if fraction else whole
    return "0" if digits == "0" else sign + digits


def exact_match(prediction, answer):
    extracted = extract_answer(prediction)
    return extracted is not None and normalize_number(extracted) == normalize_number(answer)


# %% variant: first-mark
# Looks after the FIRST "the answer is" instead of the last one, and is case-sensitive.
import re

NUMBER = re.compile(r"[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
MARK = re.compile(r"the answer is|####")


def extract_answer(text):
    mark = MARK.search(text)
    if mark:
        after = NUMBER.search(text, mark.end())
        if after:
            return after.group()
    numbers = NUMBER.findall(text)
    return numbers[-1] if numbers else None


def normalize_number(number):
    text = number.strip().replace("\u2212", "-")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("+-").replace(",", "").partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    digits = f"{whole}.{fraction}" if fraction else whole
    return "0" if digits == "0" else sign + digits


def exact_match(prediction, answer):
    extracted = extract_answer(prediction)
    return extracted is not None and normalize_number(extracted) == normalize_number(answer)


# %% variant: float-round-trip
# Normalises through float(): "1024.0" style output, and minus zero and large numbers go wrong.
import re

NUMBER = re.compile(r"[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
MARK = re.compile(r"the answer is|####", re.IGNORECASE)


def extract_answer(text):
    marks = list(MARK.finditer(text))
    if marks:
        after = NUMBER.search(text, marks[-1].end())
        if after:
            return after.group()
    numbers = NUMBER.findall(text)
    return numbers[-1] if numbers else None


def normalize_number(number):
    return str(float(number.strip().replace("\u2212", "-").replace(",", "")))


def exact_match(prediction, answer):
    extracted = extract_answer(prediction)
    return extracted is not None and normalize_number(extracted) == normalize_number(answer)


# %% variant: keeps-trailing-zeros
# Removes commas and signs but keeps the zeros after the point and the minus of minus zero.
import re

NUMBER = re.compile(r"[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
MARK = re.compile(r"the answer is|####", re.IGNORECASE)


def extract_answer(text):
    marks = list(MARK.finditer(text))
    if marks:
        after = NUMBER.search(text, marks[-1].end())
        if after:
            return after.group()
    numbers = NUMBER.findall(text)
    return numbers[-1] if numbers else None


def normalize_number(number):
    text = number.strip().replace("\u2212", "-").replace(",", "").lstrip("+")
    sign = "-" if text.startswith("-") else ""
    whole, dot, fraction = text.lstrip("-").partition(".")
    return sign + (whole.lstrip("0") or "0") + dot + fraction


def exact_match(prediction, answer):
    extracted = extract_answer(prediction)
    return extracted is not None and normalize_number(extracted) == normalize_number(answer)
