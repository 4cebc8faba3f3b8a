"""Hostile and broken submissions (tests/fixtures/hostile/), all graded in ONE `course grade` run.

A case is a student. ``cases/<student>.py`` is built into a notebook from the release; every code answer cell
holds the solution's answer unless the case says otherwise, and the case's sections change the notebook:

    # %% w99-double                 the new text of the cell with this grade id (an answer or a course cell)
    # %% after w99-double           a new ordinary code cell inserted after that cell
    # %% delete w99-double-test     the cell is removed
    # %% metadata w99-double-test   a JSON object whose keys replace those of the cell's metadata

``@COURSE_ROOT@`` and ``@REPOSITORY@`` in a case stand for the absolute paths of the scratch course and of the
repository, so that attacks aim at the real places. ``raw/<student>.ipynb`` is submitted byte for byte.
``expected.json`` holds every student's points per test cell and the grader's flags (a substring each, in
order). Attacks are written so that a failed defence shows in the scores (a readable source notebook, a
network connection or a setuid would each earn double's points); outcomes on disk are checked too.
"""

import base64
import copy
import csv
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil

from course.grading.redact import WITHHELD, WITHHELD_LINE
from course.release import HIDDEN

REPOSITORY = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
WEEK, NOTEBOOK = "week99", "01-smoke.ipynb"
SECTION = re.compile(r"^# %% (?:(after|delete|metadata) )?(\S+)[ \t]*\n", re.M)
FIRST_SANDBOX_UID = 61000  # course.grading.sandbox.FIRST_UID
# Tight limits so that hostile cells fail fast; 20 s still lets an honest cell import torch on a busy machine.
GRADE_OPTIONS = ["--workers", "2", "--cell-timeout", "20", "--notebook-timeout", "150", "--memory", "2"]
LIVE_MARKUP = re.compile(r"<script>alert|<img[^>]*onerror")  # what cases/script-injection.py smuggles in
MAX_GRADER_MEMORY = 2**30  # bytes of peak RSS for `course grade` itself, whatever the submissions print


def build(case_text, release, answers, placeholders):
    """The notebook a case describes: the release, answered with ``answers``, then changed by each section."""
    for name, value in placeholders.items():
        case_text = case_text.replace(name, value)
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        cell.source = answers.get(_grade_id(cell), cell.source)
    parts = SECTION.split(case_text)
    inserted_after = {}
    for action, grade_id, body in zip(parts[1::3], parts[2::3], parts[3::3]):
        index = next(i for i, c in enumerate(nb.cells) if _grade_id(c) == grade_id)
        body = body.strip("\n")
        if action == "after":
            position = inserted_after.get(grade_id, index) + 1
            nb.cells.insert(position, nbformat.v4.new_code_cell(body))
            inserted_after[grade_id] = position
        elif action == "delete":
            del nb.cells[index]
        elif action == "metadata":
            nb.cells[index].metadata.update(json.loads(body))
        else:
            nb.cells[index].source = body
    return nb


def _grade_id(cell):
    nbgrader = cell.get("metadata", {}).get("nbgrader")
    return nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None


def submit_all(course):
    """Write every case into ``submitted/``; return the students' names."""
    source = nbformat.read(course.root / "source" / WEEK / NOTEBOOK, as_version=4)
    release = nbformat.read(course.root / "release" / WEEK / NOTEBOOK, as_version=4)
    answers = {_grade_id(c): c.source for c in source.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
    placeholders = {"@COURSE_ROOT@": str(course.root), "@REPOSITORY@": str(REPOSITORY)}
    students = []
    for path in sorted((HOSTILE / "cases").glob("*.py")) + sorted((HOSTILE / "raw").glob("*.ipynb")):
        target = course.root / "submitted" / path.stem / WEEK / NOTEBOOK
        target.parent.mkdir(parents=True)
        if path.suffix == ".py":
            nbformat.write(build(path.read_text(), release, answers, placeholders), target)
        else:
            target.write_bytes(path.read_bytes())
        students.append(path.stem)
    return students


def digests(paths):
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None for p in paths}


def sandbox_processes(grader_pid):
    """Processes of the sandbox users of the grader with this pid (course.grading.sandbox.execute's uids)."""
    first = FIRST_SANDBOX_UID + (grader_pid % 500) * 8
    return [p.info for p in psutil.process_iter(["pid", "uids", "cmdline"])
            if p.info["uids"] and first <= p.info["uids"].real < first + 8]


def grade_watching_memory(course, log):
    """Run `course grade` (its output into ``log``); return its exit status, its pid and its peak RSS in bytes."""
    env = {**os.environ, "COURSE_ROOT": str(course.root)}
    with open(log, "w") as output:
        process = subprocess.Popen([sys.executable, "-m", "course.cli", "grade", *GRADE_OPTIONS], cwd=course.root,
                                   env=env, stdout=output, stderr=subprocess.STDOUT)
        watched, peak = psutil.Process(process.pid), 0
        while process.poll() is None:
            try:
                peak = max(peak, watched.memory_info().rss)
            except psutil.Error:  # it has just ended
                break
            time.sleep(0.2)
        return process.wait(timeout=900), process.pid, peak


def test_hostile_and_broken_submissions_score_only_what_they_earn(course):
    expected = json.loads((HOSTILE / "expected.json").read_text())
    students = submit_all(course)
    assert sorted(students) == sorted(expected), "every case needs an entry in expected.json, and only cases"
    probe = course.root / "probe.txt"
    probe.write_text("the grader's own file\n")
    guarded = [probe, course.root / "source" / WEEK / NOTEBOOK, course.root / "release" / WEEK / NOTEBOOK,
               REPOSITORY / "lib" / "minillm" / "checks.py", REPOSITORY / "data" / "tinyshakespeare.txt",
               Path(os.__file__).with_name("sitecustomize.py"), Path("/usr/lib/python3/dist-packages/sitecustomize.py"),
               *sorted((course.root / "submitted").glob(f"*/{WEEK}/{NOTEBOOK}"))]  # write-course-files' targets
    before = digests(guarded)

    log = course.root.parent / "grade.log"
    status, grader_pid, grader_peak = grade_watching_memory(course, log)
    assert status == 0, log.read_text()[-3000:]

    results = {s: json.loads((course.root / "autograded" / s / WEEK / f"{NOTEBOOK}.result.json").read_text())
               for s in students}
    scores = {s: {score["grade_id"]: score["score"] for score in r["scores"]} for s, r in results.items()}
    assert scores == {s: e["scores"] for s, e in expected.items()}
    # each flag shown as its expected substring where it holds it, in full where not (or where unexpected)
    flags = {s: [e if e in actual else actual for e, actual in zip(expected[s]["flags"], r["flags"])]
             + r["flags"][len(expected[s]["flags"]):] for s, r in results.items()}
    assert flags == {s: e["flags"] for s, e in expected.items()}

    with open(course.root / "autograded" / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    in_gradebook = {(r["student"], r["cell"]): float(r["auto_score"]) for r in rows if r["cell"].endswith("-test")}
    assert in_gradebook == {(s, g): v for s in students for g, v in scores[s].items()}
    assert len(rows) == 3 * len(students), "one row per student and graded cell (2 tests, 1 written answer)"

    assert digests(guarded) == before, "a submission changed a file outside its sandbox"
    assert not sandbox_processes(grader_pid), "a submission's process outlived its sandbox"
    assert grader_peak < MAX_GRADER_MEMORY, f"the grader itself peaked at {grader_peak / 2**20:.0f} MiB"
    hidden_tests_never_reach_the_students(course, students, results)
    pages = [course.root / "autograded" / "summary.html",
             *(course.root / "feedback" / s / WEEK / "01-smoke.html" for s in students)]
    for page in pages:
        text = page.read_text()
        assert len(text) < 5 * 2**20, f"{page} is {len(text)} characters long"
        assert not LIVE_MARKUP.search(text), f"{page} holds a submission's markup"


def hidden_forms(course):
    """The fixture's hidden tests as the leak-hidden-* cases print them: each line as it is, reversed and
    HTML-escaped, and all of them, each block after the other, as it is, reversed and in base64."""
    source = nbformat.read(course.root / "source" / WEEK / NOTEBOOK, as_version=4)
    blocks = sorted(block.removeprefix("\n") for c in source.cells for block in HIDDEN.findall(c.source))
    lines = [line for block in blocks for line in block.splitlines() if line.strip()]
    secret = "\n".join(blocks)
    forms = [secret, base64.b64encode(secret.encode()).decode(), base64.b64encode(secret[::-1].encode()).decode()]
    return forms + [f for line in lines for f in (line, line[::-1], html.escape(line), html.escape(line[::-1]))]


def hidden_tests_never_reach_the_students(course, students, results):
    """No hidden test reaches a student: not in the feedback page, the graded notebook's outputs or the scores'
    reasons; the leaking cases' pages say what was withheld, and the honest error inside a hidden test keeps its
    message but loses the traceback's hidden line."""
    forms = hidden_forms(course)
    for student in students:
        returned = {"feedback": (course.root / "feedback" / student / WEEK / "01-smoke.html").read_text(),
                    "reasons": json.dumps(results[student]["scores"])}
        graded = course.root / "autograded" / student / WEEK / NOTEBOOK
        if graded.is_file():
            cells = json.loads(graded.read_text())["cells"]
            returned["graded notebook"] = json.dumps([c.get("outputs", []) for c in cells])
        for where, text in returned.items():
            leaked = [form for form in forms if form in text]
            assert not leaked, f"{student}'s {where} holds hidden test text: {leaked[:2]}"
    for student in ("leak-hidden-file", "leak-hidden-hook"):
        assert WITHHELD.strip() in (course.root / "feedback" / student / WEEK / "01-smoke.html").read_text()
    honest = json.loads((course.root / "autograded" / "honest-hidden-error" / WEEK / NOTEBOOK).read_text())
    errors = [o for c in honest["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert [e["evalue"] for e in errors] == ["'step'"] and WITHHELD_LINE in errors[0]["traceback"]
    reasons = {s["grade_id"]: s["reason"] for s in results["honest-hidden-error"]["scores"]}
    assert reasons["w99-double-test"] == "KeyError: 'step' (while checking: hidden: arange doubled)"
