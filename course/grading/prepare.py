"""Build the notebook that goes into the sandbox from a submission and the instructor's source.

Trusted step. Every cell the course owns (read-only cells and autograded tests, hidden tests included) is
restored from the source by grade id, whatever the submission did to it; the student's own answer cells keep
their text but get the source's metadata back, so a cell cannot change its role. What could not be matched is
reported as a flag and scores nothing.
"""

import copy
from dataclasses import dataclass, field

import nbformat

from course import notebooks

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


@dataclass
class Prepared:
    notebook: nbformat.NotebookNode
    flags: list = field(default_factory=list)  # (grade_id or None, message)
    missing: set = field(default_factory=set)  # grade ids of source cells absent from the submission


def prepare(source, release, submission):
    """Return a Prepared notebook: ``submission`` with the course's cells restored from ``source``.

    ``release`` is the student version of the same notebook, used to tell whether a test cell was edited.
    """
    source_cells = {notebooks.grade_id(c): c for c in source.cells if notebooks.grade_id(c)}
    released_text = {notebooks.grade_id(c): c.source for c in release.cells if notebooks.grade_id(c)}
    result = Prepared(nbformat.v4.new_notebook(metadata={"kernelspec": dict(KERNELSPEC)}))
    seen = set()
    for cell in submission.cells:
        cell = copy.deepcopy(cell)
        if not _well_formed(cell):
            result.flags.append((None, "a cell's nbgrader metadata is malformed; it was graded as an ordinary cell"))
            result.notebook.cells.append(_plain(cell))
            continue
        gid = notebooks.grade_id(cell)
        if gid is None:
            result.notebook.cells.append(_plain(cell))
            continue
        if gid in seen or gid not in source_cells:
            why = "appears twice" if gid in seen else "is not a cell of this assignment (renamed?)"
            result.flags.append((gid, f"cell {gid!r} {why}; it was graded as an ordinary cell"))
            result.notebook.cells.append(_plain(cell))
            continue
        seen.add(gid)
        original = source_cells[gid]
        if original.cell_type != cell.cell_type:
            result.flags.append((gid, f"cell {gid!r} was changed from {original.cell_type} to {cell.cell_type}"))
            result.missing.add(gid)
            continue
        if notebooks.meta(original).get("locked"):
            if notebooks.is_autograded_test(original) and cell.source != released_text.get(gid, cell.source):
                result.flags.append((gid, f"test cell {gid!r} was edited; the original tests were run"))
            cell = copy.deepcopy(original)
        else:
            cell.metadata["nbgrader"] = copy.deepcopy(original.metadata["nbgrader"])
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        result.notebook.cells.append(cell)
    for gid, original in source_cells.items():
        if gid not in seen and gid not in result.missing:
            result.missing.add(gid)
            result.flags.append((gid, f"cell {gid!r} is missing from the submission (deleted or renamed)"))
    return result


def _well_formed(cell):
    """Whether the cell's nbgrader metadata, if it has any, is a dict whose grade id (if any) is a string."""
    nbgrader = cell.metadata.get("nbgrader") or {}
    return isinstance(nbgrader, dict) and isinstance(nbgrader.get("grade_id", ""), str)


def _plain(cell):
    """A cell the course does not own: no nbgrader role, no outputs."""
    cell.get("metadata", {}).pop("nbgrader", None)
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    return cell
