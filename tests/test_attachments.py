"""The lessons' diagrams: embedded as attachments equal to the committed figures, kept by the release, and shown
by the HTML export, the feedback pages and JupyterLab (which takes an attachment's first image type)."""

import json
import shutil

import nbformat
import pytest
from nbconvert import HTMLExporter

from course import attachments, drawings, paths, syllabus
from course.grading import feedback

WEEKS = syllabus.weeks_with_notebooks()


def _attached(path):
    """(cell index, name, bundle) of every attachment of a notebook, read as raw JSON (key order kept)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, name, images) for i, cell in enumerate(cells) for name, images in cell.get("attachments", {}).items()]


def test_every_diagram_is_drawn_committed_and_embedded():
    assert [p for week in WEEKS for p in attachments.problems(week)] == []
    shown = {(week.id, name) for week in WEEKS for nb in week.notebooks
             for _, name, _ in _attached(week.source_dir / nb)}
    assert shown == set(drawings.DIAGRAMS), "every diagram is shown in its week, and nothing else is attached"


@pytest.mark.parametrize("week", WEEKS, ids=lambda w: w.id)
def test_the_release_keeps_the_attachments_png_first_for_jupyterlab(week):
    for name in week.notebooks:
        source, released = _attached(week.source_dir / name), _attached(paths.RELEASE / week.id / name)
        assert [(n, b) for _, n, b in released] == [(n, b) for _, n, b in source]
        for _, _, images in released:
            assert list(images) == ["image/png", "image/svg+xml"], "JupyterLab shows the first type and no SVG"


def test_the_html_export_shows_every_diagram_as_svg():
    path = paths.RELEASE / "week01" / "01-transformer.ipynb"
    html, _ = HTMLExporter().from_notebook_node(nbformat.read(path, as_version=4))
    assert "attachment:" not in html
    shown = _attached(path)
    assert len(shown) == 3
    for _, name, images in shown:
        assert f'src="data:image/svg+xml;base64,{"".join(images["image/svg+xml"])}"' in html, name


def test_the_feedback_page_renders_the_lesson_diagrams():
    _, lesson = feedback._release("week02", "01-bpe.ipynb")
    pictures = [page for page in lesson.values() if "<img" in page]
    assert len(pictures) == 1 and 'src="data:image/svg+xml;base64,' in pictures[0]
    assert "attachment:" not in pictures[0]


@pytest.fixture
def scratch_week(tmp_path, monkeypatch):
    """week03's source (notebook and figures) in a scratch course root, for breaking it."""
    shutil.copytree(paths.SOURCE / "week03", tmp_path / "source" / "week03",
                    ignore=shutil.ignore_patterns("variants"))
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "SOURCE", tmp_path / "source")
    return syllabus.Week("week03", "the training loop")


def test_problems_name_every_kind_of_drift(scratch_week):
    assert attachments.problems(scratch_week) == []
    notebook = scratch_week.source_dir / scratch_week.notebooks[0]
    nb = nbformat.read(notebook, as_version=4)
    index, cell = next((i, c) for i, c in enumerate(nb.cells) if c.get("attachments"))
    cell.attachments["lr-schedule.svg"]["image/svg+xml"] = cell.attachments["lr-schedule.svg"]["image/png"]
    cell.attachments["stray.svg"] = cell.attachments["lr-schedule.svg"]
    cell.source += "\n\n![missing](attachment:nowhere.svg)"
    nbformat.write(nb, notebook)
    figures = attachments.figures("week03")
    (figures / "extra.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                       '<image href="https://example.com/x.png"/></svg>')
    found = "\n".join(attachments.problems(scratch_week))
    assert f"cell {index}: attachment 'lr-schedule.svg' differs from figures/lr-schedule.svg" in found
    assert f"cell {index}: attachment 'stray.svg' is not referenced" in found
    assert f"cell {index}: attachment:nowhere.svg names no SVG" in found
    assert "extra.svg: has no extra.png beside it" in found
    assert "extra.svg: no notebook of the week shows it" in found
    assert "extra.svg: refers to something outside the file" in found


def test_embed_repairs_what_problems_found(scratch_week):
    notebook = scratch_week.source_dir / scratch_week.notebooks[0]
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        cell.pop("attachments", None)
    nbformat.write(nb, notebook)
    assert "is not attached; run `course diagrams week03`" in "\n".join(attachments.problems(scratch_week))
    assert attachments.embed(scratch_week) == [notebook]
    assert attachments.problems(scratch_week) == []
    assert attachments.embed(scratch_week) == [], "embedding again changes nothing"


def test_a_redrawn_diagram_is_told_apart_from_the_committed_one(scratch_week):
    svg = attachments.figures("week03") / "lr-schedule.svg"
    svg.write_text(svg.read_text().replace("Warmup, then cosine decay", "Warmup and decay"))
    found = attachments.problems(scratch_week)
    assert any("lr-schedule.svg: differs from what course/drawings.py draws" in p for p in found)
    assert any("attachment 'lr-schedule.svg' differs" in p for p in found)


def test_inline_prefers_svg_and_leaves_unknown_names():
    cell = nbformat.v4.new_markdown_cell("![a](attachment:a.svg) ![b](attachment:b.svg)")
    cell["attachments"] = {"a.svg": {"image/png": "UE5H", "image/svg+xml": "U1ZH"}}
    html = attachments.inline('<img src="attachment:a.svg"><img src="attachment:b.svg">', cell)
    assert html == '<img src="data:image/svg+xml;base64,U1ZH"><img src="attachment:b.svg">'
