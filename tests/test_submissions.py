"""Which folder and file names are taken as students: none that could reach outside, or clash with the grader's."""

from pathlib import Path

from course.grading.submissions import from_lms, from_submitted
from course.syllabus import Week

WEEK = Week("week00", "foundations")
NOTEBOOK = "01-autograd.ipynb"


def test_submitted_folders_that_are_not_student_ids_are_problems(tmp_path):
    for student in ["alice", "b.o-b@uni", "_assets", ".hidden", "-rf", "x" * 65]:
        (tmp_path / student / "week00").mkdir(parents=True)
        (tmp_path / student / "week00" / NOTEBOOK).write_text("{}")
    found, problems = from_submitted(tmp_path, [WEEK])
    assert sorted({s.student for s in found}) == ["alice", "b.o-b@uni"]
    assert sorted(p.path.name for p in problems) == sorted(["_assets", ".hidden", "-rf", "x" * 65])


def test_an_lms_name_cannot_make_a_student_of_dot_dot(tmp_path):
    (tmp_path / f"hw_.._attempt_2026-01-01_{NOTEBOOK}").write_text("{}")
    (tmp_path / f"hw_carol_attempt_2026-01-01_{NOTEBOOK}").write_text("{}")
    found, problems = from_lms(tmp_path, WEEK)
    assert {s.student for s in found} == {"carol"}
    assert all(Path(s.path).parent.name == "carol" for s in found if s.path)
    assert len(problems) == 1
