"""Shared fixtures: a scratch copy of the one-week fixture course, driven through the real `course` CLI."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"


class Course:
    """A course folder of its own (COURSE_ROOT), with `course` run as a subprocess, as an instructor would."""

    def __init__(self, root):
        self.root = root

    def run(self, *args, check=True, env=None):
        environment = {**os.environ, "COURSE_ROOT": str(self.root), **(env or {})}
        done = subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=self.root, env=environment,
                              capture_output=True, text=True, timeout=900)
        if check and done.returncode != 0:
            raise AssertionError(f"course {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done


def make_course(target):
    shutil.copytree(FIXTURE_COURSE, target)
    shutil.copy(REPOSITORY / "course" / "nbgrader_config.py", target / "course" / "nbgrader_config.py")
    return Course(target)


@pytest.fixture(scope="session")
def released_course(tmp_path_factory):
    """The fixture course with its release generated (shared: tests copy it before changing it)."""
    course = make_course(tmp_path_factory.mktemp("fixture") / "course")
    course.run("release")
    return course


@pytest.fixture
def course(released_course, tmp_path):
    """A private copy of the released fixture course."""
    shutil.copytree(released_course.root, tmp_path / "course")
    return Course(tmp_path / "course")
