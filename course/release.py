"""Building the student release from source/ with nbgrader, and checking that it is sound.

``validate`` reads a week's source notebooks for mistakes nbgrader would not catch; ``generate`` runs
nbgrader's generate_assignment into any folder; ``check`` regenerates into a scratch folder and compares
with the committed release/, and looks for solution or hidden-test text that leaked.
"""

import ast
import filecmp
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from course import attachments, notebooks, paths, syllabus

SOLUTION = re.compile(r"### BEGIN SOLUTION(.*?)### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)


class ReleaseError(Exception):
    """The release cannot be built; the message lists each problem with its file and cell."""


def scripts_on_path():
    """nbgrader runs `alembic`, installed beside this Python, as a command (each Gradebook does): let PATH find it."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"


def nbgrader_config(release_dir=None, db_url=None):
    """The course's nbgrader Config, optionally releasing into another folder or another gradebook."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(paths.COURSE)).load_config()
    if release_dir is not None:
        config.CourseDirectory.release_directory = str(release_dir)
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    return config


def validate(week):
    """Problems in one week's source notebooks, each naming the file and the cell."""
    problems, ids_seen = [], {}
    setup_text = notebooks.colab_setup_source()
    for name in week.notebooks:
        path = paths.SOURCE / week.id / name
        try:
            nb = notebooks.read(path)
        except notebooks.NotebookError as error:
            problems.append(str(error))
            continue
        rel = path.relative_to(paths.ROOT)
        parameters = [i for i, c in enumerate(nb.cells) if notebooks.is_parameters(c)]
        if len(parameters) != 1:
            problems.append(f"{rel}: needs exactly one cell tagged 'parameters' (found {len(parameters)})")
        if not any(c.cell_type == "code" and c.source == setup_text for c in nb.cells[:3]):
            problems.append(f"{rel}: the Colab set-up cell is missing or differs from "
                            "course.notebooks.colab_setup_source()")
        imported = set().union(*(_imports(c.source) for c in nb.cells if c.cell_type == "code"))
        for index, cell in enumerate(nb.cells):
            meta = notebooks.meta(cell)
            if not meta:
                if SOLUTION.search(cell.source) or HIDDEN.search(cell.source):
                    problems.append(f"{rel}: cell {index} has solution/hidden-test markers but no nbgrader role")
                continue
            where = f"{rel}: cell {index}"
            gid = meta.get("grade_id")
            if not gid:
                problems.append(f"{where}: nbgrader cell without a grade_id")
                continue
            where += f" ({gid})"
            if gid in ids_seen:
                problems.append(f"{where}: duplicate grade_id, also used in {ids_seen[gid]}")
            ids_seen[gid] = f"{rel}: cell {index}"
            if meta.get("grade") and not notebooks.points(cell) > 0:
                problems.append(f"{where}: a graded cell needs points > 0")
            if notebooks.is_solution(cell) and not SOLUTION.search(cell.source):
                problems.append(f"{where}: a solution cell needs ### BEGIN SOLUTION / ### END SOLUTION")
            if notebooks.is_autograded_test(cell):
                if not meta.get("locked"):
                    problems.append(f"{where}: an autograded test cell must be locked")
                for name in sorted(_top_level_bindings(cell.source) & imported):
                    problems.append(f"{where}: the test rebinds {name!r}, which the notebook imports: the cells "
                                    "after it would see the test's value instead; give the test's variable another name")
                hidden = "".join(HIDDEN.findall(cell.source))
                if "record_" not in hidden or "check_" in hidden:
                    problems.append(f"{where}: hidden tests must use record_close/record_equal (and no check_*), "
                                    "so that no expected value is computed where student code can see it")
    return problems + attachments.problems(week)


def _statements(source):
    """The top-level statements of a cell's code (none when it is not plain Python)."""
    try:
        return ast.parse(source).body
    except SyntaxError:
        return []


def _imports(source):
    """Names a cell binds at top level by import (``from minillm import data`` binds ``data``)."""
    return {(alias.asname or alias.name).split(".")[0] for node in _statements(source)
            if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}


def _top_level_bindings(source):
    """Names a cell assigns at top level (loops and with-blocks included; not inside functions or classes)."""
    names, todo = set(), list(_statements(source))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp,
                             ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        todo.extend(ast.iter_child_nodes(node))
    return names


def generate(week_id, release_dir, db_url):
    """Run nbgrader's generate_assignment for one week into ``release_dir``, recording it in ``db_url``."""
    from nbgrader.apps import NbGraderAPI

    scripts_on_path()
    api = NbGraderAPI(config=nbgrader_config(release_dir, db_url))
    outcome = api.generate_assignment(week_id, force=True, create=True)
    if not outcome["success"]:
        raise ReleaseError(f"nbgrader could not generate {week_id}:\n{outcome.get('error') or outcome.get('log')}")


def release(week_id=None):
    """Validate and regenerate release/ for one week or every week that has notebooks."""
    weeks = syllabus.weeks_with_notebooks(week_id)
    problems = [p for w in weeks for p in validate(w)]
    if problems:
        raise ReleaseError("\n".join(problems))
    for week in weeks:
        generate(week.id, paths.RELEASE, paths.GRADEBOOK_URL)
    return weeks


def check():
    """Every problem with source/ and release/: validation, drift, leaks, stray files. Empty when sound."""
    weeks = syllabus.weeks_with_notebooks()
    problems = [p for w in weeks for p in validate(w)]
    if problems:
        return problems
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "release"
        for week in weeks:
            generate(week.id, fresh, f"sqlite:///{scratch}/gradebook.db")
        problems += _compare_trees(fresh, paths.RELEASE)
    for week in weeks:
        problems += _leaks(week)
    return problems


def _compare_trees(fresh, committed):
    problems = []
    fresh_files = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    committed_files = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()} if committed.exists() else set()
    for rel in sorted(fresh_files - committed_files):
        problems.append(f"release/{rel}: missing; run `course release`")
    for rel in sorted(committed_files - fresh_files):
        problems.append(f"release/{rel}: not generated from source/; remove it or run `course release`")
    for rel in sorted(fresh_files & committed_files):
        a, b = fresh / rel, committed / rel
        same = _same_notebook(a, b) if rel.suffix == ".ipynb" else filecmp.cmp(a, b, shallow=False)
        if not same:
            problems.append(f"release/{rel}: differs from what source/ generates; run `course release`")
    return problems


def _same_notebook(a, b):
    try:
        return json.loads(a.read_text()) == json.loads(b.read_text())
    except ValueError:
        return False


def _leaks(week):
    """Solution or hidden-test lines of the source that appear in the release."""
    problems = []
    for name in week.notebooks:
        released = paths.RELEASE / week.id / name
        if not released.exists():
            continue
        text = released.read_text()
        if "BEGIN SOLUTION" in text or "BEGIN HIDDEN TESTS" in text or "BEGIN MARK SCHEME" in text:
            problems.append(f"release/{week.id}/{name}: contains solution or hidden-test markers")
        source = notebooks.read(paths.SOURCE / week.id / name)
        released_lines = {line.strip() for cell in notebooks.read(released).cells for line in cell.source.splitlines()}
        for index, cell in enumerate(source.cells):
            for region in SOLUTION.findall(cell.source) + HIDDEN.findall(cell.source):
                for line in region.splitlines():
                    if _telling(line) and line.strip() in released_lines:
                        problems.append(f"release/{week.id}/{name}: line from cell {index}'s solution or hidden "
                                        f"tests appears in the release: {line.strip()[:80]!r}")
    return problems


def _telling(line):
    """A line specific enough that finding it in the release means a leak (not `return x` or `pass`)."""
    stripped = line.strip()
    return len(stripped) >= 25 and not stripped.startswith("#")
