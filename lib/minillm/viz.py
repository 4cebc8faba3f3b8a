"""Pictures of training and attention: plotly loss curves and heat maps, and bertviz views of a model's
real attention weights.

bertviz is optional: only `head_view` and `model_view` import it, when called. Its views draw with no internet:
the d3 and jQuery they need are inlined from pinned copies in minillm/vendor/ (see vendor/README.md) instead of
being fetched from a CDN through require.js.
"""

import re
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import torch
from plotly.io.base_renderers import MimetypeRenderer
from plotly.offline import get_plotlyjs

VENDOR = Path(__file__).with_name("vendor")
BERTVIZ_LIBRARIES = {"d3": "d3-5.7.0.min.js", "jquery": "jquery-3.7.1.min.js"}
# bertviz's HTML starts with this tag; its script then asks require.js for jquery and d3 from a CDN
BERTVIZ_REQUIRE_TAG = '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js"></script>'
# what bertviz's script runs in instead: the two libraries as local values, and a `requirejs` that hands them over
BERTVIZ_LOADER = """var d3 = {{}}, jquery = {{exports: {{}}}};
(function (exports, module, define) {{
{d3}
}}).call(window, d3, {{}}, undefined);
(function (module, exports, define) {{
{jquery}
}}).call(window, jquery, jquery.exports, undefined);
var modules = {{d3: d3, jquery: jquery.exports}};
var require = {{config: function () {{}}}};
function requirejs(names, body) {{ body.apply(window, names.map(function (name) {{ return modules[name]; }})); }}
"""


class OfflineHTMLRenderer(MimetypeRenderer):
    """A figure as text/html drawn by a plotly.js already on the page (`plotly_js_html`), never one from a CDN.

    The fallback for viewers without plotly's JupyterLab extension: nbconvert's HTML export and nbviewer show
    text/html, while JupyterLab prefers the figure's plotly JSON (application/vnd.plotly.v1+json) beside it.
    """

    def to_mimebundle(self, fig_dict):
        html = pio.to_html(fig_dict, include_plotlyjs=False, include_mathjax=False, full_html=False,
                           default_width="100%", default_height=525, validate=False)  # as in JupyterLab
        return {"text/html": html}


def plotly_js_html() -> str:
    """The installed plotly.js (about 4.6 MB) as an inline script, once per notebook, for OfflineHTMLRenderer."""
    # PlotlyConfig first: plotly.js then leaves a page's own MathJax set-up alone
    return f"<script>window.PlotlyConfig = {{MathJaxConfig: 'local'}};</script>\n<script>{get_plotlyjs()}</script>"


def _traces(data, name: str = "") -> list[go.Scatter]:
    """Line traces for one run: a TrainingLog-like object (steps, losses, val_steps, val_losses) or a sequence."""
    if hasattr(data, "losses"):
        prefix = f"{name} " if name else ""
        traces = [go.Scatter(x=list(data.steps), y=list(data.losses), mode="lines", name=prefix + "train")]
        if data.val_losses:
            val = go.Scatter(x=list(data.val_steps), y=list(data.val_losses), mode="lines+markers", name=prefix + "val")
            traces.append(val)
        return traces
    values = [float(v) for v in data]
    return [go.Scatter(x=list(range(len(values))), y=values, mode="lines", name=name or "loss")]


def loss_curve(curves, title: str = "loss", log_y: bool = False) -> go.Figure:
    """Loss against step as a plotly figure.

    curves: a TrainingLog (a "train" trace, plus "val" if it has validation losses), a sequence of losses
        (one trace, x = 0, 1, ...), or a dict {name: TrainingLog or sequence} to compare runs in one figure.
    log_y: logarithmic loss axis.
    """
    if isinstance(curves, dict):
        traces = [trace for name, data in curves.items() for trace in _traces(data, name)]
    else:
        traces = _traces(curves)
    figure = go.Figure(traces)
    figure.update_layout(title=title, xaxis_title="step", yaxis_title="loss", yaxis_type="log" if log_y else "linear")
    return figure


HEATMAP_ROW_PX = 18  # pixels per token in attention_heatmap: room for an 11 px label
HEATMAP_FONT_PX = 11
HEATMAP_MIN_PX = 240


def attention_heatmap(weights, tokens, title: str = "attention") -> go.Figure:
    """Heat map of one head's attention: weights (T, T), row i = how query token i spreads over key tokens.

    tokens: T strings, the labels of both axes. Positions, not strings, place the cells, so repeated tokens
    keep their own rows and columns. Query 0 is at the top. The figure grows with T (HEATMAP_ROW_PX a token),
    so a 32-token context still shows every label.
    """
    weights = torch.as_tensor(weights).detach().float().cpu()
    if weights.dim() != 2 or weights.shape[0] != weights.shape[1]:
        raise ValueError(f"weights must be a square (T, T) matrix, got shape {tuple(weights.shape)}")
    if len(tokens) != weights.shape[0]:
        raise ValueError(f"tokens must have one label per row of weights ({weights.shape[0]}), got {len(tokens)}")
    positions = list(range(len(tokens)))
    labels = [str(t) for t in tokens]
    figure = go.Figure(go.Heatmap(z=weights.tolist(), x=positions, y=positions, colorscale="Blues", zmin=0.0, zmax=1.0))
    # sized from the number of labels, so that every label has its own readable row and column (square cells)
    side = max(HEATMAP_MIN_PX, HEATMAP_ROW_PX * len(labels))
    margin = dict(t=60, b=60, l=60, r=20)
    figure.update_layout(title=title, xaxis_title="key", yaxis_title="query", margin=margin,
                         height=side + margin["t"] + margin["b"], width=side + margin["l"] + margin["r"] + 100)
    ticks = dict(tickmode="array", tickvals=positions, ticktext=labels, tickfont_size=HEATMAP_FONT_PX, automargin=True)
    figure.update_xaxes(**ticks, constrain="domain", tickangle=0 if max(map(len, labels), default=0) <= 2 else -90)
    figure.update_yaxes(**ticks, autorange="reversed", scaleanchor="x", constrain="domain")
    return figure


@torch.no_grad()
def attentions_for_bertviz(model: torch.nn.Module, idx: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """The model's attention weights on `idx` in bertviz's layout: one (1, n_head, T, T) float CPU tensor per layer.

    idx: (T,) or (1, T) token ids (bertviz shows one sequence). The model runs in eval mode (no dropout) with
    `model(idx, return_attentions=True) -> (logits, loss, attentions)`; its training mode is restored after.
    """
    if idx.dim() == 1:
        idx = idx.unsqueeze(0)
    if idx.dim() != 2 or idx.shape[0] != 1:
        raise ValueError(f"idx must be (T,) or (1, T): bertviz shows one sequence, got shape {tuple(idx.shape)}")
    was_training = model.training
    model.eval()
    _, _, attentions = model(idx.to(next(model.parameters()).device), return_attentions=True)
    model.train(was_training)
    return tuple(layer.detach().float().cpu() for layer in attentions)


def _checked_bertviz_inputs(model, idx, tokens):
    attention = attentions_for_bertviz(model, idx)
    length = attention[0].shape[-1]
    if len(tokens) != length:
        raise ValueError(f"tokens must have one label per position of idx ({length}), got {len(tokens)}")
    return attention, [str(t) for t in tokens]


def offline_bertviz_html(html: str) -> str:
    """bertviz's HTML (html_action="return") made self-contained: no require.js, d3 and jQuery inlined.

    bertviz's own script runs unchanged inside a function that gives it a local `require.config` (which does
    nothing) and `requirejs` (which hands it the inlined libraries), so nothing is fetched and no global name of
    the page (a notebook's own require.js or jQuery) is touched.
    """
    script = re.fullmatch(r'(.*)<script type="text/javascript">\n(.*)\n</script>\s*', html, re.S)
    if not html.startswith(BERTVIZ_REQUIRE_TAG) or script is None:
        raise ValueError("not bertviz 1.4's HTML: its require.js tag or script was not found")
    loader = BERTVIZ_LOADER.format(**{name: (VENDOR / file).read_text(encoding="utf-8")
                                      for name, file in BERTVIZ_LIBRARIES.items()})
    code = re.sub(r"</(script)", r"<\\/\1", f"(function () {{\n{loader}\n{script.group(2)}\n}})();", flags=re.I)
    return script.group(1)[len(BERTVIZ_REQUIRE_TAG):] + f"<script>\n{code}\n</script>\n"


def _bertviz(view, model, idx, tokens, html_action, kwargs):
    from IPython.display import HTML, display

    if html_action not in ("return", "view"):
        raise ValueError(f"html_action must be 'return' or 'view', got {html_action!r}")
    attention, tokens = _checked_bertviz_inputs(model, idx, tokens)
    page = HTML(offline_bertviz_html(view(attention=attention, tokens=tokens, html_action="return", **kwargs).data))
    if html_action == "return":
        return page
    display(page)


def head_view(model: torch.nn.Module, idx: torch.Tensor, tokens, html_action: str = "return", **kwargs):
    """bertviz's head view of the model's attention on `idx` (tokens: one label per position), drawn offline.

    html_action="return" gives an IPython HTML object (shown when it is a cell's last value); "view" displays it.
    Other keyword arguments go to bertviz.head_view (layer, heads, include_layers, ...).
    """
    from bertviz import head_view as bertviz_head_view

    return _bertviz(bertviz_head_view, model, idx, tokens, html_action, kwargs)


def model_view(model: torch.nn.Module, idx: torch.Tensor, tokens, html_action: str = "return", **kwargs):
    """bertviz's model view (every layer and head at once) of the model's attention on `idx`; as `head_view`."""
    from bertviz import model_view as bertviz_model_view

    return _bertviz(bertviz_model_view, model, idx, tokens, html_action, kwargs)
