"""minillm.scaling: the fit recovers a known law (Chinchilla's published one) from its own values, and the
closed-form compute-optimal size equals a brute-force search along the compute budget."""

import math

import numpy as np
import pytest
import torch

from minillm.scaling import chinchilla_loss, compute_optimal, fit_scaling_law

CHINCHILLA = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}  # Hoffmann et al. 2022, eq. 10


def grid(params, noise=0.0):
    n, d = np.meshgrid(np.geomspace(1e6, 1e9, 5), np.geomspace(1e8, 1e11, 5))
    n, d = n.ravel(), d.ravel()
    loss = chinchilla_loss(n, d, params)
    rng = np.random.default_rng(0)
    return n, d, loss * np.exp(noise * rng.standard_normal(loss.shape))


def test_fit_recovers_a_known_law():
    fit = fit_scaling_law(*grid(CHINCHILLA))
    for key, value in CHINCHILLA.items():
        assert fit[key] == pytest.approx(value, rel=1e-3), key
    assert fit["objective"] < 1e-10


def test_fit_with_noise_stays_close_and_predicts():
    n, d, loss = grid(CHINCHILLA, noise=0.002)
    fit = fit_scaling_law(n, d, loss)
    assert fit["alpha"] == pytest.approx(0.34, abs=0.05) and fit["beta"] == pytest.approx(0.28, abs=0.05)
    assert chinchilla_loss(1e10, 1e12, fit) == pytest.approx(chinchilla_loss(1e10, 1e12, CHINCHILLA), rel=0.02)


def test_compute_optimal_equals_brute_force():
    compute = 5.76e23  # Chinchilla's budget
    n_opt, d_opt = compute_optimal(compute, CHINCHILLA)
    n = np.geomspace(1e8, 1e12, 400_001)
    loss = chinchilla_loss(n, compute / (6 * n), CHINCHILLA)
    assert n_opt == pytest.approx(n[np.argmin(loss)], rel=1e-3)
    assert 6 * n_opt * d_opt == pytest.approx(compute)
    # the exponent: N_opt grows as C^(beta / (alpha + beta))
    ratio = compute_optimal(10 * compute, CHINCHILLA)[0] / n_opt
    assert math.log10(ratio) == pytest.approx(0.28 / 0.62)


def test_bad_input():
    n, d, loss = grid(CHINCHILLA)
    with pytest.raises(ValueError, match="at least 5"):
        fit_scaling_law(n[:4], d[:4], loss[:4])
    with pytest.raises(ValueError, match="same length"):
        fit_scaling_law(n, d[:-1], loss)
    with pytest.raises(ValueError, match="loss must be positive"):
        fit_scaling_law(n, d, -loss)
    assert isinstance(fit_scaling_law(torch.tensor(n), d, list(loss))["E"], float)
