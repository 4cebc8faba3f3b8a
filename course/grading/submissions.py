"""Finding submissions: nbgrader's ``submitted/<student>/<week>/`` layout, or files downloaded from an LMS.

LMS downloads follow nbgrader's zip_collect conventions: zip archives and loose files whose names carry the
student id and the notebook name, read with nbgrader's FileNameCollectorPlugin and its ``named_regexp``
(by default ``LMS_PATTERN``, Blackboard's names). Archives are hostile
input too: only plain ``.ipynb`` members are taken, by base name, up to a size limit.
"""

import hashlib
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from nbgrader.plugins.zipcollect import FileNameCollectorPlugin

MAX_NOTEBOOK_BYTES = 32 * 2**20
# A letter or digit first: "..", ".hidden" and "_assets" (the feedback pages' shared folder) are never students.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
# Blackboard's download names: <assignment>_<student>_attempt_<timestamp>_<notebook>.ipynb
LMS_PATTERN = r"^(?:.*_)?(?P<student_id>[A-Za-z0-9.@-]+)_attempt_(?P<timestamp>[0-9-]+)_(?P<file_id>.+\.ipynb)$"


@dataclass(frozen=True)
class Submission:
    student: str
    week: str
    notebook: str  # the notebook's name in the assignment, e.g. 01-autograd.ipynb
    path: Path | None  # None: the student submitted nothing under this name


@dataclass(frozen=True)
class Problem:
    """A file that could not be taken as a submission, with the reason."""

    path: Path
    reason: str


def from_submitted(root, weeks):
    """Submissions in ``root/<student>/<week>/<notebook>``, one per expected notebook of each week present."""
    found, problems = [], []
    for student_dir in sorted(p for p in Path(root).iterdir() if p.is_dir()) if Path(root).is_dir() else []:
        if not STUDENT_ID.match(student_dir.name):
            problems.append(Problem(student_dir, "not a valid student id"))
            continue
        for week in weeks:
            week_dir = student_dir / week.id
            if week_dir.is_dir():
                found += _match(student_dir.name, week, list(week_dir.glob("*.ipynb")), problems)
    return found, problems


def parse_shard(text):
    """"K/N" (1 <= K <= N) -> (K, N): the K-th of N shares of the students."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise ValueError(f"a shard is K/N with 1 <= K <= N, e.g. 2/3; got {text!r}")
    return int(k), int(n)


def in_shard(student, shard):
    """Whether ``student`` is in ``shard`` = (K, N). The split hashes the student id, so machines that see
    different folders still agree, and each student lands in exactly one share."""
    k, n = shard
    return int.from_bytes(hashlib.sha256(student.encode()).digest()[:8], "big") % n == k - 1


def from_lms(folder, week, named_regexp=LMS_PATTERN):
    """Submissions for one week from an LMS download folder (zip archives and/or loose notebooks).

    The notebooks are copied to a fresh temporary folder, one sub-folder per student.
    """
    collector = FileNameCollectorPlugin(named_regexp=named_regexp)
    scratch = Path(tempfile.mkdtemp(prefix="lms-"))
    problems, by_student = [], {}
    for path in _lms_files(Path(folder), scratch / "unzipped", problems):
        info = collector.collect(path.name)
        if not info or not STUDENT_ID.match(info.get("student_id", "")):
            problems.append(Problem(path, f"file name does not match the pattern {collector.named_regexp!r}"))
            continue
        kept = scratch / "by-student" / info["student_id"] / Path(info["file_id"]).name
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, kept)
        by_student.setdefault(info["student_id"], []).append(kept)
    found = []
    for student, files in sorted(by_student.items()):
        found += _match(student, week, files, problems)
    return found, problems


def _lms_files(folder, scratch, problems):
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.suffix == ".zip":
            yield from _unzip(path, scratch / path.stem, problems)
        elif path.suffix == ".ipynb":
            yield path
        else:
            problems.append(Problem(path, "not a notebook or a zip archive"))


def _unzip(archive, target, problems):
    try:
        with zipfile.ZipFile(archive) as z:
            for member in z.infolist():
                name = Path(member.filename).name
                if member.is_dir() or not name.endswith(".ipynb"):
                    continue
                if member.file_size > MAX_NOTEBOOK_BYTES:
                    problems.append(Problem(archive, f"{name}: larger than {MAX_NOTEBOOK_BYTES} bytes"))
                    continue
                target.mkdir(parents=True, exist_ok=True)
                out = target / name
                with z.open(member) as src, open(out, "wb") as dst:
                    dst.write(src.read(MAX_NOTEBOOK_BYTES + 1)[:MAX_NOTEBOOK_BYTES])
                yield out
    except (zipfile.BadZipFile, OSError) as error:
        problems.append(Problem(archive, f"not a readable zip archive ({error})"))


def _match(student, week, files, problems):
    """One Submission per notebook the week expects; unexpected names are problems, absent ones path=None."""
    by_name = {}
    for f in files:
        if f.name in week.notebooks:
            by_name[f.name] = f
        else:
            problems.append(Problem(f, f"unexpected file name for {week.id}; expected {', '.join(week.notebooks)}"))
    return [Submission(student, week.id, name, by_name.get(name)) for name in week.notebooks]
