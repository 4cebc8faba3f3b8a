"""Per-student feedback as HTML: a score table, the flags, and the graded notebook as the student knows it.

Test cells are shown with their released (visible) text only, never the hidden tests; errors are shown as
their one-line message without the traceback (which would quote hidden test lines); only plain text and
images of the student's outputs are kept, and the HTML is sanitised (submissions are untrusted).
"""

import copy
import html
from pathlib import Path

from nbconvert import HTMLExporter

from course import notebooks, paths

KEPT_MIME = ("text/plain", "image/png")


def write(result, path):
    """Write the feedback page for one NotebookResult to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = _header(result)
    if result.graded is None:
        page = f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{header}</body></html>"
    else:
        page = _notebook_html(result)
        body_open = page.index(">", page.index("<body")) + 1
        page = page[:body_open] + header + page[body_open:]
    path.write_text(page, encoding="utf-8")


def _header(result):
    total = sum(s.max_score for s in result.scores)
    rows = "".join(
        f"<tr><td>{html.escape(s.grade_id)}</td><td>{s.score:g} / {s.max_score:g}</td>"
        f"<td>{html.escape(s.reason if s.score < s.max_score else 'passed')}</td></tr>"
        for s in result.scores)
    flags = "".join(f"<li>{html.escape(f)}</li>" for f in result.flags)
    return (f"<section style='font-family:sans-serif;margin:1em'><h1>{html.escape(result.week)} / "
            f"{html.escape(result.notebook)}: feedback for {html.escape(result.student)}</h1>"
            f"<p><b>Autograded score: {result.total:g} / {total:g}</b> (written answers are graded by hand)</p>"
            f"<table border='1' cellpadding='4'><tr><th>test</th><th>points</th><th>outcome</th></tr>{rows}</table>"
            + (f"<h2>Notes from the grader</h2><ul>{flags}</ul>" if flags else "") + "</section>")


def _notebook_html(result):
    released = notebooks.read(paths.RELEASE / result.week / result.notebook)
    visible = {notebooks.grade_id(c): c.source for c in released.cells if notebooks.grade_id(c)}
    nb = copy.deepcopy(result.graded)
    for cell in nb.cells:
        if notebooks.is_autograded_test(cell):
            cell.source = visible.get(notebooks.grade_id(cell), "")
        if cell.cell_type == "code":
            cell.outputs = [o for o in map(_safe_output, cell.outputs) if o is not None]
    exporter = HTMLExporter(sanitize_html=True)
    body, _ = exporter.from_notebook_node(nb)
    return body


def _safe_output(output):
    kind = output.get("output_type")
    if kind == "stream":
        return output
    if kind == "error":
        return {"output_type": "stream", "name": "stderr",
                "text": f"{output.get('ename', 'Error')}: {output.get('evalue', '')}\n"}
    if kind in ("display_data", "execute_result"):
        data = {k: v for k, v in output.get("data", {}).items() if k in KEPT_MIME}
        if not data:
            return None
        return {"output_type": "display_data", "data": data, "metadata": {}}
    return None
