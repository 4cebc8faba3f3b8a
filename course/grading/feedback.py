"""Per-student feedback as HTML: a score table, the flags, and the graded notebook as the student knows it.

Test cells are shown with their released (visible) text only, never the hidden tests; errors are shown as
their one-line message without the traceback (which would quote hidden test lines); of the student's outputs
only text, PNG images and plotly figures are kept. Submissions are untrusted, so everything that comes from one is escaped:
markdown is rendered only for the lesson's own cells (text equal to a markdown cell of the release), once
per notebook for every student, which also keeps a page to a few milliseconds.

Plotly figures are drawn from their JSON, which stays inert data (no markup of a submission reaches the page);
plotly.js and MathJax come from one local copy of each in feedback/_assets/, so pages need no internet.
"""

import functools
import html
import json
import os
import re
import threading

import mistune
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from course import attachments, notebooks, paths
from course.export import MATHJAX, PLOTLY_MIME

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]+")
ASSETS = "_assets"  # the grader's: feedback/_assets/, beside the students' folders, for every page
# the page's own script: draws each figure's JSON (an inert application/json block) into a div after it
DRAW_FIGURES = """<script>
document.querySelectorAll("script.plotly-figure").forEach(function (block) {
  var figure = JSON.parse(block.textContent), div = document.createElement("div");
  block.after(div);
  if (window.Plotly) Plotly.newPlot(div, figure.data, figure.layout, {responsive: true});
});
</script>"""
STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 1em auto; padding: 0 1em; line-height: 1.45 }
pre { padding: .5em; overflow-x: auto; white-space: pre-wrap }
pre.input { background: #f5f5f5; border-left: 3px solid #9ab }
pre.output { margin-top: -.5em; border-left: 3px solid #ddd }
pre.stderr { background: #fdecea }
pre.answer { background: #fffbe6; border-left: 3px solid #e0c060 }
table { border-collapse: collapse } td, th { border: 1px solid #bbb; padding: 4px 8px }
"""


def write(result, path, assets=None):
    """Write the feedback page for one NotebookResult to ``path``; the scripts it loads go to the folder
    ``assets`` (default: ``_assets`` beside the page), shared by every page that names it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    title = html.escape(f"{result.week} / {result.notebook}: feedback for {result.student}")
    body = _header(result) + ("" if result.graded is None else _cells(result))
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
                    f"<style>{STYLE}</style>{_scripts(path, assets or path.parent / ASSETS)}</head>"
                    f"<body>{body}{DRAW_FIGURES}</body></html>", encoding="utf-8")


def _scripts(page, folder):
    """Script tags for MathJax and plotly.js from one local copy of each in ``folder`` (written when missing)."""
    tags = []
    scripts = {MATHJAX.name: lambda: MATHJAX.read_text(encoding="utf-8"),
               f"plotly-{get_plotlyjs_version()}.min.js": get_plotlyjs}
    for name, text in scripts.items():
        target = folder / name
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{name}.{os.getpid()}-{threading.get_ident()}.tmp")  # graders write at once
            partial.write_text(text(), encoding="utf-8")
            os.replace(partial, target)
        tags.append(f"<script src='{html.escape(os.path.relpath(target, page.parent))}'></script>")
    return "".join(tags)


def _plotly(figure):
    """A submission's plotly figure as inert JSON for DRAW_FIGURES: '<', '>' and '&' escaped, so that no text
    in it can end the block; only its data and layout are kept (not its config)."""
    if not isinstance(figure, dict):
        return ""
    try:
        text = json.dumps({"data": figure.get("data", []), "layout": figure.get("layout", {})}, allow_nan=False)
    except (TypeError, ValueError):
        return "<pre class='output'>[a figure that could not be read]</pre>"
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"<script type='application/json' class='plotly-figure'>{text}</script>"


def _header(result):
    total = sum(s.max_score for s in result.scores)
    rows = "".join(
        f"<tr><td>{html.escape(s.grade_id)}</td><td>{s.score:g} / {s.max_score:g}</td>"
        f"<td>{html.escape(s.reason if s.score < s.max_score else 'passed')}</td></tr>"
        for s in result.scores)
    flags = "".join(f"<li>{html.escape(f)}</li>" for f in result.flags)
    return (f"<section><h1>{html.escape(result.week)} / "
            f"{html.escape(result.notebook)}: feedback for {html.escape(result.student)}</h1>"
            f"<p><b>Autograded score: {result.total:g} / {total:g}</b> (written answers are graded by hand)</p>"
            f"<table><tr><th>test</th><th>points</th><th>outcome</th></tr>{rows}</table>"
            + (f"<h2>Notes from the grader</h2><ul>{flags}</ul>" if flags else "") + "</section><hr>")


@functools.lru_cache(maxsize=64)
def _release(week, notebook):
    """(visible test source by grade id, lesson markdown as HTML by its text) of the released notebook."""
    released = notebooks.read(paths.RELEASE / week / notebook)
    html = mistune.HTMLRenderer(escape=False, allow_harmful_protocols=["attachment:"])  # the lesson's diagrams
    render = mistune.create_markdown(renderer=html, plugins=["math", "table", "strikethrough"])
    visible = {notebooks.grade_id(c): c.source for c in released.cells if notebooks.grade_id(c)}
    lesson = {c.source: attachments.inline(render(c.source), c) for c in released.cells if c.cell_type == "markdown"}
    return visible, lesson


def _cells(result):
    visible, lesson = _release(result.week, result.notebook)
    parts = []
    for cell in result.graded.cells:
        if cell.cell_type == "markdown":
            parts.append(lesson.get(cell.source) or f"<pre class='answer'>{html.escape(_text(cell.source))}</pre>")
        elif cell.cell_type == "code":
            source = visible.get(notebooks.grade_id(cell), "") if notebooks.is_autograded_test(cell) else cell.source
            parts.append(f"<pre class='input'>{html.escape(_text(source))}</pre>")
            parts += [_output(o) for o in cell.get("outputs", []) if isinstance(o, dict)]
    return "".join(parts)


def _output(output):
    """One output of the student's kernel as escaped HTML ('' for what is not shown)."""
    kind = output.get("output_type")
    if kind == "stream":
        css = "output stderr" if output.get("name") == "stderr" else "output"
        text = overwritten(ANSI_ESCAPE.sub("", _text(output.get("text", ""))))
        return f"<pre class='{css}'>{html.escape(text)}</pre>"
    if kind == "error":
        message = f"{_text(output.get('ename', 'Error'))}: {_text(output.get('evalue', ''))}"
        return f"<pre class='output stderr'>{html.escape(ANSI_ESCAPE.sub('', message))}</pre>"
    if kind in ("display_data", "execute_result") and isinstance(output.get("data"), dict):
        if PLOTLY_MIME in output["data"]:
            return _plotly(output["data"][PLOTLY_MIME])
        png = _text(output["data"].get("image/png", ""))
        if png and BASE64.fullmatch(png):
            return f"<img alt='figure' src='data:image/png;base64,{png.strip()}'>"
        if "text/plain" in output["data"]:
            return f"<pre class='output'>{html.escape(_text(output['data']['text/plain']))}</pre>"
    return ""


def overwritten(text):
    """``text`` as a terminal shows it: a carriage return starts its line again (a progress bar's updates)."""
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.replace("\r\n", "\n").split("\n"))


def _text(value):
    """nbformat text (a string, or a list of strings) from an untrusted notebook, as one string."""
    return "".join(map(str, value)) if isinstance(value, list) else str(value)
