"""viz.py: plotly figures have the right traces and shapes; the bertviz adapter passes the model's real
attention weights (recomputed here by hand for layer 0) and renders HTML."""

import json
import math
import re

import plotly.graph_objects as go
import pytest
import torch

from minillm import viz
from minillm.model import GPT, ModelConfig
from minillm.train import TrainingLog

TOKENS = list("to be or")  # repeated characters on purpose: each position keeps its own row


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    config = ModelConfig.gpt2(vocab_size=50, block_size=16, n_layer=2, n_head=2, n_embd=16, dropout=0.2)
    return GPT(config)


@pytest.fixture(scope="module")
def idx():
    return torch.tensor([ord(c) % 50 for c in TOKENS])


def _layer0_attention_by_hand(model, idx):
    """softmax(q k^T / sqrt(D)) with a causal mask, from layer 0's own weights: the reference for the adapter."""
    T, H, D = len(idx), model.config.n_head, model.config.head_dim
    block = model.blocks[0]
    x = model.token_embedding.weight[idx] + model.position_embedding.weight[:T]
    q, k, _ = block.attn.qkv(block.attn_norm(x)).split(H * D, dim=-1)
    q, k = q.view(T, H, D).transpose(0, 1), k.view(T, H, D).transpose(0, 1)  # (H, T, D)
    scores = q @ k.transpose(-1, -2) / math.sqrt(D)
    scores = scores.masked_fill(torch.ones(T, T).triu(1).bool(), float("-inf"))
    return scores.softmax(-1).unsqueeze(0)  # (1, H, T, T)


@torch.no_grad()
def test_attentions_for_bertviz_are_the_models_weights(model, idx):
    model.train()
    attentions = viz.attentions_for_bertviz(model, idx)
    assert model.training, "the adapter must restore the model's training mode"
    assert isinstance(attentions, tuple) and len(attentions) == model.config.n_layer
    T = len(idx)
    for layer in attentions:
        assert layer.shape == (1, model.config.n_head, T, T) and layer.dtype == torch.float32
        torch.testing.assert_close(layer.sum(-1), torch.ones(1, model.config.n_head, T), msg="rows must sum to 1")
        assert (layer[..., torch.ones(T, T).triu(1).bool()] == 0).all(), "a token attended to a later token"
    torch.testing.assert_close(attentions[0], _layer0_attention_by_hand(model, idx), msg="not the model's weights")
    again = viz.attentions_for_bertviz(model, idx.unsqueeze(0))  # (1, T) input, and no dropout: same weights
    for a, b in zip(attentions, again):
        torch.testing.assert_close(a, b)


def test_attentions_for_bertviz_rejects_a_batch(model):
    with pytest.raises(ValueError, match="idx"):
        viz.attentions_for_bertviz(model, torch.zeros(2, 4, dtype=torch.long))


@pytest.mark.parametrize("view", [viz.head_view, viz.model_view])
def test_bertviz_views_render_html_with_the_real_weights(model, idx, view):
    html = view(model, idx, TOKENS).data
    assert "require.min.js" not in html and not re.search(r"<(script|link)[^>]*(src|href)=", html), \
        "the view must load nothing: no internet in a firewalled lab or a Binder"
    for library in viz.BERTVIZ_LIBRARIES.values():
        assert (viz.VENDOR / library).read_text(encoding="utf-8") in html, f"{library} is not inlined"
    assert len(re.findall("</script", html, re.I)) == 1 and "<!--" not in html, "one script, not ended early"
    params = json.loads(re.search(r"const params = (.*?); // HACK", html, re.S).group(1))
    shown = torch.tensor(params["attention"][0]["attn"])  # (n_layer, n_head, T, T)
    expected = torch.cat(viz.attentions_for_bertviz(model, idx))
    torch.testing.assert_close(shown, expected)
    assert params["attention"][0]["left_text"] == TOKENS
    with pytest.raises(ValueError, match="tokens"):
        view(model, idx, TOKENS[:-1])


def test_attention_heatmap_shape_and_labels():
    weights = torch.tril(torch.ones(len(TOKENS), len(TOKENS)))
    weights = weights / weights.sum(-1, keepdim=True)
    figure = viz.attention_heatmap(weights, TOKENS, title="head 0")
    assert isinstance(figure, go.Figure) and len(figure.data) == 1
    heatmap = figure.data[0]
    assert isinstance(heatmap, go.Heatmap)
    torch.testing.assert_close(torch.tensor(heatmap.z), weights)
    assert list(figure.layout.xaxis.ticktext) == TOKENS and list(figure.layout.yaxis.ticktext) == TOKENS
    assert figure.layout.yaxis.autorange == "reversed", "query 0 belongs at the top"
    with pytest.raises(ValueError, match="weights"):
        viz.attention_heatmap(torch.ones(2, 3), ["a", "b"])
    with pytest.raises(ValueError, match="tokens"):
        viz.attention_heatmap(torch.ones(2, 2), ["a"])


def test_loss_curve_from_sequence_log_and_dict():
    figure = viz.loss_curve([3.0, 2.5, 2.0])
    assert len(figure.data) == 1 and list(figure.data[0].x) == [0, 1, 2] and list(figure.data[0].y) == [3.0, 2.5, 2.0]

    log = TrainingLog(steps=[0, 1, 2, 3], losses=[4.0, 3.0, 2.5, 2.2], val_steps=[2, 4], val_losses=[2.8, 2.4])
    figure = viz.loss_curve(log, log_y=True)
    assert [t.name for t in figure.data] == ["train", "val"]
    assert list(figure.data[1].x) == [2, 4] and list(figure.data[1].y) == [2.8, 2.4]
    assert figure.layout.yaxis.type == "log"

    figure = viz.loss_curve({"lr 1e-3": log, "lr 1e-2": [5.0, 1.0]}, title="sweep")
    assert [t.name for t in figure.data] == ["lr 1e-3 train", "lr 1e-3 val", "lr 1e-2"]
    assert figure.layout.title.text == "sweep"


def test_bertviz_view_action_displays_and_bad_action_is_named(model, idx):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    try:
        with capture_output() as captured:
            assert viz.head_view(model, idx, TOKENS, html_action="view") is None
    finally:
        InteractiveShell.clear_instance()
    assert len(captured.outputs) == 1 and "const params = " in captured.outputs[0].data["text/html"]
    with pytest.raises(ValueError, match="html_action"):
        viz.head_view(model, idx, TOKENS, html_action="show")


def test_offline_bertviz_html_keeps_a_token_from_ending_the_script(model):
    idx = torch.tensor([1, 2])
    html = viz.head_view(model, idx, ["</script><script>alert(1)//", "b"]).data
    assert len(re.findall("</script", html, re.I)) == 1 and "<\\/script><script>alert(1)" in html
    with pytest.raises(ValueError, match="bertviz"):
        viz.offline_bertviz_html("<div>not bertviz</div>")


@pytest.mark.parametrize("T", [4, 32])
def test_attention_heatmap_gives_every_label_a_readable_row(T):
    labels = [f"t{i}" for i in range(T)]
    figure = viz.attention_heatmap(torch.full((T, T), 1.0 / T), labels)
    layout = figure.layout
    plot_height = layout.height - layout.margin.t - layout.margin.b
    plot_width = layout.width - layout.margin.l - layout.margin.r
    assert plot_height / T >= viz.HEATMAP_FONT_PX + 4 and plot_width / T >= viz.HEATMAP_FONT_PX + 4, \
        "a row narrower than its label's font makes plotly drop or overlap labels"
    for axis in (layout.xaxis, layout.yaxis):
        assert axis.tickmode == "array" and list(axis.ticktext) == labels and axis.tickfont.size == viz.HEATMAP_FONT_PX
    assert layout.yaxis.scaleanchor == "x", "square cells: a key column as wide as a query row is tall"
    if T == 32:
        assert layout.height > 525, "32 labels do not fit plotly's default height of 525 px"
