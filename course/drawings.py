"""The lessons' diagrams, drawn as SVG by code: `python -m course.drawings` writes source/weekNN/figures/*.svg.

One function per diagram, on a small drawing helper, so that every diagram shares its fonts, colours and
arrows. The numbers a diagram shows (gradients, softmax weights, pair counts, the learning-rate curve) are
computed here, not typed in. The files are self-contained: no external fonts, links or scripts.
`course diagrams` draws them, renders the PNG copies and embeds both in the notebooks (course/attachments.py).
"""

import math
from html import escape

from course import paths

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace"
INK, MUTED, PALE = "#222222", "#666666", "#e8e8e8"
BLUE, ORANGE, GREEN, RED, PURPLE, TEAL = "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2"
HEADS = (BLUE, ORANGE, GREEN, PURPLE)


def tint(colour, amount):
    """`colour` mixed with white: amount 0 is white, 1 the colour itself."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * amount):02x}" for c in rgb)


class Drawing:
    """An SVG canvas of a fixed size in px, on a white background (so it reads on a dark theme too)."""

    def __init__(self, width, height, title):
        self.width, self.height, self.title = width, height, title
        self.parts, self.arrow_colours = [], []

    def rect(self, x, y, w, h, fill="none", stroke=INK, width=1.5, rx=0, dash=None):
        self.parts.append(f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{rx:g}" fill="{fill}" '
                          f'stroke="{stroke}" stroke-width="{width:g}"{_dash(dash)}/>')

    def circle(self, x, y, r, fill="white", stroke=INK, width=1.5):
        self.parts.append(f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="{fill}" stroke="{stroke}" '
                          f'stroke-width="{width:g}"/>')

    def text(self, x, y, content, size=14, anchor="middle", colour=INK, bold=False, mono=False, italic=False,
             rotate=None):
        """`content` with its middle at height y (not its baseline), anchored at x."""
        baseline = y + 0.35 * size
        style = (' font-weight="bold"' if bold else "") + (' font-style="italic"' if italic else "")
        turn = f' transform="rotate({rotate:g} {x:g} {y:g})"' if rotate else ""
        self.parts.append(f'<text x="{x:g}" y="{baseline:g}" font-family="{MONO if mono else FONT}" '
                          f'font-size="{size:g}" text-anchor="{anchor}" fill="{colour}"{style}{turn}>'
                          f"{escape(content)}</text>")

    def line(self, x1, y1, x2, y2, colour=MUTED, width=1.5, arrow=False, dash=None):
        self.path(f"M{x1:g},{y1:g} L{x2:g},{y2:g}", colour, width, arrow, dash)

    def path(self, d, colour=MUTED, width=1.5, arrow=False, dash=None, fill="none"):
        end = ""
        if arrow:
            if colour not in self.arrow_colours:
                self.arrow_colours.append(colour)
            end = f' marker-end="url(#arrow{self.arrow_colours.index(colour)})"'
        self.parts.append(f'<path d="{d}" fill="{fill}" stroke="{colour}" stroke-width="{width:g}"'
                          f'{_dash(dash)}{end}/>')

    def grid(self, x, y, rows, cols, cell, fills, stroke="white", labels=None, size=11, colour=INK):
        """A rows x cols table of cells; fills[r][c] is each cell's colour, labels[r][c] its text (or None)."""
        for r in range(rows):
            for c in range(cols):
                self.rect(x + c * cell, y + r * cell, cell, cell, fill=fills[r][c], stroke=stroke, width=1)
                if labels and labels[r][c] is not None:
                    self.text(x + (c + 0.5) * cell, y + (r + 0.5) * cell, labels[r][c], size=size, colour=colour)

    def svg(self):
        markers = "".join(
            f'<marker id="arrow{i}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for i, colour in enumerate(self.arrow_colours))
        body = "\n".join(self.parts)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
                f'viewBox="0 0 {self.width} {self.height}" role="img">\n<title>{escape(self.title)}</title>\n'
                f"<defs>{markers}</defs>\n"
                f'<rect x="0" y="0" width="{self.width}" height="{self.height}" fill="white"/>\n{body}\n</svg>\n')


def _dash(dash):
    return f' stroke-dasharray="{dash}"' if dash else ""


def computation_graph():
    """Week 00: the graph of out = e * f with e = a * b, f = e + a; topological order, backward order, gradients."""
    from minillm.autograd import Value, _topological_order  # the course's engine computes what is drawn

    nodes = {"a": Value(2.0), "b": Value(3.0)}
    nodes["e"] = nodes["a"] * nodes["b"]
    nodes["f"] = nodes["e"] + nodes["a"]
    nodes["out"] = nodes["e"] * nodes["f"]
    nodes["out"].backward()
    a, b, e, f = (nodes[name].data for name in "abef")
    values = {name: node.data for name, node in nodes.items()}
    grad = {name: node.grad for name, node in nodes.items()}
    names = {id(node): name for name, node in nodes.items()}
    topological = [names[id(node)] for node in _topological_order(nodes["out"]) if id(node) in names]

    d = Drawing(800, 440, "The computation graph of out = e·f with e = a·b and f = e + a, its topological "
                "order, the order backward() visits it in, and the gradient each edge passes back")
    d.text(400, 26, "out = e · f with e = a · b and f = e + a, at a = 2 and b = 3", size=17, bold=True)
    boxes = {"a": (85, 120), "b": (85, 270), "e": (305, 270), "f": (525, 160), "out": (715, 250)}
    ops = {"e": (200, 270, "×"), "f": (420, 160, "+"), "out": (615, 250, "×")}
    edges = [  # (from box, to op, gradient it carries back, where to write it)
        ("a", "e", b * grad["e"], (150, 190)), ("b", "e", a * grad["e"], (165, 288)),
        ("a", "f", grad["f"], (270, 128)), ("e", "f", grad["f"], (390, 214)),
        ("e", "out", f * grad["out"], (470, 278)), ("f", "out", e * grad["out"], (612, 196)),
    ]
    for source, target, passed, (lx, ly) in edges:
        (x1, y1), (x2, y2, _) = boxes[source], ops[target]
        start = (x1 + 55, y1 + (0 if abs(y2 - y1) < 20 else (-12 if y2 < y1 else 12)))
        dx, dy = x2 - start[0], y2 - start[1]
        shrink = 18 / math.hypot(dx, dy)
        d.line(start[0], start[1], x2 - dx * shrink, y2 - dy * shrink, arrow=True)
        d.text(lx, ly, f"+{passed:g}", size=13, colour=RED, bold=True)
    for name, (x, y, symbol) in ops.items():
        d.circle(x, y, 16, fill=PALE, stroke=MUTED)
        d.text(x, y, symbol, size=16, bold=True)
        d.line(x + 16, y, boxes[name][0] - 57, boxes[name][1], arrow=True)
    for name, (x, y) in boxes.items():
        d.rect(x - 55, y - 24, 110, 48, fill="white", stroke=INK, rx=6)
        d.text(x, y - 9, f"{name} = {values[name]:g}", size=14, mono=True)
        d.text(x, y + 11, f"grad = {grad[name]:g}", size=13, mono=True, colour=RED)
        d.circle(x - 55, y - 24, 11, fill=BLUE, stroke=BLUE)
        d.text(x - 55, y - 24, str(topological.index(name) + 1), size=12, colour="white", bold=True)
        d.circle(x + 55, y - 24, 11, fill=RED, stroke=RED)
        d.text(x + 55, y - 24, str(len(topological) - topological.index(name)), size=12, colour="white", bold=True)
    d.text(305, 322, f"e.grad = {f * grad['out']:g} (from out) + {grad['f']:g} (from f) = {grad['e']:g}",
           size=13, colour=RED)
    d.text(305, 340, "complete only once out and f have both passed their share", size=12, colour=MUTED)
    legend = [(BLUE, "topological order: every node after its inputs (a, b, e, f, out)"),
              (RED, "backward(): _backward() in reverse order (out, f, e, b, a), starting from out.grad = 1")]
    d.text(40, 412, "+n", size=13, colour=RED, bold=True)
    d.text(58, 412, "on an edge: the local derivative × the upstream grad, added (+=) to that input's grad",
           size=13, anchor="start")
    for i, (colour, words) in enumerate(legend):
        d.circle(40, 368 + 22 * i, 9, fill=colour, stroke=colour)
        d.text(58, 368 + 22 * i, words, size=13, anchor="start")
    return d.svg()


def causal_mask():
    """Week 01: scores of 5 queries against 5 keys, the future masked with -inf, and the softmax weights."""
    tokens = ["T", "o", "␣", "b", "e"]
    scores = [[1.2], [0.3, 1.5], [-0.4, 0.8, 0.1], [0.9, -1.1, 0.2, 1.3], [0.5, 0.0, -0.7, 1.0, 0.4]]
    weights = [[math.exp(s) / sum(math.exp(t) for t in row) for s in row] for row in scores]
    n, cell = len(tokens), 44
    d = Drawing(760, 380, "The causal mask: scores above the diagonal are set to minus infinity before the "
                "softmax, so each query's weights on later keys are exactly 0 and every row sums to 1")
    d.text(380, 24, "The causal mask: query i may attend only to keys j ≤ i", size=17, bold=True)
    for left, title in ((80, "scores q_i · k_j / √d, masked"), (460, "weights = softmax of each row")):
        d.text(left + n * cell / 2, 56, title, size=14, bold=True)
        d.text(left + n * cell / 2, 76, "key j", size=12, colour=MUTED)
        d.text(left - 52, 100 + n * cell / 2, "query i", size=12, colour=MUTED, rotate=-90)
        for i, token in enumerate(tokens):
            d.text(left + (i + 0.5) * cell, 92, f"{i} {token}", size=12, mono=True)
            d.text(left - 14, 100 + (i + 0.5) * cell, f"{i} {token}", size=12, mono=True, anchor="end")
    top = 100
    for i in range(n):
        for j in range(n):
            future = j > i
            d.rect(80 + j * cell, top + i * cell, cell, cell, fill=PALE if future else tint(ORANGE, 0.3),
                   stroke="white", width=2)
            d.text(80 + (j + 0.5) * cell, top + (i + 0.5) * cell, "−∞" if future else f"{scores[i][j]:.1f}",
                   size=13, colour=MUTED if future else INK, mono=True)
            w = 0.0 if future else weights[i][j]
            d.rect(460 + j * cell, top + i * cell, cell, cell, fill=PALE if future else tint(BLUE, 0.15 + 0.85 * w),
                   stroke="white", width=2)
            d.text(460 + (j + 0.5) * cell, top + (i + 0.5) * cell, "0" if future else f"{w:.2f}", size=12,
                   colour=MUTED if future else ("white" if w > 0.55 else INK), mono=True)
        d.text(460 + n * cell + 12, top + (i + 0.5) * cell, f"Σ = {sum(weights[i]):.0f}", size=12, anchor="start",
               colour=MUTED)
    d.line(80 + n * cell + 14, top + n * cell / 2, 392, top + n * cell / 2, colour=INK, width=2, arrow=True)
    d.text(348, top + n * cell / 2 - 16, "softmax", size=13)
    d.text(348, top + n * cell / 2 + 18, "e^−∞ = 0", size=12, colour=MUTED)
    d.text(380, 342, "Above the diagonal (j > i) lie the keys of later positions, the future the model must predict.",
           size=13)
    d.text(380, 362, "Setting their scores to −∞ gives them weight exactly 0; the weights left in each row still sum "
           "to 1.", size=13)
    return d.svg()


def heads_split_merge():
    """Week 01: the fused qkv projection, the split of q, k, v into heads, attention per head, and the merge."""
    T, H, D = 3, 4, 2
    C, cell = H * D, 18
    by_head = [[tint(HEADS[c // D], 0.75) for c in range(C)] for _ in range(T)]
    plain = [[tint(INK, 0.12)] * C for _ in range(T)]
    wide, high = C * cell, T * cell
    d = Drawing(800, 560, "Multi-head attention: one qkv projection gives q, k and v; each is split into heads "
                "of head_dim features, attention runs in every head separately, and the heads are merged back")
    d.text(400, 24, f"Multi-head attention: n_head = {H}, head_dim = {D}, C = n_embd = {C}, T = {T}", size=17,
           bold=True)

    def matrix(x, y, fills, above=None, below=None, numbered=True):
        d.grid(x, y, T, len(fills[0]), cell, fills)
        for t in range(T if numbered else 0):
            d.text(x - 6, y + (t + 0.5) * cell, str(t), size=10, anchor="end", colour=MUTED)
        if above:
            d.text(x + len(fills[0]) * cell / 2, y - 14, above, size=13, mono=True)
        if below:
            d.text(x + len(fills[0]) * cell / 2, y + high + 16, below, size=12, colour=MUTED)

    def arrow(x1, x2, y, above, below, mono_above=True):
        d.line(x1, y, x2, y, colour=INK, width=2, arrow=True)
        d.text((x1 + x2) / 2, y - 14, above, size=11 if mono_above else 12, mono=mono_above)
        d.text((x1 + x2) / 2, y + 14, below, size=11, mono=below.startswith("."), colour=INK if
               below.startswith(".") else MUTED)

    def heads(left, y, gap, caption):
        for h in range(H):
            x = left + h * (D * cell + gap)
            d.grid(x, y, T, D, cell, [[tint(HEADS[h], 0.75)] * D for _ in range(T)])
            d.text(x + D * cell / 2, y + high + 12, f"h{h}", size=11, colour=MUTED)
        d.text(left + (H * (D * cell + gap) - gap) / 2, y - 14, caption, size=13, mono=True)

    y1 = 80  # x -> qkv -> [q | k | v]
    matrix(30, y1, plain, "x (B, T, C)", "one row per position")
    arrow(30 + wide + 8, 292, y1 + high / 2, "qkv", "Linear(C, 3C)", mono_above=True)
    for block, name in enumerate("qkv"):
        left = 300 + block * (wide + 10)
        d.grid(left, y1, T, C, cell, by_head)
        d.text(left + wide / 2, y1 - 14, name, size=14, bold=True, mono=True)
    d.text(300 + 1.5 * wide + 10, y1 + high + 16, "(B, T, 3C): split(C) into q, k and v, in this order", size=12,
           colour=MUTED)
    for h in range(H):
        d.rect(330 + h * 100, y1 + high + 34, 12, 12, fill=tint(HEADS[h], 0.75), stroke="none")
        d.text(348 + h * 100, y1 + high + 40, f"head {h}", size=12, anchor="start")

    y2 = 250  # q (B, T, C) -> (B, H, T, D) -> attention in each head
    matrix(30, y2, by_head, "q (B, T, C)", "the same for k and v")
    arrow(30 + wide + 8, 302, y2 + high / 2, ".view(B, T, H, D)", ".transpose(1, 2)")
    heads(310, y2, 10, "(B, H, T, D)")
    arrow(494, 580, y2 + high / 2, "attend", "each head alone", mono_above=False)
    heads(590, y2, 10, "(B, H, T, D)")

    y3 = 410  # merge the heads back and mix them with out
    d.path(f"M{677},{y2 + high + 24} C{677},{y3 - 20} {372},{y2 + high + 40} {372},{y3 - 10}", colour=INK,
           width=2, arrow=True)
    d.text(356, y3 - 40, ".transpose(1, 2)", size=11, mono=True, anchor="end")
    d.text(356, y3 - 24, ".reshape(B, T, C)", size=11, mono=True, anchor="end")
    matrix(300, y3, by_head, None, "heads side by side (B, T, C)")
    arrow(300 + wide + 10, 586, y3 + high / 2, "out", "Linear(C, C)")
    matrix(596, y3, plain, "y (B, T, C)", "the heads mixed", numbered=False)
    d.text(400, 510, "Each row is one position; its features are dealt to the heads in blocks of head_dim.",
           size=13)
    d.text(400, 532, "Transpose back before reshaping: a view straight from (B, T, C) to (B, H, T, D) has the",
           size=13, colour=RED)
    d.text(400, 550, "right shape and the wrong meaning (it puts features of different positions in one head).",
           size=13, colour=RED)
    return d.svg()


def prenorm_block():
    """Week 01: the pre-norm block, norms on the branches and nothing but additions on the residual stream."""
    d = Drawing(780, 330, "A pre-norm transformer block: the residual stream carries x through two additions; "
                "attention reads a LayerNorm of it, then the MLP reads a LayerNorm of the sum")
    d.text(390, 24, "A pre-norm transformer block", size=17, bold=True)
    stream = 210
    d.line(40, stream, 736, stream, colour=INK, width=4)
    d.line(730, stream, 752, stream, colour=INK, width=2, arrow=True)
    d.text(40, stream + 24, "x (B, T, C)", size=13, mono=True, anchor="start")
    d.text(752, stream + 24, "to the next block", size=12, anchor="end", colour=MUTED)
    d.text(390, stream + 26, "residual stream: changed only by the two additions", size=12, colour=MUTED)
    for leave, norm, layer, add, say, code in (
        (90, "attn_norm", "attention", 370, "mixes positions (causal)", "x = x + attn(attn_norm(x))"),
        (420, "mlp_norm", "MLP", 680, "each position alone: C → 4C → C", "x = x + mlp(mlp_norm(x))"),
    ):
        top = 95
        d.path(f"M{leave},{stream} L{leave},{top + 22} L{leave + 18},{top + 22}", colour=INK, width=2, arrow=True)
        d.rect(leave + 20, top, 108, 44, fill=tint(TEAL, 0.35), stroke=TEAL, rx=6)
        d.text(leave + 74, top + 14, "LayerNorm", size=13, bold=True)
        d.text(leave + 74, top + 31, norm, size=11, mono=True, colour=MUTED)
        d.line(leave + 128, top + 22, leave + 146, top + 22, colour=INK, width=2, arrow=True)
        d.rect(leave + 148, top, 110, 44, fill=tint(ORANGE if layer == "MLP" else BLUE, 0.35),
               stroke=ORANGE if layer == "MLP" else BLUE, rx=6)
        d.text(leave + 203, top + 14, layer, size=14, bold=True)
        d.text(leave + 203, top + 31, "attn" if layer == "attention" else "mlp", size=11, mono=True, colour=MUTED)
        d.text(leave + 203, top - 14, say, size=12, colour=MUTED)
        d.path(f"M{leave + 258},{top + 22} L{add},{top + 22} L{add},{stream - 16}", colour=INK, width=2, arrow=True)
        d.circle(add, stream, 14, fill="white", stroke=INK, width=2)
        d.text(add, stream, "+", size=20, bold=True)
        d.text((leave + add) / 2 + 10, 282, code, size=13, mono=True)
    d.text(390, 312, "The norms sit on the branches only, so a block whose branches output 0 returns x unchanged.",
           size=13)
    return d.svg()


def bpe_merge():
    """Week 02: one BPE merge on four weighted chunks: pair counts, the winning pair, and the chunks it changes."""
    from minillm.tokenizer import merge  # the library's merge, on characters instead of byte ids

    chunks = [("the", 5), ("this", 2), ("other", 1), ("and", 4)]
    counts = {}
    for chunk, n in chunks:
        for pair in zip(chunk, chunk[1:]):
            counts[pair] = counts.get(pair, 0) + n
    best = max(counts, key=lambda pair: counts[pair])
    merged_chunks = [(merge(list(chunk), best, best[0] + best[1]), n) for chunk, n in chunks]
    new_counts = {}
    for pieces, n in merged_chunks:
        for pair in zip(pieces, pieces[1:]):
            new_counts[pair] = new_counts.get(pair, 0) + n

    d = Drawing(800, 440, "One BPE merge: weighted pair counts over the chunks, the most frequent pair (t, h) "
                "becomes token 256, and only the chunks that held it change")
    d.text(400, 24, "One BPE merge step", size=17, bold=True)
    box = 26

    def tokens(x, y, pieces, colour_of):
        for i, piece in enumerate(pieces):
            wide = box * len(piece)
            d.rect(x, y, wide - 3, box, fill=colour_of(piece), stroke=MUTED, width=1, rx=3)
            d.text(x + (wide - 3) / 2, y + box / 2, piece, size=14, mono=True)
            x += wide + 2
        return x

    d.text(130, 56, "chunks (× count)", size=14, bold=True)
    d.text(400, 56, "pair counts", size=14, bold=True)
    d.text(660, 56, "after merging (t, h) → 256", size=14, bold=True)
    for row, ((chunk, n), (pieces, _)) in enumerate(zip(chunks, merged_chunks)):
        y = 80 + row * 44
        holds = best in zip(chunk, chunk[1:])
        end = tokens(40, y, list(chunk), lambda p: tint(BLUE, 0.25) if holds else PALE)
        d.text(end + 6, y + box / 2, f"× {n}", size=13, anchor="start", colour=MUTED)
        end = tokens(560, y, pieces, lambda p: tint(ORANGE, 0.6) if len(p) > 1 else
                     (tint(BLUE, 0.25) if holds else PALE))
        d.text(end + 6, y + box / 2, f"× {n}" if holds else f"× {n}  not visited", size=13, anchor="start",
               colour=MUTED)
    ranked = sorted(counts, key=lambda pair: -counts[pair])
    for row, pair in enumerate(ranked):
        y = 78 + row * 22
        winner = pair == best
        if winner:
            d.rect(330, y - 10, 140, 21, fill=tint(ORANGE, 0.45), stroke=ORANGE, rx=3)
        sources = " + ".join(str(n) for chunk, n in chunks if pair in zip(chunk, chunk[1:]))
        d.text(345, y, f"({pair[0]}, {pair[1]})", size=13, mono=True, anchor="start", bold=winner)
        d.text(455, y, str(counts[pair]), size=13, mono=True, anchor="end", bold=winner)
        d.text(478, y, f"= {sources}" if "+" in sources else "", size=11, anchor="start", colour=MUTED)
    d.text(400, 270, "most frequent: (t, h), in 3 chunks", size=12, colour=ORANGE)
    added = [pair for pair in new_counts if "th" in pair]
    gone = [pair for pair in counts if pair not in new_counts]
    d.text(660, 262, "new pairs: " + ", ".join(f"({p}, {q}) {new_counts[(p, q)]}" for p, q in added), size=12)
    d.text(660, 282, "gone: " + ", ".join(f"({p}, {q})" for p, q in gone), size=12, colour=MUTED)
    d.line(20, 306, 780, 306, colour=PALE, width=1)
    d.text(400, 328, "Overlaps are merged left to right, never twice: merging (a, a) in a a a", size=14)
    end = tokens(230, 350, list("aaa"), lambda p: tint(BLUE, 0.25))
    d.line(end + 10, 363, end + 60, 363, colour=INK, width=2, arrow=True)
    tokens(end + 72, 350, ["aa", "a"], lambda p: tint(ORANGE, 0.6) if len(p) > 1 else tint(BLUE, 0.25))
    d.text(400, 404, "Bytes first: t is byte 116 and h byte 104; the first merge makes token 256 = th, the next 257,",
           size=13)
    d.text(400, 424, "and training repeats the step until the vocabulary has the size asked for.", size=13)
    return d.svg()


def lr_schedule():
    """Week 03: linear warmup then cosine decay to min_lr, with the steps and values the exercise's contract names."""
    from minillm.train import cosine_schedule  # the library's schedule (the exercise's reference)

    max_lr, min_lr, warmup, total, last = 1.0, 0.1, 10, 100, 120

    def lr_at(step):
        return cosine_schedule(step, max_lr, warmup, total, min_lr)

    d = Drawing(760, 420, "The learning-rate schedule: a linear warmup to max_lr over warmup_steps, a cosine "
                "decay to min_lr at total_steps, then min_lr")
    d.text(380, 24, "Warmup, then cosine decay", size=17, bold=True)
    left, right, top, bottom = 130, 700, 60, 320
    x = lambda step: left + (right - left) * step / last  # noqa: E731 (two tiny scales)
    y = lambda lr: bottom - (bottom - top) * lr / (1.1 * max_lr)  # noqa: E731
    d.line(left, bottom, right + 16, bottom, colour=INK, arrow=True)
    d.line(left, bottom, left, top - 20, colour=INK, arrow=True)
    d.text(right + 22, bottom, "step", size=13, anchor="start", colour=MUTED)
    d.text(left - 104, (top + bottom) / 2, "learning rate", size=13, colour=MUTED, rotate=-90)
    middle = (warmup + total) / 2
    for step, label in ((0, "0"), (warmup, "warmup_steps"), (middle, "halfway"), (total, "total_steps")):
        d.line(x(step), bottom, x(step), bottom + 5, colour=INK)
        d.text(x(step), bottom + (34 if step == warmup else 18), label, size=12, mono=label != "halfway")
        if step:
            d.line(x(step), bottom, x(step), y(lr_at(math.ceil(step))), colour=MUTED, width=1, dash="4,4")
    for lr, label in ((max_lr, "max_lr"), ((max_lr + min_lr) / 2, "(max+min)/2"), (min_lr, "min_lr")):
        d.line(left - 5, y(lr), left, y(lr), colour=INK)
        d.text(left - 9, y(lr), label, size=12, anchor="end", mono=True)
        d.line(left, y(lr), right, y(lr), colour=PALE, width=1)
    points = " L".join(f"{x(s):.1f},{y(lr_at(s)):.1f}" for s in range(last + 1))
    d.path(f"M{points}", colour=BLUE, width=3)
    for s in range(warmup):
        d.circle(x(s), y(lr_at(s)), 3, fill=BLUE, stroke=BLUE, width=1)
    for step in (warmup - 1, middle, total):
        d.circle(x(step), y(lr_at(step)), 5, fill="white", stroke=RED, width=2)
    d.text(x(warmup) + 14, y(0.28), "linear warmup", size=13, anchor="start", colour=BLUE, bold=True)
    d.text(x(warmup) + 14, y(0.20), "max_lr · (step + 1) / warmup_steps", size=12, anchor="start", mono=True)
    d.text(x(warmup) + 14, y(0.12), "step 0 already learns a little;", size=12, anchor="start", colour=MUTED)
    d.text(x(warmup) + 14, y(0.05), "step warmup_steps − 1 reaches max_lr", size=12, anchor="start", colour=MUTED)
    d.text(x(58), y(1.0), "cosine decay", size=13, anchor="start", colour=BLUE, bold=True)
    d.text(x(58), y(0.92), "min_lr + (max_lr − min_lr) · (1 + cos(π·p)) / 2", size=12, anchor="start", mono=True)
    d.text(x(58), y(0.84), "p = (step − warmup_steps)", size=12, anchor="start", mono=True, colour=MUTED)
    d.text(x(58), y(0.77), "  / (total_steps − warmup_steps)", size=12, anchor="start", mono=True, colour=MUTED)
    d.text(x(total) + 4, y(min_lr) - 18, "then min_lr", size=12, anchor="start", colour=BLUE)
    d.text(380, 384, f"Drawn with max_lr = {max_lr:g}, min_lr = {min_lr:g}, warmup_steps = {warmup}, "
           f"total_steps = {total}; steps count from 0.", size=13)
    d.text(380, 406, "Red circles: max_lr first reached at step warmup_steps − 1, the midpoint halfway, min_lr at "
           "total_steps.", size=12, colour=RED)
    return d.svg()


DIAGRAMS = {  # file in source/<week>/figures/ -> the function that draws it
    ("week00", "computation-graph.svg"): computation_graph,
    ("week01", "causal-mask.svg"): causal_mask,
    ("week01", "heads-split-merge.svg"): heads_split_merge,
    ("week01", "prenorm-block.svg"): prenorm_block,
    ("week02", "bpe-merge.svg"): bpe_merge,
    ("week03", "lr-schedule.svg"): lr_schedule,
}


def draw(week=None):
    """Write every diagram (of one week, or all) to source/<week>/figures/; return the paths written."""
    written = []
    for (week_id, name), function in DIAGRAMS.items():
        if week in (None, week_id):
            path = paths.SOURCE / week_id / "figures" / name
            path.parent.mkdir(exist_ok=True)
            path.write_text(function(), encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    for written in draw():
        print(written.relative_to(paths.ROOT))
