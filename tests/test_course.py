"""The real course: every source notebook runs in tiny mode, the release is sound, the round trip holds."""

import pytest

from course import release, syllabus
from course.run import execute
from course.selftest import format_table, selftest

WEEKS = syllabus.weeks_with_notebooks()
NOTEBOOKS = [(w.id, name) for w in WEEKS for name in w.notebooks]


@pytest.mark.parametrize("week,notebook", NOTEBOOKS)
def test_source_notebook_runs_in_tiny_mode_with_its_tests_passing(week, notebook, tmp_path):
    execute(week, notebook, full=False, output_path=tmp_path / notebook)  # papermill raises on a failing cell


def test_release_is_what_source_generates_and_leaks_nothing():
    assert release.check() == []


@pytest.mark.parametrize("week", [w.id for w in WEEKS])
def test_selftest_solution_full_blank_zero_variants_lose(week):
    rows, problems = selftest(week, progress=lambda _: None)
    assert rows, f"{week} has no autograded test cells"
    assert not problems, format_table(rows) + "\n" + "\n".join(problems)
