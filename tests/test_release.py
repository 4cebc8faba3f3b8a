"""`course release` and `course check` on the fixture course: validation, drift and leaks."""

import json

import nbformat


def _source(course):
    return course.root / "source" / "week99" / "01-smoke.ipynb"


def test_release_strips_solutions_hidden_tests_and_variants(released_course):
    released = released_course.root / "release" / "week99"
    assert sorted(p.name for p in released.iterdir()) == ["01-smoke.ipynb"]  # variants/ stays behind
    text = (released / "01-smoke.ipynb").read_text()
    assert "return 2 * x" not in text and "hidden: arange doubled" not in text
    assert "raise NotImplementedError()" in text and "Rubric" not in text


def test_check_passes_on_a_fresh_release(released_course):
    done = released_course.run("check")
    assert "sound" in done.stdout


def test_check_finds_drift_and_leaks(course):
    path = course.root / "release" / "week99" / "01-smoke.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[5].source = nb.cells[5].source.replace("raise NotImplementedError()", "return 2 * x  # leaked!")
    nb.cells.append(nbformat.v4.new_code_cell('record_close(double(torch.arange(5.0)), "hidden: arange doubled")'))
    nbformat.write(nb, path)
    (course.root / "release" / "week99" / "stray.txt").write_text("not generated")
    done = course.run("check", check=False)
    assert done.returncode == 1
    assert "01-smoke.ipynb: differs from what source/ generates" in done.stderr
    assert "stray.txt: not generated from source/" in done.stderr
    assert "appears in the release" in done.stderr  # the hidden test line


def test_release_refuses_a_notebook_without_parameters_cell(course):
    raw = json.loads(_source(course).read_text())
    raw["cells"][3]["metadata"]["tags"] = []
    _source(course).write_text(json.dumps(raw))
    done = course.run("release", check=False)
    assert done.returncode == 1
    assert "source/week99/01-smoke.ipynb: needs exactly one cell tagged 'parameters'" in done.stderr


def test_release_refuses_duplicate_grade_ids_naming_both_cells(course):
    raw = json.loads(_source(course).read_text())
    raw["cells"][8]["metadata"]["nbgrader"]["grade_id"] = "w99-double-test"
    _source(course).write_text(json.dumps(raw))
    done = course.run("release", check=False)
    assert done.returncode == 1
    assert "cell 8 (w99-double-test): duplicate grade_id, also used in source/week99/01-smoke.ipynb: cell 6" in done.stderr


def test_release_names_a_file_that_is_not_a_notebook(course):
    (course.root / "source" / "week99" / "02-broken.ipynb").write_text("{not json")
    done = course.run("release", check=False)
    assert done.returncode == 1 and "02-broken.ipynb: not valid JSON" in done.stderr


def test_release_refuses_a_test_that_rebinds_an_imported_name(course):
    raw = json.loads(_source(course).read_text())
    source = "".join(raw["cells"][6]["source"])
    raw["cells"][6]["source"] = source.replace("### END HIDDEN TESTS", "for check_equal in (1, 2):\n    pass\n"
                                               "def helper():\n    torch = 3\n### END HIDDEN TESTS")
    _source(course).write_text(json.dumps(raw))
    done = course.run("release", check=False)
    assert done.returncode == 1
    assert ("cell 6 (w99-double-test): the test rebinds 'check_equal', which the notebook imports" in done.stderr
            and "'torch'" not in done.stderr)  # a name local to a function in the test is its own
