"""notebook.setup_figures in a real Jupyter kernel: figures carry plotly's JSON and an offline HTML copy, with
plotly.js embedded once; a renderer chosen through PLOTLY_RENDERER (the grader's) stands."""

import nbformat
from nbclient import NotebookClient
from plotly.offline import get_plotlyjs

from minillm.notebook import setup_figures

PLOTLY_MIME = "application/vnd.plotly.v1+json"
SETUP = "import plotly.io as pio\nfrom minillm.notebook import setup_figures\nsetup_figures()\npio.renderers.default"


def _run(*sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return [cell.outputs for cell in nb.cells]


def test_a_kernel_gets_figures_that_draw_without_plotlys_extension(monkeypatch):
    monkeypatch.delenv("PLOTLY_RENDERER", raising=False)
    setup_outputs, figure_outputs, second_outputs = _run(
        SETUP, "import plotly.graph_objects as go\ngo.Figure(go.Bar(y=[3, 1, 2]))",
        "go.Figure(go.Scatter(y=[5, 6])).show()")
    scripts, result = setup_outputs
    assert result.data["text/plain"] == "'plotly_mimetype+minillm_offline_html'"
    assert get_plotlyjs() in scripts.data["text/html"] and "text/plain" not in scripts.data, "plotly.js, inline"
    for outputs, y in ((figure_outputs, [3, 1, 2]), (second_outputs, [5, 6])):
        (figure,) = outputs
        assert figure.data[PLOTLY_MIME]["data"][0]["y"] == y, "JupyterLab's extension draws the JSON"
        html = figure.data["text/html"]
        assert "Plotly.newPlot" in html and "<script src" not in html and "cdn" not in html.lower()
        assert get_plotlyjs()[:1000] not in html, "plotly.js belongs once to the notebook, not to every figure"


def test_a_renderer_set_in_the_environment_stands(monkeypatch):
    monkeypatch.setenv("PLOTLY_RENDERER", "plotly_mimetype")
    setup_outputs, figure_outputs = _run(SETUP, "import plotly.graph_objects as go\ngo.Figure(go.Bar(y=[3, 1, 2]))")
    assert [o.data["text/plain"] for o in setup_outputs] == ["'plotly_mimetype'"], "nothing embedded"
    assert set(figure_outputs[0].data) - {"text/plain"} == {PLOTLY_MIME}, "the grader keeps figures to their data"


def test_outside_a_kernel_nothing_changes(monkeypatch):
    import plotly.io as pio

    monkeypatch.delenv("PLOTLY_RENDERER", raising=False)
    before = pio.renderers.default
    setup_figures()
    assert pio.renderers.default == before
