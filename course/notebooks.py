"""Reading course notebooks: nbgrader cell roles, exercises, and the canonical Colab set-up cell."""

import json
import string
from pathlib import Path

import nbformat

from course import syllabus

SETUP_TEMPLATE = string.Template('''\
# Set-up: on Colab, install the course library with what the notebooks use, and fetch the data; it stops with
# an error that says what failed. Anywhere else this does nothing.
import sys

if "google.colab" in sys.modules:
    import subprocess
    import urllib.request
    from pathlib import Path

    REPO, BRANCH = "https://github.com/$repository", "$branch"
    print("Installing the course library and its notebook extras (about a minute)...")
    # The library accepts any torch, so pip keeps Colab's own CUDA build.
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                          f"llm-from-scratch-minillm[notebooks] @ git+{REPO}@{BRANCH}#subdirectory=lib"],
                         capture_output=True, text=True)
    if pip.returncode != 0:
        raise RuntimeError("Installing the course library failed; run this cell again. pip said:\\n"
                           + pip.stderr[-2000:])
    data = Path("data") / "tinyshakespeare.txt"
    if not data.is_file():
        data.parent.mkdir(exist_ok=True)
        partial = data.with_suffix(".part")
        try:
            urllib.request.urlretrieve(f"{REPO}/raw/{BRANCH}/data/{data.name}", partial)
        except OSError as error:
            raise RuntimeError(f"Downloading the course data failed ({error}); run this cell again.") from None
        partial.rename(data)
    print(f"Ready: the course library and {data}.")''')


def colab_setup_source():
    """The exact text of every notebook's set-up cell, pointing at the repository in the syllabus."""
    data, _ = syllabus.load()
    return SETUP_TEMPLATE.substitute(repository=data["repository"], branch=data["branch"])


class NotebookError(ValueError):
    """A notebook that cannot be read; the message names the file (and cell, where there is one)."""


def read(path):
    """Read a notebook file as nbformat v4, with an error that names the file when it is not one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NotebookError(f"{path}: cannot be read ({error})") from None
    if not text.strip():
        raise NotebookError(f"{path}: the file is empty")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"{path}: not valid JSON ({error})") from None
    except RecursionError:
        raise NotebookError(f"{path}: not a notebook (its JSON is nested too deeply to be read)") from None
    if not isinstance(raw, dict) or "cells" not in raw:
        raise NotebookError(f"{path}: JSON but not a notebook (no 'cells')")
    if raw.get("nbformat") != 4:
        raise NotebookError(f"{path}: nbformat {raw.get('nbformat')!r}; the course uses nbformat 4")
    try:
        return nbformat.reads(text, as_version=4)
    except (Exception, RecursionError) as error:  # nbformat raises several types for malformed structure
        raise NotebookError(f"{path}: malformed notebook ({error})") from None


def meta(cell):
    """The cell's nbgrader metadata ({} for an ordinary cell)."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell):
    return meta(cell).get("grade_id")


def is_solution(cell):
    return cell.cell_type == "code" and bool(meta(cell).get("solution"))


def is_autograded_test(cell):
    m = meta(cell)
    return cell.cell_type == "code" and bool(m.get("grade")) and not m.get("solution")


def is_written_answer(cell):
    m = meta(cell)
    return cell.cell_type == "markdown" and bool(m.get("grade")) and bool(m.get("solution"))


def is_parameters(cell):
    return "parameters" in cell.get("metadata", {}).get("tags", [])


def points(cell):
    return float(meta(cell).get("points") or 0)


def exercises(nb):
    """Map each solution cell's grade id to the grade ids of its autograded test cells.

    An exercise's tests are the autograded test cells between its solution cell and the next one.
    """
    result, current = {}, None
    for cell in nb.cells:
        if is_solution(cell):
            current = grade_id(cell)
            result[current] = []
        elif is_autograded_test(cell) and current is not None:
            result[current].append(grade_id(cell))
    return result
