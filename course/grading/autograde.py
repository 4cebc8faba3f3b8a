"""Autograde one notebook: prepare (trusted) → execute in the sandbox (untrusted) → judge and redact (trusted).

The instructor's solution is run through the same steps once per notebook to give the reference check
records every submission is compared with; they are cached under ``autograded/.reference/``.
"""

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course import notebooks, paths
from course.grading import redact, sandbox
from course.grading.prepare import prepare
from course.grading.verdict import CellRun, judge, read_executed


@dataclass
class Score:
    grade_id: str
    score: float
    max_score: float
    reason: str


@dataclass
class NotebookResult:
    """The outcome for one notebook of one student: scores of autograded cells, flags, the graded notebook."""

    student: str
    week: str
    notebook: str
    scores: list = field(default_factory=list)  # Score for each autograded test cell
    flags: list = field(default_factory=list)  # messages for the report
    graded: nbformat.NotebookNode | None = None  # the prepared notebook with the sandbox's outputs
    submission_hash: str = ""

    @property
    def total(self):
        return sum(s.score for s in self.scores)


class Executor:
    """Runs prepared notebooks in the sandbox (or, with ``isolated=False``, directly, as nbgrader would)."""

    def __init__(self, isolated=True, limits=sandbox.Limits()):
        self.isolated, self.limits = isolated, limits

    def run(self, prepared, worker):
        """Execute ``prepared``; return ``(CellRun by cell index, problems)``, problems a list of messages."""
        with tempfile.TemporaryDirectory(prefix="autograde-") as scratch:
            given, produced = Path(scratch) / "in.ipynb", Path(scratch) / "out.ipynb"
            nbformat.write(prepared, given)
            timed_out, deaths = sandbox.execute(given, produced, worker=worker, limits=self.limits,
                                                isolated=self.isolated)
            runs, problem = read_executed(produced, prepared)
            problems = [problem] if problem else []
            if deaths:
                problems.append(f"the process running the notebook died {deaths} time(s) (killed by a cell?); "
                                "the cells running then scored nothing")
            if timed_out:
                problems.append(f"the notebook ran past its {self.limits.notebook_timeout} s limit; "
                                "the cells it had not finished scored nothing")
            if runs:
                _attach_outputs(prepared, produced)
            return runs, problems


def _attach_outputs(prepared, produced):
    """Copy the sandbox's outputs into the prepared (trusted) cells, dropping anything malformed."""
    try:
        executed = nbformat.read(produced, as_version=4)
        nbformat.validate(executed)  # malformed outputs would break the feedback page
    except Exception:  # untrusted file: any failure means no outputs are kept
        return
    for cell, done in zip(prepared.cells, executed.cells):
        if cell.cell_type == "code" and done.get("cell_type") == "code":
            outputs = [o for o in done.get("outputs", []) if isinstance(o, dict) and "output_type" in o]
            cell.outputs = outputs


def reference_runs(week, notebook, executor, worker=0):
    """The solution's CellRun for every autograded test cell of ``week/notebook``, by grade id (cached)."""
    source_path = paths.SOURCE / week / notebook
    digest = hashlib.sha256()
    for path in [source_path, sandbox.EXECUTOR, *sorted((paths.LIB / "minillm").glob("*.py"))]:
        digest.update(path.read_bytes())  # the solution's values depend on the notebook, executor and library
    digest = digest.hexdigest()
    cache = paths.AUTOGRADED / ".reference" / week / f"{notebook}.json"
    if cache.is_file():
        cached = json.loads(cache.read_text())
        if cached.get("digest") == digest:
            return {gid: CellRun(**run) for gid, run in cached["runs"].items()}
    source = notebooks.read(source_path)
    prepared = prepare(source, source, source).notebook
    runs, problems = executor.run(prepared, worker)
    if problems:
        raise RuntimeError(f"{source_path}: the instructor's solution could not be run: {'; '.join(problems)}")
    by_id = {notebooks.grade_id(cell): runs.get(i, CellRun()) for i, cell in enumerate(prepared.cells)
             if notebooks.is_autograded_test(cell)}
    failing = [gid for gid, run in by_id.items() if run.error or not run.ran]
    if failing:
        raise RuntimeError(f"{source_path}: the solution fails its own tests in {', '.join(failing)}: "
                           + "; ".join(by_id[g].error or "did not run" for g in failing))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"digest": digest, "runs": {g: vars(r) for g, r in by_id.items()}}))
    return by_id


def failed(submission, reason, submission_hash=""):
    """A NotebookResult giving every autograded test cell 0 points for ``reason``."""
    source = notebooks.read(paths.SOURCE / submission.week / submission.notebook)
    scores = [Score(notebooks.grade_id(c), 0.0, notebooks.points(c), reason)
              for c in source.cells if notebooks.is_autograded_test(c)]
    return NotebookResult(submission.student, submission.week, submission.notebook, scores, [reason],
                          submission_hash=submission_hash)


def grade_notebook(submission, reference, executor, worker=0):
    """Grade one Submission against the reference runs; never raises for a bad submission."""
    week, name = submission.week, submission.notebook
    source = notebooks.read(paths.SOURCE / week / name)
    release = notebooks.read(paths.RELEASE / week / name)
    tests = [c for c in source.cells if notebooks.is_autograded_test(c)]
    result = NotebookResult(submission.student, week, name)

    if submission.path is None:
        return failed(submission, f"{name} was not submitted")
    result.submission_hash = hashlib.sha256(Path(submission.path).read_bytes()).hexdigest()
    try:
        submitted = notebooks.read(submission.path)
    except notebooks.NotebookError as error:
        return failed(submission, str(error).replace(str(submission.path), name), result.submission_hash)
    prepared = prepare(source, release, submitted)
    result.flags += [message for _, message in prepared.flags]
    runs, problems = executor.run(prepared.notebook, worker)
    result.flags += problems
    messages = [r.get("message") for run in reference.values() for r in run.records if isinstance(r, dict)]
    hidden = redact.Hidden(source, release, filter(None, messages))
    if hidden.redact(prepared.notebook):
        result.flags.append(redact.FLAG)
    result.graded = prepared.notebook
    run_by_id = {notebooks.grade_id(c): runs.get(i, CellRun()) for i, c in enumerate(prepared.notebook.cells)
                 if notebooks.is_autograded_test(c)}
    for cell in tests:
        gid, points = notebooks.grade_id(cell), notebooks.points(cell)
        if gid in prepared.missing:
            result.scores.append(Score(gid, 0.0, points, "the cell is missing from the submission"))
            continue
        passed, reason = judge(run_by_id.get(gid, CellRun()), reference[gid])
        result.scores.append(Score(gid, points if passed else 0.0, points, hidden.clean(reason)))
    return result
