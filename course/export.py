"""Executed notebooks as single HTML pages that show every figure with no internet: ``course export``.

nbconvert's lab page, less everything it would fetch: MathJax 3 is inlined from course/vendor/ (SVG output, so
no web fonts), require.js and the widget manager are left out (a progress bar shows as text, in its last
state, as tqdm prints it in a terminal). Plotly figures draw from their text/html copy (made by
minillm.notebook.setup_figures) with the plotly.js the notebook embeds; a figure saved as plotly JSON alone (the
grader's, or a kernel without the set-up) gets that copy here, and the page gets plotly.js in its head.
Markdown attachments (the lessons' diagrams) become data: URIs.
"""

import html
from pathlib import Path

import nbformat

VENDOR = Path(__file__).with_name("vendor")
MATHJAX = VENDOR / "mathjax-3.2.2-tex-svg-full.js"
TEMPLATE = "export_template"  # course/export_template/: nbconvert's lab template, less what it fetches
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"


def export(notebook, output=None):
    """Write ``notebook`` (an executed .ipynb) as a standalone HTML page; return its path (default: beside it)."""
    from nbconvert import HTMLExporter

    notebook = Path(notebook)
    output = Path(output) if output else notebook.with_suffix(".html")
    nb = nbformat.read(notebook, as_version=4)
    plotlyjs = _offline(nb)
    exporter = HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(Path(__file__).parent)],
                            embed_images=True)
    resources = {"course_export": {"mathjax": MATHJAX.read_text(encoding="utf-8"), "plotlyjs": plotlyjs},
                 "metadata": {"name": notebook.stem, "path": str(notebook.parent)}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(body, encoding="utf-8")
    return output


def _offline(nb):
    """Give every plotly output a text/html copy and every widget output its text; return the plotly.js
    script the page's head needs ('' when the notebook embeds it already or has no figure)."""
    from minillm import viz

    renderer, plotlyjs, embedded, figures = viz.OfflineHTMLRenderer(), viz.plotly_js_html(), False, 0
    widgets = nb.metadata.pop("widgets", {}).get(WIDGET_STATE_MIME, {}).get("state", {})
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            embedded = embedded or data.get("text/html") == plotlyjs
            if PLOTLY_MIME in data:
                figures += 1
                data.setdefault("text/html", renderer.to_mimebundle(data[PLOTLY_MIME])["text/html"])
            if WIDGET_MIME in data and "text/plain" in data:
                data["text/plain"] = _progress_text(data.pop(WIDGET_MIME).get("model_id"), widgets) or data["text/plain"]
    return plotlyjs if figures and not embedded else ""


def _progress_text(model_id, widgets, width=10):
    """A tqdm progress bar's last state as its terminal text ('100%|##########| 3/3 [...]'), from the widget
    state that nbclient saves; None for any other widget."""
    box = widgets.get(model_id, {}).get("state", {})
    parts = [widgets.get(str(child).removeprefix("IPY_MODEL_"), {}) for child in box.get("children", [])]
    if [part.get("model_name") for part in parts] != ["HTMLModel", "FloatProgressModel", "HTMLModel"]:
        return None
    left, bar, right = (part.get("state", {}) for part in parts)
    filled = round(width * bar.get("value", 0) / bar["max"]) if bar.get("max") else 0
    return f"{html.unescape(left.get('value', ''))}|{'█' * filled:{width}}|{html.unescape(right.get('value', ''))}"
