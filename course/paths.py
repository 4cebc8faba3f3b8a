"""Where things live. The course folders hang off ``ROOT`` (the repository, or $COURSE_ROOT for a course kept
elsewhere, as the tests do); the library and the data always come from this repository."""

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("COURSE_ROOT") or REPOSITORY).resolve()
COURSE = ROOT / "course"  # syllabus.toml and nbgrader_config.py
SOURCE = ROOT / "source"
RELEASE = ROOT / "release"
AUTOGRADED = ROOT / "autograded"
SUBMITTED = ROOT / "submitted"
FEEDBACK = ROOT / "feedback"
BUILD = ROOT / "build"
GRADEBOOK_URL = f"sqlite:///{ROOT / 'gradebook.db'}"
LIB = REPOSITORY / "lib"
DATA = REPOSITORY / "data"
