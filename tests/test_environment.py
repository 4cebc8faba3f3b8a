"""The pinned environment: requirements.txt, environment.yml and binder/ agree, and torch stays pinned."""

import re
from pathlib import Path

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
