"""The lessons' diagrams as markdown-cell attachments: embedded from source/<week>/figures/, and checked.

A markdown cell shows a diagram with ``![what it shows](attachment:name.svg)``. The cell's ``attachments`` hold
``name.svg`` as two base64 images: the committed SVG (``image/svg+xml``, which nbconvert's HTML export and the
grader's feedback pages prefer) and the PNG rendered from it, committed beside it as ``name.png``
(``image/png``: JupyterLab shows the first image type of an attachment and refuses SVG there). So a notebook
carries its pictures wherever it goes: JupyterLab, Colab (no repository files beside the notebook), an HTML
export, a feedback page, offline. ``course diagrams`` draws, renders and embeds; ``course check`` runs
``problems``.
"""

import base64
import re
import shutil
import struct
import subprocess

import nbformat

from course import drawings, notebooks, paths

REFERENCE = re.compile(r"\]\(attachment:([^)\s]+)\)")
SRC = re.compile(r"""src=(["'])attachment:([^"']+)\1""")
EXTERNAL = re.compile(r"https?://(?!www\.w3\.org/2000/svg\")|<script|@import|@font-face|xlink:href|\bhref=")
TYPES = ("image/png", "image/svg+xml")


def figures(week_id):
    return paths.SOURCE / week_id / "figures"


def bundle(week_id, name):
    """The attachment for ``name`` (``x.svg``): its SVG and its PNG from the week's figures folder, base64."""
    folder = figures(week_id)
    files = {"image/png": folder / f"{name[:-4]}.png", "image/svg+xml": folder / name}
    return {kind: base64.b64encode(path.read_bytes()).decode("ascii") for kind, path in files.items()}


def render_png(svg_path):
    """Render ``x.svg`` to ``x.png`` beside it at its own size (needs rsvg-convert: apt-get install librsvg2-bin)."""
    if shutil.which("rsvg-convert") is None:
        raise RuntimeError("rendering the diagrams' PNG copies needs rsvg-convert: apt-get install librsvg2-bin")
    png = svg_path.with_suffix(".png")
    subprocess.run(["rsvg-convert", "--format=png", f"--output={png}", str(svg_path)], check=True)
    return png


def embed(week):
    """Set every markdown cell's attachments to the figures it references; return the notebooks rewritten."""
    changed = []
    for name in week.notebooks:
        path = week.source_dir / name
        nb = notebooks.read(path)
        before = nbformat.writes(nb)
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            wanted = {ref: bundle(week.id, ref) for ref in REFERENCE.findall(cell.source)}
            if wanted:
                cell["attachments"] = wanted
            else:
                cell.pop("attachments", None)
        if nbformat.writes(nb) != before:
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def build(week):
    """`course diagrams`: draw the week's diagrams, render their PNGs, embed both; return the notebooks changed."""
    for svg in drawings.draw(week.id):
        render_png(svg)
    return embed(week)


def problems(week):
    """Every way the week's attachments differ from its committed figures, each naming the file and the cell."""
    found, used = [], set()
    for name in week.notebooks:
        path = week.source_dir / name
        rel = path.relative_to(paths.ROOT)
        try:
            nb = notebooks.read(path)
        except notebooks.NotebookError:
            continue  # release.validate reports it
        for index, cell in enumerate(nb.cells):
            where = f"{rel}: cell {index}"
            references = set(REFERENCE.findall(cell.source)) if cell.cell_type == "markdown" else set()
            attached = cell.get("attachments") or {}
            for ref in sorted(set(attached) - references):
                found.append(f"{where}: attachment {ref!r} is not referenced as ![...](attachment:{ref})")
            for ref in sorted(references):
                used.add(ref)
                if not ref.endswith(".svg") or not (figures(week.id) / ref).is_file():
                    found.append(f"{where}: attachment:{ref} names no SVG in source/{week.id}/figures/")
                elif ref not in attached:
                    found.append(f"{where}: attachment:{ref} is not attached; run `course diagrams {week.id}`")
                elif (figures(week.id) / f"{ref[:-4]}.png").is_file() and dict(attached[ref]) != bundle(week.id, ref):
                    found.append(f"{where}: attachment {ref!r} differs from figures/{ref} and figures/{ref[:-4]}.png "
                                 f"(image/png and image/svg+xml, base64); run `course diagrams {week.id}`")
    for svg in sorted(figures(week.id).glob("*.svg")):
        found += [f"{svg.relative_to(paths.ROOT)}: {p}" for p in _figure_problems(week.id, svg, svg.name in used)]
    return found


def _figure_problems(week_id, svg, used):
    text, png = svg.read_text(encoding="utf-8"), svg.with_suffix(".png")
    found = [] if used else ["no notebook of the week shows it"]
    draw = drawings.DIAGRAMS.get((week_id, svg.name))
    if draw and draw() != text:
        found.append("differs from what course/drawings.py draws; run `course diagrams`")
    if EXTERNAL.search(text):
        found.append("refers to something outside the file (a link, a script, an external font or style)")
    if not png.is_file():
        found.append(f"has no {png.name} beside it; run `course diagrams`")
    elif _png_size(png) != _svg_size(text):
        found.append(f"{png.name} is {_png_size(png)} px, the SVG {_svg_size(text)}: render it again")
    return found


def _svg_size(text):
    match = re.search(r'<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"', text)
    return (int(match[1]), int(match[2])) if match else None


def _png_size(path):
    header = path.read_bytes()[:24]
    return struct.unpack(">II", header[16:24]) if header[:8] == b"\x89PNG\r\n\x1a\n" else None


def inline(html, cell):
    """``html`` (a rendered markdown cell) with each ``src="attachment:x"`` replaced by the attachment as a data
    URI, SVG preferred: for pages that render a lesson cell outside Jupyter (the feedback pages)."""
    attached = cell.get("attachments") or {}

    def data_uri(match):
        images = attached.get(match[2]) or {}
        kind = next((k for k in reversed(TYPES) if k in images), None)
        if kind is None:
            return match[0]
        data = images[kind]
        return f'src="data:{kind};base64,{"".join(data) if isinstance(data, list) else data}"'

    return SRC.sub(data_uri, html)
