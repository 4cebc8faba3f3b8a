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


def test_feedback_shows_visible_tests_and_hidden_checks_messages_but_never_hidden_code(course):
    wrong = solved(course)
    cell(wrong, "w99-double").source = "def double(x):\n    return 3 * x"
    submit(course, "zoe", wrong)
    wrong_on_a_hidden_case = solved(course)
    cell(wrong_on_a_hidden_case, "w99-double").source = "def double(x):\n    return 2 * x if len(x) == 4 else x"
    submit(course, "yan", wrong_on_a_hidden_case)
    course.run("grade")
    page = (course.root / "feedback" / "zoe" / WEEK / "01-smoke.html").read_text()
    assert "Autograded score: 1 / 3" in page
    assert "double(x) should be 2x" in page  # the visible test and its message
    assert "largest difference 2.18 at index 2: got -6.53637, expected -4.35758" in page  # the worst element and where
    assert "arange" not in page and "HIDDEN" not in page
    page = (course.root / "feedback" / "yan" / WEEK / "01-smoke.html").read_text()
    assert "check 2 of the cell (hidden: arange doubled): your value differs from the solution&#x27;s" in page
    assert "torch.arange" not in page and "HIDDEN" not in page
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


HIDDEN_BLOCK = ('record_close(double(torch.arange(5.0)), "hidden: arange doubled")\n'
                'record_equal(str(double(torch.ones(2, dtype=torch.int64)).dtype), "hidden: ints stay ints")\n')


def redaction_notebooks():
    """(source, release) of a one-test notebook whose hidden tests are HIDDEN_BLOCK."""
    meta = {"nbgrader": {"grade": True, "grade_id": "t", "locked": True, "points": 1, "schema_version": 3,
                         "solution": False}}
    visible = 'torch.manual_seed(0)\nx = torch.randn(4)\ncheck_close(double(x), 2 * x, "double(x) should be 2x")\n'
    source = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        visible + "### BEGIN HIDDEN TESTS\n" + HIDDEN_BLOCK + "### END HIDDEN TESTS", metadata=meta)])
    release = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(visible, metadata=meta)])
    return source, release


def printed(*texts):
    """A notebook whose cells printed ``texts``, one cell each."""
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "", outputs=[nbformat.v4.new_output("stream", name="stdout", text=t)]) for t in texts])


def _disguises():
    import base64
    import codecs
    import html
    import urllib.parse
    import zlib

    s = HIDDEN_BLOCK
    b64 = base64.b64encode(s.encode()).decode()
    return {
        "plain": [s], "reversed": [s[::-1]], "base64": [b64],
        "base64 of the reversed text": [base64.b64encode(s[::-1].encode()).decode()],
        "base64 with line breaks": [base64.encodebytes(s.encode()).decode()],
        "base64 after a label": ["payload: xyz" + b64],
        "url-safe base64": [base64.urlsafe_b64encode(s.encode()).decode()],
        "base64 of zlib": [base64.b64encode(zlib.compress(s.encode())).decode()], "hex": [s.encode().hex()],
        "rot13": [codecs.encode(s, "rot13")], "url quoted": [urllib.parse.quote(s)],
        "character codes": [str([ord(c) for c in s])], "spaced out": [" ".join(s)], "upper case": [s.upper()],
        "one character per HTML tag": ["".join(f"<b>{c}</b>" for c in s)], "HTML escaped": [html.escape(s)],
        "backslash escapes": ["".join(f"\\x{ord(c):02x}" for c in s)],
        "one line": [s.splitlines()[1]], "one line at a time": s.splitlines(),
        "split across two cells": [s[:40], s[40:]], "base64 split across cells": [b64[:30], b64[30:]],
        "in a file name": [str(["notes.txt", base64.urlsafe_b64encode(s.splitlines()[0].encode()).decode()])],
    }


DISGUISES = _disguises()


def test_redaction_finds_hidden_tests_in_every_disguise():
    from course.grading.redact import WITHHELD, Hidden

    hidden = Hidden(*redaction_notebooks())
    for name, texts in DISGUISES.items():
        nb = printed("loss 1.23\n", *texts)
        assert hidden.redact(nb), name
        notice = {"output_type": "stream", "name": "stderr", "text": WITHHELD}
        assert [c.outputs for c in nb.cells] == [[notice]] * len(nb.cells), name


def test_redaction_finds_hidden_tests_in_errors_displays_and_reasons():
    from course.grading.redact import WITHHELD_REASON, Hidden

    hidden = Hidden(*redaction_notebooks())
    error = nbformat.v4.new_output("error", ename="ValueError", evalue=repr(HIDDEN_BLOCK), traceback=[])
    html_display = nbformat.v4.new_output("display_data", data={"text/html": f"<pre>{HIDDEN_BLOCK}</pre>",
                                                                 "text/plain": "<HTML object>"})
    metadata = nbformat.v4.new_output("display_data", data={"text/plain": "x"}, metadata={HIDDEN_BLOCK[:40]: 1})
    for output in (error, html_display, metadata):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[output])])
        assert hidden.redact(nb), output
    assert hidden.clean(f"ValueError: {HIDDEN_BLOCK[::-1]}") == WITHHELD_REASON
    assert hidden.clean("KeyError: 'step'") == "KeyError: 'step'"


def test_redaction_leaves_honest_outputs_alone():
    """Training logs, tensors, the visible tests, the hidden checks' messages and a traceback that quotes a
    hidden line (an honest error inside a hidden test) are no leak; the traceback's hidden line is replaced."""
    from course.grading.redact import WITHHELD_LINE, Hidden

    source, release = redaction_notebooks()
    hidden = Hidden(source, release)
    honest = printed("step 10: loss 2.3012\n", "tensor([0., 2., 4., 6., 8.])\n", release.cells[0].source,
                     "hidden: arange doubled\nhidden: ints stay ints", "torch.int64 float64 double arange ones",
                     "".join(map(str, range(10_000))))
    line = HIDDEN_BLOCK.splitlines()[0]
    traceback = ["KeyError Traceback (most recent call last)", f"----> 6 {line}", "KeyError: 'step'"]
    honest.cells.append(nbformat.v4.new_code_cell("", outputs=[
        nbformat.v4.new_output("error", ename="KeyError", evalue="'step'", traceback=traceback)]))
    before = [c.outputs[0].get("text") for c in honest.cells[:-1]]
    assert not hidden.redact(honest)
    assert [c.outputs[0].get("text") for c in honest.cells[:-1]] == before
    assert honest.cells[-1].outputs[0]["traceback"] == [traceback[0], WITHHELD_LINE, traceback[2]]


def test_reasons_name_the_check_in_its_own_words():
    """A difference names the check by the solution's message (the student's record could say anything); a
    visible check also shows both values; a hidden one never shows the solution's value; an error names the check
    that was running."""
    from course.grading.verdict import CellRun, judge

    tolerances = {"atol": 1e-6, "rtol": 1e-5}
    visible = {"kind": "close", "value": {"shape": [2], "data": [2.0, 4.0]}, "message": "double(x) should be 2x",
               **tolerances}
    hidden = {"kind": "close", "value": {"shape": [7], "data": [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]},
              "message": "hidden: arange doubled", "hidden": True, **tolerances}
    reference = CellRun(ran=True, records=[visible, hidden])
    forged = {**hidden, "value": {"shape": [7], "data": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}, "message": "nothing"}
    assert judge(CellRun(ran=True, records=[visible, forged]), reference) == (
        False, "check 2 of the cell (hidden: arange doubled): your value differs from the solution's")
    off = {**visible, "value": {"shape": [2], "data": [2.0, 5.0]}}
    assert judge(CellRun(ran=True, records=[off, hidden]), reference) == (
        False, "check 1 of the cell (double(x) should be 2x) passed in your notebook but not under the grader: "
               "your value shape [2] [2, 5], the solution's shape [2] [2, 4]")
    assert judge(CellRun(ran=True, error="KeyError: 'step'", records=[visible], checked=1), reference) == (
        False, "KeyError: 'step' (while checking: hidden: arange doubled)")
    assert judge(CellRun(ran=True, error="AssertionError: double(x) should be 2x", records=[off], checked=1),
                 reference) == (False, "AssertionError: double(x) should be 2x")
    assert judge(CellRun(ran=True, error="NameError: x", records=[visible, hidden], checked=2), reference) == (
        False, "NameError: x (raised after the cell's last check)")
    assert judge(CellRun(ran=True, records=[visible, hidden]), reference) == (True, "passed")


def test_redaction_takes_the_solutions_messages_as_public():
    """A message built by an f-string reads, filled in, like the code around it; the solution's run publishes
    it, so it is no leak; the code itself still is."""
    from course.grading.redact import Hidden

    source, release = redaction_notebooks()
    block = ('for block_size in (5, 6):\n    rows = pack(hidden_documents, block_size, 500)\n'
             '    record_equal(rows, f"hidden: rows of documents, block_size {block_size}")\n')
    source.cells[0].source = source.cells[0].source.replace(HIDDEN_BLOCK, block)
    message = "hidden: rows of documents, block_size 5"
    assert Hidden(source, release).redact(printed(message))
    assert not Hidden(source, release, [message]).redact(printed(message))
    assert Hidden(source, release, [message]).redact(printed(block))


def test_gloo_processes_in_the_sandbox(tmp_path):
    """Week 11's multi-process exercises under the grader: forked gloo ranks meet on the sandbox's private
    loopback (bwrap --unshare-net brings up lo), the system-call filter lets them fork and talk, a failing rank
    is named, and a process a cell leaves behind is killed after that cell without breaking the next launch."""
    from course.grading import sandbox

    cells = ["import time, multiprocessing, torch, torch.distributed as dist\nfrom minillm.distributed import launch",
             "def total(rank, world_size):\n    t = torch.tensor([rank + 1.0])\n    dist.all_reduce(t)\n    return t.item()\n"
             "print(launch(total, 2, timeout=30))",
             "def fails(rank, world_size):\n    if rank == 1:\n        raise KeyError('on purpose')\n    dist.barrier()\n"
             "try:\n    launch(fails, 2, timeout=30)\nexcept RuntimeError as error:\n    print(str(error).splitlines()[0])",
             "stray = multiprocessing.get_context('fork').Process(target=time.sleep, args=(300,))\nstray.start()",
             "print(stray.is_alive(), launch(total, 2, timeout=30))"]
    given, produced = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), given)
    timed_out, deaths = sandbox.execute(given, produced, limits=sandbox.Limits(cell_timeout=40, notebook_timeout=200))
    assert (timed_out, deaths) == (False, 0)
    outputs = [cell.outputs for cell in nbformat.read(produced, as_version=4).cells]
    texts = ["".join(o.get("text", "") for o in out if o.output_type == "stream" and o.name == "stdout") for out in outputs]
    assert texts[1] == "[3.0, 3.0]\n"
    assert texts[2] == "rank 1 raised:\n"
    assert texts[4] == "False [3.0, 3.0]\n"
