"""Where things live. The course folders hang off ``ROOT``: $COURSE_ROOT when set (a course kept elsewhere, as
the tests do), else the course checkout the command runs in, the nearest folder at or above the working
directory that holds ``course/syllabus.toml``. The library and the data come from the checkout this code was
installed from (``REPOSITORY``), the ones the Python running it imports."""

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
MARKER = Path("course") / "syllabus.toml"


class NotACourseCheckout(RuntimeError):
    """The command was run outside any course checkout, with no $COURSE_ROOT."""


def find_root(start=None):
    """$COURSE_ROOT, else the nearest folder at or above ``start`` (default: the working directory) holding
    course/syllabus.toml. Raises NotACourseCheckout when there is none."""
    if os.environ.get("COURSE_ROOT"):
        return Path(os.environ["COURSE_ROOT"]).resolve()
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise NotACourseCheckout(f"{here} is not inside a course checkout (no {MARKER} in it or any folder above it): "
                             "cd into the course repository, or set COURSE_ROOT to it")


LIB = REPOSITORY / "lib"
DATA = REPOSITORY / "data"
try:
    ROOT = find_root()
except NotACourseCheckout as error:
    _outside = error  # the course folders below are then undefined: using one raises this error
else:
    COURSE = ROOT / "course"  # syllabus.toml and nbgrader_config.py
    SOURCE = ROOT / "source"
    RELEASE = ROOT / "release"
    AUTOGRADED = ROOT / "autograded"
    SUBMITTED = ROOT / "submitted"
    FEEDBACK = ROOT / "feedback"
    BUILD = ROOT / "build"
    GRADEBOOK_URL = f"sqlite:///{ROOT / 'gradebook.db'}"


def __getattr__(name):
    if "_outside" in globals():
        raise globals()["_outside"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
