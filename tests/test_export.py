"""`course export`: an executed notebook becomes one HTML page that shows every figure with no internet.

A small fixture notebook, executed in a real kernel, holds each kind of picture the course makes: a diagram as a
markdown attachment (SVG), maths, plotly figures (one drawn as setup_figures gives it, one saved as plotly JSON
alone, as the grader saves it), a bertviz view and a progress bar. The page is checked for each, for MathJax
and plotly.js inlined, and for nothing it would fetch; where Chromium is installed it is opened offline too.
"""

import base64
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import nbformat
import pytest
from nbclient import NotebookClient
from plotly.offline import get_plotlyjs

from course.cli import main
from course.export import MATHJAX, PLOTLY_MIME

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40"><rect width="160" height="40" fill="#9ab"/>'
       '<text x="8" y="26">a -> b</text></svg>')
CELLS = [
    "from minillm.notebook import setup_figures\nsetup_figures()",
    "import plotly.graph_objects as go\nimport torch\nfrom minillm import viz\n"
    "viz.attention_heatmap(torch.tril(torch.ones(3, 3)) / torch.arange(1, 4)[:, None], list('abc'))",
    "import plotly.io as pio\npio.show(go.Figure(go.Bar(y=[3, 1, 2], name='saved as JSON alone')), "
    "renderer='plotly_mimetype')",
    "from tqdm.auto import tqdm\nfor _ in tqdm(range(3)):\n    pass",
    "from minillm.model import GPT, ModelConfig\ntorch.manual_seed(0)\n"
    "model = GPT(ModelConfig.gpt2(vocab_size=20, block_size=8, n_layer=1, n_head=2, n_embd=8))\n"
    "viz.head_view(model, torch.tensor([1, 2, 3]), list('abc'))",
]


class Tags(HTMLParser):
    """Every start tag of a page as (tag, attributes); script and style contents are not parsed for tags."""

    def __init__(self, page):
        super().__init__()
        self.tags = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """(the executed notebook, its page) after `course export`."""
    folder = tmp_path_factory.mktemp("export")
    diagram = nbformat.v4.new_markdown_cell("## The graph\n\n![a diagram](attachment:graph.svg)\n\n"
                                            "Inline $x^2 + \\sqrt{y}$ and $$\\sum_{i=1}^n i = \\frac{n(n+1)}{2}$$")
    diagram.attachments = {"graph.svg": {"image/svg+xml": base64.b64encode(SVG.encode()).decode()}}
    nb = nbformat.v4.new_notebook(cells=[diagram] + [nbformat.v4.new_code_cell(s) for s in CELLS])
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    nbformat.write(nb, folder / "executed.ipynb")
    assert main(["export", str(folder), "--output", str(folder / "pages")]) == 0
    return nb, (folder / "pages" / "executed.html").read_text(encoding="utf-8")


def test_every_plotly_figure_is_a_div_drawn_with_its_data(exported):
    nb, page = exported
    figures = [o.data[PLOTLY_MIME] for c in nb.cells for o in c.get("outputs", []) if PLOTLY_MIME in o.get("data", {})]
    assert len(figures) == 2 and sum("text/html" in o.get("data", {}) and PLOTLY_MIME in o.data
                                     for c in nb.cells for o in c.get("outputs", [])) == 1, "one of each kind"
    divs = {attrs.get("id") for tag, attrs in Tags(page).tags if tag == "div" and attrs.get("class") == "plotly-graph-div"}
    drawn = []
    for call in re.finditer(r'Plotly\.newPlot\(\s*"([^"]+)",\s*', page):
        assert call.group(1) in divs, "a newPlot without its div"
        drawn.append(json.JSONDecoder().raw_decode(page, call.end())[0])
    assert drawn == [figure["data"] for figure in figures], "every figure, in order, with its own data"
    assert page.count(get_plotlyjs()) == 1, "plotly.js once (the notebook's own copy), never from a CDN"
    assert page.index(get_plotlyjs()) < page.index("Plotly.newPlot("), "plotly.js before the first figure"


def test_diagrams_are_embedded_and_maths_has_a_local_mathjax(exported):
    _, page = exported
    images = [attrs.get("src", "") for tag, attrs in Tags(page).tags if tag == "img"]
    assert images == ["data:image/svg+xml;base64," + base64.b64encode(SVG.encode()).decode()]
    assert "attachment:" not in page
    assert "window.MathJax = {" in page and MATHJAX.read_text(encoding="utf-8") in page, "MathJax 3, inlined"
    assert "$x^2 + \\sqrt{y}$" in page, "the maths stays for MathJax to typeset"


def test_the_page_fetches_nothing(exported):
    _, page = exported
    needed = [(tag, url) for tag, attrs in Tags(page).tags
              for url in [attrs.get("src") if tag in ("script", "img", "iframe") else
                          attrs.get("href") if tag == "link" else None] if url and not url.startswith("data:")]
    assert needed == [], f"the page would fetch {needed}"
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page), "a stylesheet that fetches"
    assert "widget-view+json" not in page and "require.min.js" not in page


def test_bertviz_and_progress_bars_are_there(exported):
    _, page = exported
    assert page.count("const params = ") == 1 and "Layer: <select" in page
    assert "100%|██████████|\u20073/3\u2007[" in page, "a progress bar shows its last state as text (no widgets offline)"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (the browser tests need it)")
def test_chromium_draws_everything_offline(exported, tmp_path):
    _, page = exported
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000",
                          "--dump-dom", str(tmp_path / "page.html")], capture_output=True, text=True,
                         timeout=120).stdout
    assert dom.count("<mjx-container") == 2, "both formulas typeset"
    plots = [attrs for tag, attrs in Tags(dom).tags if tag == "div" and "plotly-graph-div" in attrs.get("class", "")]
    assert len(plots) == 2 and all("js-plotly-plot" in attrs["class"] for attrs in plots), "plotly.js drew both"
    assert re.search(r"<svg[^>]*>.*?<text[^>]*>a</text>", dom[dom.index("bertviz-"):], re.S), "bertviz drew"
