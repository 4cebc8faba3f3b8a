"""Turn an executed notebook (untrusted) into per-cell verdicts (trusted).

What comes back from the sandbox is data a hostile submission may have written itself, so it is read
defensively: a size cap, only the cells the grader asked for (by position in the notebook it prepared),
and only two facts per cell: did it end in an error, and which check records did it publish.

A test cell passes when it ran without an error AND its check records agree, one for one, with the records
the instructor's solution published for the same cell (see ``minillm.checks``). The first condition alone
is what nbgrader uses; it can be faked from inside the kernel, the second cannot without the right answers.
"""

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from course.grading.execute import RECORD_MIME, has_run
from course.grading.sandbox import MAX_OUTPUT_BYTES
TOLERANCE_SLACK = 2.0  # student and solution are each within tolerance of the expected value


@dataclass
class CellRun:
    """What one executed cell showed: whether it ran, its error (if any) and its check records."""

    ran: bool = False
    error: str | None = None
    records: list = field(default_factory=list)
    checked: int | None = None  # with an error: how many records the cell had published before it


def read_executed(path, prepared):
    """Read the executor's output for ``prepared`` (the notebook sent in): one CellRun per cell index.

    Returns ``(runs, problem)``; ``problem`` says why nothing could be read (then ``runs`` is empty).
    """
    path = Path(path)
    if not path.is_file():
        return {}, "the sandbox produced no notebook (it was killed before the first cell finished)"
    if path.stat().st_size > MAX_OUTPUT_BYTES:
        return {}, f"the executed notebook is larger than {MAX_OUTPUT_BYTES} bytes"
    try:
        executed = json.loads(path.read_text(encoding="utf-8"))
        cells = executed["cells"]
        if not isinstance(cells, list) or len(cells) != len(prepared.cells):
            return {}, "the executed notebook does not match the notebook sent to the sandbox"
        return {i: _cell_run(cells[i]) for i, cell in enumerate(prepared.cells) if cell.cell_type == "code"}, None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        return {}, f"the executed notebook cannot be read ({type(error).__name__})"


def _cell_run(cell):
    outputs = cell.get("outputs")
    if not isinstance(outputs, list) or not has_run(cell):
        return CellRun()
    run = CellRun(ran=True)
    for output in outputs:
        kind = output.get("output_type")
        if kind == "error" and run.error is None:  # the first: a stopped cell's later errors are echoes
            run.error = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"[:2000]
            run.checked = len(run.records)
        elif kind in ("display_data", "execute_result"):
            record = output.get("data", {}).get(RECORD_MIME)
            if record is not None:
                run.records.append(record)
    return run


def judge(student, reference):
    """Return ``(passed, reason)`` for one test cell, comparing ``student`` with the solution's CellRun.

    The reason speaks in the checks' own messages, taken from the solution's records (the student's could be
    forged): an error names the check that was running, a difference names the check, and for a visible check
    (whose expected value the student can see in the cell) shows both values shortened.
    """
    if not student.ran:
        return False, "the cell did not run"
    if student.error:
        return False, student.error + _while_checking(student, reference)
    if not reference.ran or reference.error:
        return False, "the instructor's solution fails this cell: a bug in the course, not in the submission"
    if len(student.records) != len(reference.records):
        return False, (f"the cell made {len(student.records)} checks where the solution makes "
                       f"{len(reference.records)}: the tests were skipped or altered")
    for number, (mine, theirs) in enumerate(zip(student.records, reference.records), start=1):
        if not _agrees(mine, theirs):
            return False, _difference(number, mine, theirs)
    return True, "passed"


def _message(record):
    message = record.get("message") if isinstance(record, dict) else None
    return message if isinstance(message, str) and message else None


def _while_checking(student, reference):
    """Which check an error stopped: the message of the record that was to come next. An AssertionError is a
    check's own failure (or a bad value handed to one), and its text already holds the check's message."""
    if student.error.startswith("AssertionError") or student.checked is None:
        return ""
    if student.checked >= len(reference.records):
        return " (raised after the cell's last check)"
    message = _message(reference.records[student.checked])
    return f" (while checking: {message})" if message else f" (before check {student.checked + 1} of the cell)"


def _difference(number, mine, theirs):
    message = _message(theirs)
    named = f"check {number} of the cell ({message})" if message else f"check {number} of the cell"
    if theirs.get("hidden") or not isinstance(mine, dict) or mine.get("kind") != theirs.get("kind"):
        return f"{named}: your value differs from the solution's"
    return (f"{named} passed in your notebook but not under the grader: "
            f"your value {_shown(mine)}, the solution's {_shown(theirs)}")


def _shown(record, limit=6):
    """A record's value, shortened: a close record's shape and first values, any other value's repr."""
    value = record.get("value")
    if record.get("kind") == "close" and isinstance(value, dict) and isinstance(value.get("data"), list):
        data = value["data"]
        numbers = ", ".join(f"{x:.4g}" if type(x) is float else str(x)[:20] for x in data[:limit])
        return f"shape {value.get('shape')} [{numbers}{', ...' if len(data) > limit else ''}]"
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "..."


def _agrees(mine, theirs):
    if not isinstance(mine, dict) or mine.get("kind") != theirs.get("kind"):
        return False
    kind = theirs["kind"]
    if kind == "true":
        return mine.get("value") is True
    if kind == "equal":
        return mine.get("value") == theirs.get("value")
    if kind == "close":
        return _close(mine.get("value"), theirs["value"], theirs.get("atol", 0.0), theirs.get("rtol", 0.0))
    return False


def _close(mine, theirs, atol, rtol):
    if not isinstance(mine, dict) or mine.get("shape") != theirs.get("shape"):
        return False
    a, b = mine.get("data"), theirs.get("data")
    if not isinstance(a, list) or len(a) != len(b):
        return False
    atol, rtol = TOLERANCE_SLACK * atol, TOLERANCE_SLACK * rtol
    for x, y in zip(a, b):
        if type(x) is not float or type(y) is not float:  # the checks publish floats, 'nan' or 'inf'
            if x != y:  # non-finite values travel as text and must match exactly; anything else is forged
                return False
        elif not (math.isfinite(x) and abs(x - y) <= atol + rtol * abs(y)):
            return False
    return True
