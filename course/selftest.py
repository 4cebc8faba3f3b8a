"""The autograder's round trip, week by week.

- The instructor's solution, submitted as a student would (the release with its answer cells filled in),
  earns full marks on every autograded cell.
- The blank release earns nothing, and grading it raises no error.
- Every known-wrong variant (source/<week>/variants/<solution grade id>.py) loses its exercise's points.
- Every test cell makes at least one value check the grader can compare, and every exercise has at least
  two variants.
- Neither the solution's outputs nor the blank release's are taken for hidden test text.

Solution and blank go through the whole grader (sandbox, gradebook in a scratch folder, feedback). Variants
do not need a notebook run each: one sandboxed kernel runs the solution notebook with, after each exercise's
tests, every variant of it followed by copies of those tests, then the solution cell again to restore the
state. Each copy is judged exactly as a submission's test cell would be.
"""

import copy
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course import notebooks, paths, syllabus
from course.grading import grader, redact
from course.grading.autograde import Executor, reference_runs
from course.grading.submissions import Submission
from course.grading.verdict import CellRun, judge

VARIANT_HEADER = re.compile(r"^# %% variant: *(\S+)\s*$", re.M)
MIN_VARIANTS = 2


@dataclass
class Row:
    week: str
    notebook: str
    test: str
    exercise: str
    max_score: float
    solution: float = 0.0
    blank: float = 0.0
    variants: dict = field(default_factory=dict)  # name -> points earned


def read_variants(path):
    """``{name: code}`` from a variants file (``# %% variant: name`` headers, see course/AUTHORING.md)."""
    text = Path(path).read_text()
    parts = VARIANT_HEADER.split(text)
    variants = {}
    for name, code in zip(parts[1::2], parts[2::2]):
        if name in variants:
            raise ValueError(f"{path}: variant {name!r} appears twice")
        variants[name] = code.strip("\n")
    return variants


def selftest(week_id=None, workers=2, progress=print):
    """Run the round trip; return ``(rows, problems)``: the points table and every failed expectation."""
    rows, problems = [], []
    executor = Executor()
    for week in syllabus.weeks_with_notebooks(week_id):
        progress(f"{week.id}: grading the solution, the blank release and the variants")
        week_rows, week_problems = _week(week, executor, workers)
        rows += week_rows
        problems += week_problems
    return rows, problems


def _week(week, executor, workers):
    problems = []
    variants = {}
    for path in sorted(week.variants_dir.glob("*.py")):
        try:
            variants[path.stem] = read_variants(path)
        except (OSError, ValueError) as error:
            problems.append(str(error))
    sources = {name: notebooks.read(paths.SOURCE / week.id / name) for name in week.notebooks}
    exercise_of, solution_cells = {}, {}
    for name, nb in sources.items():
        for solution_id, tests in notebooks.exercises(nb).items():
            solution_cells[solution_id] = name
            for test in tests:
                exercise_of[test] = solution_id
            if len(variants.get(solution_id, {})) < MIN_VARIANTS:
                problems.append(f"{week.id}/{name}: exercise {solution_id} has "
                                f"{len(variants.get(solution_id, {}))} known-wrong variants, needs {MIN_VARIANTS}")
    for unknown in sorted(set(variants) - set(solution_cells)):
        problems.append(f"{week.variants_dir}/{unknown}.py: no solution cell has grade id {unknown!r}")

    with tempfile.TemporaryDirectory(prefix="selftest-") as scratch:
        scratch = Path(scratch)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            references = dict(zip(week.notebooks, pool.map(lambda n: reference_runs(week.id, n, executor),
                                                            week.notebooks)))
            submissions = []
            for name in week.notebooks:
                for student, nb in (("solution", _filled_release(week.id, name, sources[name])),
                                    ("blank", notebooks.read(paths.RELEASE / week.id / name))):
                    path = scratch / "submitted" / student / week.id / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(nbformat.writes(nb))
                    submissions.append(Submission(student, week.id, name, path))
            probe_jobs = {name: pool.submit(_probe, sources[name], variants, references[name], executor, i + 1)
                          for i, name in enumerate(week.notebooks)}
            results = grader.grade(submissions, db_url=f"sqlite:///{scratch}/gradebook.db", workers=workers,
                                   autograded_dir=scratch / "autograded", feedback_dir=scratch / "feedback",
                                   progress=lambda _: None)
            probe_scores = {name: job.result() for name, job in probe_jobs.items()}

    rows = {}
    for name, nb in sources.items():
        for cell in nb.cells:
            if notebooks.is_autograded_test(cell):
                gid = notebooks.grade_id(cell)
                rows[gid] = Row(week.id, name, gid, exercise_of.get(gid, "-"), notebooks.points(cell))
                run = references[name][gid]
                if not any(r.get("kind") in ("close", "equal") for r in run.records if isinstance(r, dict)):
                    problems.append(f"{week.id}/{name}: test cell {gid} makes no check_close/check_equal "
                                    "on a value, so the grader has nothing to compare")
    for result in results:
        for score in result.scores:
            setattr(rows[score.grade_id], result.student, score.score)
        if redact.FLAG in result.flags:
            problems.append(f"{week.id}/{result.notebook}: the {result.student}'s outputs were taken for hidden "
                            "test text (course/grading/redact.py): an honest output must not look like one")
    for name, scores in probe_scores.items():
        for (variant, gid), points in scores.items():
            rows[gid].variants[variant] = points
    for row in rows.values():
        where = f"{row.week}/{row.notebook} {row.test}"
        if row.solution != row.max_score:
            problems.append(f"{where}: the solution earns {row.solution:g} of {row.max_score:g}")
        if row.blank != 0:
            problems.append(f"{where}: the blank release earns {row.blank:g}")
        for variant, points in row.variants.items():
            if points != 0:
                problems.append(f"{where}: known-wrong variant {row.exercise}/{variant} still earns {points:g}")
    return list(rows.values()), problems


def _filled_release(week_id, name, source):
    """The release notebook with every answer cell replaced by the solution's text (a perfect student)."""
    nb = notebooks.read(paths.RELEASE / week_id / name)
    answers = {notebooks.grade_id(c): c.source for c in source.cells
               if notebooks.meta(c).get("solution")}
    for cell in nb.cells:
        if notebooks.grade_id(cell) in answers:
            cell.source = answers[notebooks.grade_id(cell)]
    return nb


def _probe(source, variants, reference, executor, worker):
    """Points each variant earns on each of its exercise's test cells: {(variant, test grade id): points}."""
    nb = copy.deepcopy(source)
    probes = {}  # cell index in the probe notebook -> (variant, grade id, points)
    cells, exercise_cells = [], notebooks.exercises(source)
    solution_by_id = {notebooks.grade_id(c): c for c in source.cells if notebooks.is_solution(c)}
    tests_by_id = {notebooks.grade_id(c): c for c in source.cells if notebooks.is_autograded_test(c)}
    last_test_of = {tests[-1]: sid for sid, tests in exercise_cells.items() if tests}
    for cell in nb.cells:
        cells.append(cell)
        sid = last_test_of.get(notebooks.grade_id(cell))
        if sid is None:
            continue
        for variant, code in variants.get(sid, {}).items():
            cells.append(_plain_code(code))
            for test in exercise_cells[sid]:
                probes[len(cells)] = (variant, test, notebooks.points(tests_by_id[test]))
                cells.append(_plain_code(tests_by_id[test].source))
            cells.append(_plain_code(solution_by_id[sid].source))
    nb.cells = cells
    runs, _ = executor.run(nb, worker)
    return {(variant, test): (points if judge(runs.get(index, CellRun()), reference[test])[0] else 0.0)
            for index, (variant, test, points) in probes.items()}


def _plain_code(source):
    return nbformat.v4.new_code_cell(source)


def format_table(rows):
    """The points table: week, exercise, test cell, points for solution / blank / each variant."""
    lines = [f"{'week':<8} {'exercise':<22} {'test cell':<26} {'max':>4} {'solution':>8} {'blank':>6}  variants"]
    for r in rows:
        variants = " ".join(f"{name}={points:g}" for name, points in r.variants.items()) or "(none)"
        lines.append(f"{r.week:<8} {r.exercise:<22} {r.test:<26} {r.max_score:>4g} {r.solution:>8g} "
                     f"{r.blank:>6g}  {variants}")
    return "\n".join(lines)
