"""Feedback pages draw a submission's plotly figures and the lesson's maths with no internet, from one local
copy of plotly.js and of MathJax shared by every page, and a figure's JSON cannot smuggle markup in."""

import copy
import json
import re
import shutil
import subprocess

import nbformat
import plotly.io as pio
import pytest
from plotly.offline import get_plotlyjs_version

from course import paths
from course.grading import feedback
from course.grading.autograde import NotebookResult
from minillm import viz

WEEK, NOTEBOOK = "week03", "01-training-loop.ipynb"
HOSTILE = {"data": [{"type": "bar", "y": [1, 2], "name": "</script><script>alert('pwned')</script>"}],
           "layout": {"title": {"text": "<img src=x onerror=alert('pwned')>"}}}
LIVE_MARKUP = re.compile(r"<script>alert|<img[^>]*onerror")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Two students' pages for week 03, each with an honest loss curve and a hostile figure; and the assets folder."""
    root = tmp_path_factory.mktemp("feedback")
    release = nbformat.read(paths.RELEASE / WEEK / NOTEBOOK, as_version=4)
    honest = json.loads(pio.to_json(viz.loss_curve([3.0, 2.0, 1.5])))
    graded = copy.deepcopy(release)
    cell = next(c for c in graded.cells if c.cell_type == "code")
    cell.outputs = [nbformat.v4.new_output("display_data", data={feedback.PLOTLY_MIME: figure})
                    for figure in (honest, HOSTILE)]
    written = []
    for student in ("ada", "bob"):
        page = root / student / WEEK / "01-training-loop.html"
        feedback.write(NotebookResult(student, WEEK, NOTEBOOK, graded=graded), page, assets=root / feedback.ASSETS)
        written.append(page)
    return written, root / feedback.ASSETS, honest


def test_pages_share_one_local_copy_of_each_script(pages):
    written, assets, _ = pages
    names = sorted(p.name for p in assets.iterdir())
    assert names == sorted([feedback.MATHJAX.name, f"plotly-{get_plotlyjs_version()}.min.js"])
    for page in written:
        text = page.read_text()
        sources = re.findall(r"<script[^>]*src='([^']*)'", text)
        assert sorted(sources) == sorted(f"../../{feedback.ASSETS}/{p.name}" for p in assets.iterdir())
        assert len(text) < 100_000, "the libraries are beside the pages, not in each"


def test_figures_are_inert_json_that_round_trips(pages):
    written, _, honest = pages
    text = written[0].read_text()
    assert not LIVE_MARKUP.search(text), "a figure's strings reached the page as markup"
    blocks = re.findall(r"<script type='application/json' class='plotly-figure'>(.*?)</script>", text, re.S)
    assert [json.loads(b) for b in blocks] == [{"data": honest["data"], "layout": honest["layout"]}, HOSTILE]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (the browser tests need it)")
def test_chromium_draws_the_figures_and_maths_offline(pages):
    written, _, _ = pages
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000",
                          "--dump-dom", str(written[0])], capture_output=True, text=True, timeout=120).stdout
    assert dom.count("js-plotly-plot") == 2, "both figures drawn by the local plotly.js"
    assert "<mjx-container" in dom, "the lesson's maths typeset by the local MathJax"
    assert not re.search(r"<img[^>]*src=\"x\"", dom) and "<script>alert" not in dom, "the hostile figure stayed text"
