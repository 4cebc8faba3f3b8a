"""The environment: the pins agree (requirements.txt, environment.yml, binder/), torch stays pinned, the course's
distributions have names of their own, the Colab set-up cell works for real, and `course` works on the checkout
it is run in."""

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import nbformat
import pytest

from course import notebooks

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_.\[\]-]+)==([^\s#]+)")


def pins(path):
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def test_requirements_pin_every_package_the_course_needs():
    required = {"jupyterlab", "torch", "numpy", "nbgrader", "papermill", "nbval", "ipywidgets", "bertviz",
                "plotly", "datasets", "pytest"}
    assert required <= set(pins(ROOT / "requirements.txt"))
    unpinned = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#") and "==" not in line]
    assert not unpinned, f"requirements.txt lines without an exact pin: {unpinned}"


def test_torch_is_pinned_to_the_local_cpu_build():
    assert pins(ROOT / "requirements.txt")["torch"] == "2.13.0"


def test_conda_and_binder_environments_match_the_pip_pins():
    expected = pins(ROOT / "requirements.txt")
    for path in (ROOT / "environment.yml", ROOT / "binder" / "environment.yml"):
        assert pins(path) == expected, f"{path.relative_to(ROOT)} drifted from requirements.txt"


def test_binder_installs_the_library():
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install" in post_build and " lib" in post_build


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^make (\w+)", readme[:1500], re.M)
    assert commands[:2] == ["lab", "test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_links_every_student_notebook():
    readme = (ROOT / "README.md").read_text()
    missing = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "release").glob("*/*.ipynb"))
               if f"({p.relative_to(ROOT)})" not in readme]
    assert not missing, f"README's week table does not link {missing}"


# ---- the distributions the course installs: its own names, and only packages it means ----

OWN = {"llm-from-scratch-minillm": ROOT / "lib", "llm-from-scratch-course": ROOT}
# Names on the public package index that belong to other projects; the course must never ask for them.
TAKEN = {"minillm": "an unrelated inference library", "llm-from-scratch": "another course's package"}
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)")


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def project(path):
    return tomllib.loads(path.read_text())["project"]


def requirement_names(requirements):
    return {normalise(REQUIREMENT.match(r).group(1)) for r in requirements}


def test_the_course_distributions_have_names_of_their_own():
    for name, folder in OWN.items():
        assert normalise(project(folder / "pyproject.toml")["name"]) == name
        assert name not in TAKEN
    assert project(ROOT / "lib" / "pyproject.toml")["name"] != "minillm", "import name minillm, distribution name ours"


def test_every_dependency_is_a_pinned_package_or_the_courses_own():
    pinned = {normalise(name.split("[")[0]) for name in pins(ROOT / "requirements.txt")}
    lib = project(ROOT / "lib" / "pyproject.toml")
    named = requirement_names(project(ROOT / "pyproject.toml")["dependencies"] + lib["dependencies"])
    for extra in lib["optional-dependencies"].values():
        named |= requirement_names(extra)
    strangers = named - pinned - set(OWN)
    assert not strangers, f"dependencies neither pinned in requirements.txt nor the course's own: {strangers}"
    assert not named & set(TAKEN), f"a dependency names someone else's package: {named & set(TAKEN)}"
    assert "llm-from-scratch-minillm" in requirement_names(project(ROOT / "pyproject.toml")["dependencies"])


def test_the_notebook_extras_are_the_pinned_versions_and_leave_torch_alone():
    extras = project(ROOT / "lib" / "pyproject.toml")["optional-dependencies"]["notebooks"]
    expected = pins(ROOT / "requirements.txt")
    for requirement in extras:
        name, version = requirement.split("==")
        assert expected[name.lower()] == version, f"{requirement}: requirements.txt pins {expected[name.lower()]}"
    assert not requirement_names(extras) & {"torch", "numpy"}, "Colab's own builds of torch and numpy must stay"
    assert {"bertviz", "transformers", "tokenizers", "datasets"} <= requirement_names(extras)


def imported_packages(source: str) -> set[str]:
    """Top-level names of the modules that `source` imports anywhere (inside functions too)."""
    tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0}
    return {name.split(".")[0] for name in names}


def test_the_library_and_notebook_extras_install_every_package_the_notebooks_and_library_import():
    """On Colab only the library and its notebooks extra are installed: a package a notebook cell (tests
    included) or a library module imports must be one of them, or come with every Jupyter kernel."""
    imported = set()
    for path in sorted((ROOT / "source").glob("week*/*.ipynb")) + sorted((ROOT / "lib" / "minillm").glob("*.py")):
        sources = [path.read_text()] if path.suffix == ".py" else [
            "".join(cell["source"]) for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "code"]
        for source in sources:
            imported |= {(name, path.relative_to(ROOT)) for name in imported_packages(source)}
    lib = project(ROOT / "lib" / "pyproject.toml")
    installed = requirement_names(lib["dependencies"] + lib["optional-dependencies"]["notebooks"]) | {"ipython"}
    distributions = importlib.metadata.packages_distributions()
    for name, path in sorted(imported):
        if name in sys.stdlib_module_names or name in ("minillm", "__future__"):
            continue
        found = {normalise(d) for d in distributions.get(name, [])}
        assert found & installed, f"{path} imports {name} ({found or 'not installed'}), which neither the library nor its notebooks extra installs (Colab gets only those)"


def test_install_commands_install_only_requirement_files_or_local_folders_without_their_dependencies():
    """make and Binder install the pins from requirements.txt / environment.yml, and the course's own folders
    with --no-deps, so that no install resolves a name on the package index that the pins do not hold."""
    lines = [line for path in (ROOT / "Makefile", ROOT / "binder" / "postBuild")
             for line in path.read_text().splitlines() if "pip install" in line]
    assert lines
    for line in lines:
        words = line.split("pip install", 1)[1].split()
        if "-r" in words:
            assert words[words.index("-r") + 1] == "requirements.txt", line
            continue
        packages = [w for w in words if not w.startswith("-")]
        if packages == ["pip"]:  # pip upgrading itself
            continue
        assert "--no-deps" in words, f"installs a local folder with its dependencies: {line}"
        assert packages and all(p in {"lib", "."} for p in packages), line
    for path in (ROOT / "environment.yml", ROOT / "binder" / "environment.yml"):
        local = [line.split()[-1] for line in path.read_text().splitlines() if line.strip().startswith("- -e")]
        assert set(local) <= {"./lib", "."}, f"{path.name}: {local}"


def test_the_colab_cell_installs_the_library_by_its_own_name_with_the_notebook_extras():
    cell = colab_cell()
    assert "llm-from-scratch-minillm[notebooks] @ git+" in cell
    assert not re.search(r"[\"']minillm", cell), "the bare name minillm on the index is someone else's"


def colab_cell(notebook=ROOT / "release" / "week01" / "01-transformer.ipynb"):
    """The set-up cell of a student notebook, as Colab runs it."""
    cell = nbformat.read(notebook, as_version=4).cells[1]
    assert cell.source == notebooks.colab_setup_source()
    return cell.source


def colab_like_python(folder):
    """A fresh virtual environment that finds this one's packages (torch, transformers, ...) already installed
    outside it, as Colab's Python finds what Colab ships, but not the course's own distributions."""
    venv.create(folder / "env", with_pip=False)
    shipped = folder / "shipped"
    shipped.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(("__editable__", "llm_from_scratch", "minillm")):
            (shipped / entry.name).symlink_to(entry)
    python = folder / "env" / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "shipped.pth").write_text(f"{shipped}\n")
    return python, Path(site)


def run_colab_cell(python, cell, repository, branch, cwd):
    """Run the set-up cell in `python` as on Colab, with the repository address pointed at a local clone."""
    cell, found = re.subn(r'REPO, BRANCH = "[^"]*", "[^"]*"', f'REPO, BRANCH = "file://{repository}", "{branch}"', cell)
    assert found == 1
    program = ("import sys, types\n"
               "sys.modules['google.colab'] = types.ModuleType('google.colab')  # what marks a Colab runtime\n"
               f"exec(compile({cell!r}, 'set-up cell', 'exec'))\n")
    return subprocess.run([python, "-c", program], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.xdist_group("colab")
def test_the_colab_set_up_cell_installs_the_library_and_data_and_stops_on_failure(tmp_path):
    clone = tmp_path / "course"
    subprocess.run(["git", "clone", "-q", f"file://{ROOT}", clone], check=True)
    subprocess.run(["git", "-C", clone, "checkout", "-q", "-b", "colab-test"], check=True)
    python, site = colab_like_python(tmp_path)
    work = tmp_path / "content"
    work.mkdir()
    cell = colab_cell()

    failed = run_colab_cell(python, cell, clone, "no-such-branch", work)
    assert failed.returncode != 0 and "RuntimeError: Installing the course library failed" in failed.stderr
    assert "no-such-branch" in failed.stderr, "the error shows what pip said"
    assert not (work / "data").exists(), "nothing downloaded after a failed install"

    no_data = run_colab_cell(python, cell, clone, "colab-test", work)  # the clone serves no raw/ files yet
    assert no_data.returncode != 0 and "RuntimeError: Downloading the course data failed" in no_data.stderr
    assert not (work / "data" / "tinyshakespeare.txt").exists()

    raw = clone / "raw" / "colab-test" / "data"
    raw.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "tinyshakespeare.txt", raw)
    done = run_colab_cell(python, cell, clone, "colab-test", work)
    assert done.returncode == 0, done.stderr
    assert "Ready" in done.stdout
    assert (work / "data" / "tinyshakespeare.txt").read_bytes() == (ROOT / "data" / "tinyshakespeare.txt").read_bytes()

    extras = ("bertviz", "transformers", "tokenizers", "datasets")
    where = subprocess.run([python, "-c", "import importlib.util as u, minillm, torch\n"
                            f"print(minillm.__file__); print(torch.__file__); print(all(map(u.find_spec, {extras})))"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert Path(where[0]).is_relative_to(site), "minillm imports from the library the cell installed"
    assert not Path(where[1]).is_relative_to(site), "torch stays the one the runtime ships"
    assert where[2] == "True"


def run_course(*args, cwd):
    environment = {k: v for k, v in os.environ.items() if k != "COURSE_ROOT"}
    return subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=600)


def test_course_works_on_the_checkout_it_is_run_in(tmp_path):
    """`course` installed from this checkout, run in a folder of a second clone, checks the clone; outside any
    checkout it says so."""
    clone = tmp_path / "second"
    subprocess.run(["git", "clone", "-q", f"file://{ROOT}", clone], check=True)
    (clone / "release" / "week00" / "01-autograd.ipynb").unlink()
    checked = run_course("check", cwd=clone / "source" / "week00")
    assert checked.returncode == 1, checked.stderr
    assert "01-autograd.ipynb" in checked.stderr, "the clone's missing release notebook is reported"
    assert (ROOT / "release" / "week00" / "01-autograd.ipynb").is_file()

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    lost = run_course("check", cwd=outside)
    assert lost.returncode == 2 and "not inside a course checkout" in lost.stderr and "Traceback" not in lost.stderr
    assert run_course("--help", cwd=outside).returncode == 0
