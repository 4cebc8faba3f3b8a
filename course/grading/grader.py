"""Grade many submissions: in parallel, into nbgrader's gradebook, resumable after a kill.

Workers (threads, each driving one sandbox process) grade notebooks; this module's caller thread alone
writes the gradebook, one submission notebook per transaction, so writes are serialised and the result
does not depend on the number of workers. After a notebook's grades are committed, a small result file
records the submission's hash: a second run skips what is already graded (``force`` re-grades), and a run
killed half way grades the rest, with no duplicates (nbgrader's update_or_create) and nothing lost.
"""

import hashlib
import json
import os
import queue
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import nbformat

from course import paths
from course.grading import feedback, sandbox
from course.grading.autograde import Executor, failed, grade_notebook, reference_runs
from course.grading.gradebook import ensure_assignment

warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's own SQLAlchemy 2 chatter


def grade(submissions, *, db_url=paths.GRADEBOOK_URL, workers=None, isolated=True, force=False,
          autograded_dir=paths.AUTOGRADED, feedback_dir=paths.FEEDBACK, limits=sandbox.Limits(), progress=print):
    """Grade ``submissions`` (course.grading.submissions.Submission); return their NotebookResults."""
    from nbgrader.api import Gradebook

    workers = workers or os.cpu_count() or 1
    executor = Executor(isolated=isolated, limits=limits)
    weeks = sorted({s.week for s in submissions})
    for week in weeks:
        if ensure_assignment(week, db_url):
            progress(f"{week}: notebooks and grade cells recorded in the gradebook")
    todo = [s for s in submissions if force or not _already_graded(s, autograded_dir)]
    progress(f"{len(submissions)} submitted notebooks, {len(submissions) - len(todo)} already graded, "
             f"{len(todo)} to grade with {workers} workers")
    slots = queue.Queue()  # sandbox slots: each worker thread runs one sandbox at a time, with its own user
    for slot in range(workers):
        slots.put(slot)

    def in_slot(run, *args):
        slot = slots.get()
        try:
            return run(*args, slot)
        finally:
            slots.put(slot)

    def work(submission):
        reference = references[(submission.week, submission.notebook)]
        try:
            return in_slot(grade_notebook, submission, reference, executor)
        except Exception as error:  # a grader bug must not stop the others: this one is left to a person
            return failed(submission, f"the grader failed on this notebook ({type(error).__name__}: {error}); "
                                      "grade it by hand")

    results = []
    with Gradebook(db_url) as gradebook, ThreadPoolExecutor(max_workers=workers) as pool:
        needed = sorted({(s.week, s.notebook) for s in todo})  # the solutions' runs first, side by side
        references = dict(zip(needed, pool.map(lambda key: in_slot(reference_runs, *key, executor), needed)))
        for future in as_completed([pool.submit(work, s) for s in todo]):
            result = future.result()
            _store(result, gradebook, autograded_dir, feedback_dir)
            results.append(result)
            progress(f"  {result.student} {result.week}/{result.notebook}: "
                     f"{result.total:g}/{sum(s.max_score for s in result.scores):g}"
                     + (f"  [{len(result.flags)} flag(s)]" if result.flags else ""))
    return results


def _result_path(autograded_dir, student, week, notebook):
    return Path(autograded_dir) / student / week / f"{notebook}.result.json"


def _already_graded(submission, autograded_dir):
    path = _result_path(autograded_dir, submission.student, submission.week, submission.notebook)
    if submission.path is None or not path.is_file():
        return False
    digest = hashlib.sha256(Path(submission.path).read_bytes()).hexdigest()
    return json.loads(path.read_text()).get("submission_hash") == digest


def _store(result, gradebook, autograded_dir, feedback_dir):
    """Write one notebook's grades (one transaction), its graded notebook, feedback and result file."""
    notebook_id = Path(result.notebook).stem
    gradebook.update_or_create_student(result.student)
    gradebook.update_or_create_submission(result.week, result.student)
    for score in result.scores:
        grade = gradebook.find_grade(score.grade_id, notebook_id, result.week, result.student)
        grade.auto_score = score.score
    gradebook.db.commit()
    folder = Path(autograded_dir) / result.student / result.week
    folder.mkdir(parents=True, exist_ok=True)
    if result.graded is not None:
        nbformat.write(result.graded, folder / result.notebook)
    feedback.write(result, Path(feedback_dir) / result.student / result.week / f"{notebook_id}.html",
                   assets=Path(feedback_dir) / feedback.ASSETS)
    record = {"submission_hash": result.submission_hash, "flags": result.flags,
              "scores": [vars(s) for s in result.scores]}
    path = _result_path(autograded_dir, result.student, result.week, result.notebook)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=1))
    os.replace(tmp, path)
