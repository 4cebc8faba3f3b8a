"""The gradebook must know a week's notebooks and grade cells before grades go in: register it once.

nbgrader records an assignment's notebooks and cells when it generates the assignment. Every `course grade`
run needs them there, but regenerating costs seconds per run, and two graders that share one gradebook (one
per machine, each grading its own share of the students) would regenerate at the same moment and collide.
So ``ensure_assignment`` compares what the gradebook holds with the source notebooks and generates only
when they differ. It looks and generates holding a lock that every grader of that gradebook takes
(PostgreSQL's advisory lock, or for SQLite a lock file beside the database), so the first grader creates
the gradebook's tables and records the week while the others wait, then find it done.
"""

import contextlib
import fcntl
import tempfile
import zlib
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from course import notebooks, release, syllabus

LOCK_KEY = zlib.crc32(b"course grade: register assignment")  # one advisory lock id shared by all graders


def expected_cells(week):
    """{notebook name without .ipynb: {grade id: (points, test source, or None for a student's answer)}}."""
    expected = {}
    (source,) = syllabus.weeks_with_notebooks(week)
    for name in source.notebooks:
        cells = [c for c in notebooks.read(source.source_dir / name).cells if notebooks.meta(c).get("grade")]
        expected[Path(name).stem] = {
            notebooks.grade_id(c): (notebooks.points(c), c.source if notebooks.is_autograded_test(c) else None)
            for c in cells
        }
    return expected


def stored_cells(week, db_url):
    """What the gradebook holds for ``week``, in the shape of ``expected_cells``; {} if it has no such week."""
    from nbgrader.api import Gradebook, MissingEntry

    release.scripts_on_path()
    with Gradebook(db_url) as gradebook:
        try:
            assignment = gradebook.find_assignment(week)
        except MissingEntry:
            return {}
        stored = {}
        for notebook in assignment.notebooks:
            sources = {c.name: c.source for c in notebook.source_cells}
            answers = {c.name for c in notebook.solution_cells}
            stored[notebook.name] = {
                c.name: (c.max_score, None if c.name in answers else sources.get(c.name)) for c in notebook.grade_cells
            }
        return stored


def ensure_assignment(week, db_url):
    """Make the gradebook hold ``week`` as source/ defines it; return True if nbgrader had to (re)generate it."""
    expected = expected_cells(week)
    with _exclusive(db_url):  # even opening a new gradebook writes to it: nbgrader creates its tables then
        if stored_cells(week, db_url) == expected:
            return False
        with tempfile.TemporaryDirectory() as scratch:
            release.generate(week, scratch, db_url)
    return True


@contextlib.contextmanager
def _exclusive(db_url):
    """Hold the registration lock of the gradebook at ``db_url`` (other kinds of database: no lock)."""
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
                try:
                    yield
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        finally:
            engine.dispose()
    elif url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        with open(Path(url.database).with_name(Path(url.database).name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
    else:
        yield
