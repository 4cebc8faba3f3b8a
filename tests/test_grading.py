"""`course grade` on the fixture course: honest and broken submissions, the gradebook, feedback, LMS downloads."""

import csv
import json
import os
import shutil
import zipfile

import nbformat

WEEK, NOTEBOOK = "week99", "01-smoke.ipynb"


def released(course):
    return nbformat.read(course.root / "release" / WEEK / NOTEBOOK, as_version=4)


def solved(course):
    """The release with the solution's answers filled in: what a perfect student submits."""
    source = nbformat.read(course.root / "source" / WEEK / NOTEBOOK, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = released(course)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def submit(course, student, content, name=NOTEBOOK):
    path = course.root / "submitted" / student / WEEK / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content)
    else:
        nbformat.write(content, path)


def grades(course):
    with open(course.root / "autograded" / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    return {(r["student"], r["cell"]): float(r["auto_score"]) for r in rows if r["auto_score"]}, rows


def flags(course, student):
    return json.loads((course.root / "autograded" / student / WEEK / f"{NOTEBOOK}.result.json").read_text())["flags"]


def test_broken_submissions_get_zero_with_a_reason_and_nothing_stored_is_lost(course):
    submit(course, "alice", solved(course))
    course.run("grade")
    assert grades(course)[0][("alice", "w99-double-test")] == 2

    submit(course, "bob", "{ this is not json")
    old = released(course)
    old.nbformat, old.nbformat_minor = 3, 0
    submit(course, "carol", json.dumps({**json.loads(nbformat.writes(solved(course))), "nbformat": 3}))
    dave = solved(course)
    cell(dave, "w99-double-test").source = "pass  # tests? what tests"
    submit(course, "dave", dave)
    erin = solved(course)
    erin.cells.remove(cell(erin, "w99-double-test"))
    submit(course, "erin", erin)
    submit(course, "frank", "")
    submit(course, "gina", solved(course), name="smoke.ipynb")
    submit(course, "hank", released(course))
    ivan = solved(course)
    cell(ivan, "w99-double-test").metadata["nbgrader"]["grade_id"] = "my-own-id"
    submit(course, "ivan", ivan)
    done = course.run("grade")
    scores, rows = grades(course)

    assert scores[("alice", "w99-double-test")] == 2 and scores[("alice", "w99-count-test")] == 1
    for student in ("bob", "carol", "frank", "gina", "hank"):
        assert scores[(student, "w99-double-test")] == 0 and scores[(student, "w99-count-test")] == 0, student
    assert "not valid JSON" in flags(course, "bob")[0]
    assert "nbformat 3" in flags(course, "carol")[0]
    assert "is empty" in flags(course, "frank")[0]
    assert "01-smoke.ipynb was not submitted" in flags(course, "gina")[0]
    assert "smoke.ipynb: unexpected file name" in done.stderr
    # edited tests are put back and run as written by the instructor
    assert scores[("dave", "w99-double-test")] == 2
    assert any("was edited" in f for f in flags(course, "dave"))
    assert scores[("erin", "w99-double-test")] == 0 and scores[("erin", "w99-count-test")] == 1
    assert any("missing from the submission" in f for f in flags(course, "erin"))
    assert scores[("ivan", "w99-double-test")] == 0 and scores[("ivan", "w99-count-test")] == 1
    assert any("'my-own-id'" in f for f in flags(course, "ivan"))
    # one row per student and graded cell (2 tests + 1 written answer): no duplicates after two runs
    keys = [(r["student"], r["cell"]) for r in rows]
    assert len(keys) == len(set(keys)) == 9 * 3


def test_feedback_shows_visible_tests_but_never_hidden_ones(course):
    wrong = solved(course)
    cell(wrong, "w99-double").source = "def double(x):\n    return 3 * x"
    submit(course, "zoe", wrong)
    course.run("grade")
    page = (course.root / "feedback" / "zoe" / WEEK / "01-smoke.html").read_text()
    assert "Autograded score: 1 / 3" in page
    assert "double(x) should be 2x" in page  # the visible test and its message
    assert "arange doubled" not in page and "HIDDEN" not in page
    summary = (course.root / "autograded" / "summary.html").read_text()
    assert "w99-double-test" in summary
    assert "src=\"http" not in summary and "Plotly.newPlot" in summary  # plotly.js inlined: offline


def test_second_run_skips_what_is_graded_and_force_regrades(course):
    submit(course, "alice", solved(course))
    first = course.run("grade")
    again = course.run("grade")
    assert "1 already graded, 0 to grade" in again.stdout
    # `course release` recorded the week in the gradebook, as it is in source/: no run regenerates it
    assert "recorded in the gradebook" not in first.stdout + again.stdout
    forced = course.run("grade", "--force")
    assert "0 already graded, 1 to grade" in forced.stdout


def test_gradebook_is_rerecorded_when_a_test_changes(course):
    from nbgrader.api import Gradebook

    submit(course, "alice", solved(course))
    course.run("grade")
    path = course.root / "source" / WEEK / NOTEBOOK
    source = nbformat.read(path, as_version=4)
    cell(source, "w99-count-test").source += "\n# checked again"
    nbformat.write(source, path)
    again = course.run("grade")
    assert "recorded in the gradebook" in again.stdout
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        stored = gradebook.find_source_cell("w99-count-test", "01-smoke", WEEK).source
    assert stored.endswith("# checked again")


def test_lms_download_with_zip_archives(course, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with zipfile.ZipFile(downloads / "bulk.zip", "w") as z:
        z.writestr(f"{WEEK}_alice_attempt_2026-11-01-10-00-00_{NOTEBOOK}", nbformat.writes(solved(course)))
        z.writestr(f"../../{WEEK}_mallory_attempt_2026-11-01-10-00-00_{NOTEBOOK}", nbformat.writes(released(course)))
        z.writestr("readme.txt", "hello")
    nbformat.write(released(course), downloads / f"{WEEK}_bob_attempt_2026-11-02-09-00-00_{NOTEBOOK}")
    (downloads / "notes.pdf").write_text("%PDF")
    done = course.run("grade", "--lms", str(downloads), "--week", WEEK)
    scores, _ = grades(course)
    assert scores[("alice", "w99-double-test")] == 2
    assert scores[("mallory", "w99-double-test")] == 0 and scores[("bob", "w99-count-test")] == 0
    assert not (tmp_path / f"{WEEK}_mallory_attempt_2026-11-01-10-00-00_{NOTEBOOK}").exists()
    assert "notes.pdf: not a notebook or a zip archive" in done.stderr


def test_grade_refuses_without_a_sandbox_unless_told_unsafe(course):
    submit(course, "alice", solved(course))
    no_bwrap = os.path.dirname(shutil.which("python3")) + ":" + os.path.dirname(os.sys.executable)
    done = course.run("grade", check=False, env={"PATH": no_bwrap})
    assert done.returncode == 2
    assert "bubblewrap" in done.stderr and "--unsafe" in done.stderr
    assert not (course.root / "gradebook.db").exists() or "alice" not in (course.root / "gradebook.db").read_bytes().decode("latin-1")
    unsafe = course.run("grade", "--unsafe", env={"PATH": no_bwrap})
    assert "WARNING" in unsafe.stderr and grades(course)[0][("alice", "w99-double-test")] == 2


def test_grader_and_library_agree_on_the_record_type():
    """The grader reads records by the MIME type minillm.checks publishes (it names it without importing torch)."""
    from course.grading import execute
    from minillm import checks

    assert execute.RECORD_MIME == checks.RECORD_MIME


def test_cell_limit_and_resume_in_the_sandbox(tmp_path):
    """A cell that ends its process, or runs past the per-cell limit, loses only itself: a fresh sandbox replays the
    cells before it (which together take longer than the limit, and are not mistaken for a hung cell) and runs on."""
    from course.grading import sandbox

    cells = ["import os, time\nx = 1", "time.sleep(2.5)", "time.sleep(2.5)\ny = 2", "os._exit(0)", "print(x + y)",
             "while True:\n    pass", "print('after the loop')"]
    given, produced = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), given)
    timed_out, deaths = sandbox.execute(given, produced, limits=sandbox.Limits(cell_timeout=4, notebook_timeout=300))
    assert (timed_out, deaths) == (False, 1)
    outputs = [cell.outputs for cell in nbformat.read(produced, as_version=4).cells]
    assert outputs[3][0].evalue == "the grading process was killed while this cell ran"
    assert outputs[4][0].text == "3\n"
    assert outputs[5][0].evalue == "the cell ran past its 4 s limit"
    assert outputs[6][0].text == "after the loop\n"


def test_feedback_shows_a_progress_bar_as_a_terminal_would():
    from course.grading.feedback import overwritten

    updates = "\rtraining:   0%|          | 0/2\rtraining:  50%|#####     | 1/2\rtraining: 100%|##########| 2/2\n"
    assert overwritten("loss 1.0\r\n" + updates + "done") == "loss 1.0\ntraining: 100%|##########| 2/2\ndone"
