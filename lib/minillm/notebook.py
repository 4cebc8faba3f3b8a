"""Notebook set-up shared by every week: tiny or full mode, seeds, device, and figures that draw everywhere."""

import os
import random
import sys

import numpy as np
import torch


def full_mode(requested):
    """Return whether to run the full-size experiments.

    ``requested`` is the notebook's ``FULL`` parameter. Grading and CI set ``MINILLM_TINY=1``, which forces
    tiny mode whatever the notebook asks for.
    """
    if not isinstance(requested, bool):
        raise TypeError(f"FULL must be True or False, got {requested!r}")
    return requested and os.environ.get("MINILLM_TINY") != "1"


def seed_everything(seed):
    """Seed Python, NumPy and PyTorch so that every run of a notebook is the same."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def pick_device():
    """The fastest device present: CUDA, then Apple's MPS, else the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def setup_figures():
    """Make this kernel's plotly figures draw in every place a learner opens the notebook, with no internet.

    In a Jupyter kernel each figure then carries its plotly JSON (JupyterLab's plotly extension draws it, and so
    do the grader's feedback pages) and a text/html copy drawn by the plotly.js that this call embeds, once, in
    its own cell's output (nbconvert's HTML export and nbviewer, which run no extension). That costs a notebook
    about 5 MB when saved with outputs. On Colab plotly's Colab renderer stays. A renderer chosen through
    PLOTLY_RENDERER stands: the grader sets plotly_mimetype (the figure's data alone) to keep graded notebooks
    small. Outside a kernel (a script, the grader's shell) this does nothing.
    """
    import plotly.io as pio
    from IPython import get_ipython
    from IPython.display import display

    from minillm import viz

    if os.environ.get("PLOTLY_RENDERER"):
        return
    if "google.colab" in sys.modules:  # each output is its own frame there: plotly's renderer loads plotly.js in it
        pio.renderers.default = "colab"
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    pio.renderers["minillm_offline_html"] = viz.OfflineHTMLRenderer()
    pio.renderers.default = "plotly_mimetype+minillm_offline_html"
    display({"text/html": viz.plotly_js_html()}, raw=True)
