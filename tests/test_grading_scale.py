"""`course grade` at scale: parallel equals serial, a killed run resumes, a shared PostgreSQL gradebook.

Every scenario grades the same eight submissions (honest and wrong ones, built from the fixture release) and
is compared with one uninterrupted serial run: the grades CSV byte for byte and every result file.
"""

import json
import os
import shutil
import subprocess
import sys
import time

import psutil
import pytest

import postgres
from test_grading import WEEK, cell, released, solved, submit

pytestmark = pytest.mark.xdist_group("grading-scale")  # one worker shares the serial run below


def with_answer(course, grade_id, source):
    nb = solved(course)
    cell(nb, grade_id).source = source
    return nb


def submissions(course):
    """Eight submissions: {student: notebook, or text for a broken file}."""
    return {
        "alice": solved(course),
        "bob": with_answer(course, "w99-double", "def double(x):\n    return 3 * x"),
        "carol": with_answer(course, "w99-count", "def count_a(s):\n    return 0"),
        "dave": released(course),
        "erin": with_answer(course, "w99-double-test", "pass  # no tests today"),
        "frank": "{ not json",
        "gina": with_answer(course, "w99-double", "def double(x):\n    raise ValueError('oops')"),
        "hank": solved(course),
    }


def outcome(course, grades_csv=None):
    """What a run leaves: the grades CSV text and every result file, by student."""
    autograded = course.root / "autograded"
    results = {p.parts[-3]: json.loads(p.read_text()) for p in autograded.glob(f"*/{WEEK}/*.result.json")}
    return (grades_csv or autograded / "grades.csv").read_text(), results


def course_grade(course, *args):
    """`course grade` started as a child process, left running."""
    return subprocess.Popen([sys.executable, "-m", "course.cli", "grade", *args], cwd=course.root,
                            env={**os.environ, "COURSE_ROOT": str(course.root)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def submitted(released_course, tmp_path_factory):
    """The released fixture course with the eight submissions in submitted/."""
    course = type(released_course)(tmp_path_factory.mktemp("scale") / "course")
    shutil.copytree(released_course.root, course.root)
    for student, content in submissions(course).items():
        submit(course, student, content)
    return course


@pytest.fixture(scope="module")
def serial(submitted, tmp_path_factory):
    """The reference outcome: one uninterrupted run with one worker."""
    course = type(submitted)(tmp_path_factory.mktemp("serial") / "course")
    shutil.copytree(submitted.root, course.root)
    course.run("grade", "--workers", "1")
    return course, outcome(course)


@pytest.fixture
def fresh(submitted, serial, tmp_path):
    """A private copy of the submitted course, with the solution's reference run already cached (as a second
    run would have it) so that each scenario grades submissions only."""
    course = type(submitted)(tmp_path / "course")
    shutil.copytree(submitted.root, course.root)
    shutil.copytree(serial[0].root / "autograded" / ".reference", course.root / "autograded" / ".reference")
    return course


def test_the_serial_run_grades_every_submission_as_expected(serial):
    text, results = serial[1]
    totals = {student: sum(s["score"] for s in r["scores"]) for student, r in results.items()}
    assert totals == {"alice": 3, "bob": 1, "carol": 2, "dave": 0, "erin": 3, "frank": 0, "gina": 1, "hank": 3}
    assert any("was edited" in f for f in results["erin"]["flags"])
    assert "not valid JSON" in results["frank"]["flags"][0]
    assert len(text.splitlines()) == 1 + 8 * 3  # header, then two tests and a written answer per student


def test_two_workers_grade_exactly_as_one(fresh, serial):
    fresh.run("grade", "--workers", "2")
    assert outcome(fresh) == serial[1]


def test_a_killed_run_resumes_to_the_same_gradebook(fresh, serial):
    process = course_grade(fresh, "--workers", "2")
    results = fresh.root / "autograded"
    deadline = time.monotonic() + 600
    survivors = []
    try:
        while not any(results.glob(f"*/{WEEK}/*.result.json")):
            assert process.poll() is None, f"course grade ended before it was killed:\n{process.communicate()}"
            assert time.monotonic() < deadline, "no notebook was graded in time"
            time.sleep(0.05)
        sandboxes = psutil.Process(process.pid).children(recursive=True)
        process.kill()  # SIGKILL to the grader alone, as the OOM killer would: no clean-up of any kind
        process.communicate()
        _, survivors = psutil.wait_procs(sandboxes, timeout=30)
    finally:
        process.kill()
        for leftover in survivors:
            leftover.kill()
    assert not survivors, "the killed grader's sandboxes went on running"
    done_before = len(list(results.glob(f"*/{WEEK}/*.result.json")))
    assert 1 <= done_before < 8

    resumed = fresh.run("grade")
    assert f"8 submitted notebooks, {done_before} already graded, {8 - done_before} to grade" in resumed.stdout
    assert outcome(fresh) == serial[1]


@pytest.fixture(scope="module")
def postgres_server():
    try:
        with postgres.Server() as server:
            yield server
    except postgres.PostgresUnavailable as error:
        pytest.skip(f"no PostgreSQL server could be started here: {error}")


def test_three_graders_share_one_postgresql_gradebook(fresh, serial, postgres_server, tmp_path):
    """Three machines' worth of graders, started at once on an empty gradebook, each with its own share."""
    from course.grading import report, submissions as found

    url = postgres_server.create_database("gradebook")
    shares = [[s for s in submissions(fresh) if found.in_shard(s, (k, 3))] for k in (1, 2, 3)]
    assert sorted(sum(shares, [])) == sorted(submissions(fresh)) and all(shares)  # each student in one share

    graders = [course_grade(fresh, "--db", url, "--workers", "1", "--shard", f"{k}/3") for k in (1, 2, 3)]
    try:
        outputs = [process.communicate(timeout=600) for process in graders]
    finally:
        for process in graders:
            process.kill()
    for process, share, (out, err) in zip(graders, shares, outputs):
        assert process.returncode == 0, f"{out}\n{err}"
        assert f"{len(share)} submitted notebooks, 0 already graded" in out
    # the assignment was registered once, by whichever grader took the lock first
    assert sum("recorded in the gradebook" in out for out, _ in outputs) == 1
    report.write_grades_csv(url, tmp_path / "all.csv")
    assert outcome(fresh, tmp_path / "all.csv") == serial[1]


def test_shard_argument_is_checked(fresh):
    for bad in ("0/3", "4/3", "two", "1/0"):
        refused = fresh.run("grade", "--shard", bad, check=False)
        assert refused.returncode == 2 and "--shard: a shard is K/N" in refused.stderr
