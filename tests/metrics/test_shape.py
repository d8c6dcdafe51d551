"""Shape metrics against scipy's orthogonal Procrustes, Gram fidelity, CCA angles and brute-force permutations."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.linalg import eigh, orthogonal_procrustes, sqrtm

from neuroalign.metrics import MetricInputError, get_metric


def _centre(x):
    return x - x.mean(axis=0)


def _pad(x, d):
    return np.hstack([x, np.zeros((len(x), d - x.shape[1]))])


def np_procrustes(x, y, normalise):
    xc, yc = _centre(x), _centre(y)
    if normalise:
        xc, yc = xc / np.linalg.norm(xc), yc / np.linalg.norm(yc)
    d = max(xc.shape[1], yc.shape[1])
    xc, yc = _pad(xc, d), _pad(yc, d)
    r, _ = orthogonal_procrustes(yc, xc)  # argmin ||yc R - xc||
    residual = np.linalg.norm(yc @ r - xc)
    return 2.0 * np.arcsin(residual / 2.0) if normalise else residual  # chord -> arc on the unit sphere


@pytest.mark.parametrize("n,dx,dy", [(30, 4, 4), (25, 3, 6), (8, 20, 12)])
def test_procrustes_matches_scipy(n, dx, dy):
    rng = np.random.default_rng(n + dx)
    x, y = rng.normal(size=(n, dx)) * 2 + 1, rng.normal(size=(n, dy))
    assert get_metric("shape.euclidean")(x, y) == pytest.approx(np_procrustes(x, y, False), rel=1e-9)
    assert get_metric("shape.angular")(x, y) == pytest.approx(np_procrustes(x, y, True), rel=1e-9)


def test_bures_is_the_fidelity_of_normalised_centred_grams():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(12, 5)), rng.normal(size=(12, 30))
    kx, ky = (_centre(z) @ _centre(z).T for z in (x, y))
    kx, ky = kx / np.trace(kx), ky / np.trace(ky)
    root = sqrtm(kx).real
    fidelity = np.trace(sqrtm(root @ ky @ root)).real
    assert get_metric("shape.bures")(x, y) == pytest.approx(fidelity, rel=1e-6)
    assert np.cos(get_metric("shape.angular")(x, y)) == pytest.approx(get_metric("shape.bures")(x, y), rel=1e-12)


def np_alpha(x, y, alpha):
    """Explicit partial whitening matrices on unit-trace covariances, then angular Procrustes."""
    out = []
    for z in (x, y):
        zs = _centre(z) / np.linalg.norm(_centre(z))
        lam, v = eigh(zs.T @ zs)
        w = (v / np.sqrt(alpha + (1 - alpha) * lam)) @ v.T
        out.append(zs @ w)
    return np_procrustes(*out, normalise=True)


@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.0])
def test_alpha_family_matches_numpy(alpha):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(40, 4)) * [3.0, 1.0, 0.5, 0.1]
    y = x @ rng.normal(size=(4, 5)) + rng.normal(size=(40, 5))
    assert get_metric(f"shape.alpha.{alpha}")(x, y) == pytest.approx(np_alpha(x, y, alpha), rel=1e-8)


def test_alpha_ends_are_procrustes_and_the_cca_angle():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(50, 4))
    y = x @ rng.normal(size=(4, 4)) + 2.0 * rng.normal(size=(50, 4))
    assert get_metric("shape.alpha.1")(x, y) == pytest.approx(get_metric("shape.angular")(x, y), rel=1e-10)
    # Williams et al. (2021): with full whitening the shape metric is the arccos of the mean canonical correlation.
    assert get_metric("shape.alpha.0")(x, y) == pytest.approx(np.arccos(get_metric("cca.mean")(x, y)), rel=1e-10)


def test_permutation_matches_brute_force():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(15, 4))
    y = x[:, [2, 0, 3, 1]] + 0.8 * rng.normal(size=(15, 4))
    xc, yc = _centre(x) / np.linalg.norm(_centre(x)), _centre(y) / np.linalg.norm(_centre(y))
    best = max(np.sum(xc * yc[:, list(p)]) for p in itertools.permutations(range(4)))
    assert get_metric("shape.permutation")(x, y) == pytest.approx(np.arccos(best), rel=1e-12)
    # Unequal widths: the narrower side is padded with zero features.
    y5 = np.hstack([y, rng.normal(size=(15, 1))])
    yc5 = _pad(_centre(y5) / np.linalg.norm(_centre(y5)), 5)
    best5 = max(np.sum(_pad(xc, 5) * yc5[:, list(p)]) for p in itertools.permutations(range(5)))
    assert get_metric("shape.permutation")(x, y5) == pytest.approx(np.arccos(best5), rel=1e-12)
    assert get_metric("shape.permutation")(x, y) >= get_metric("shape.angular")(x, y)


@pytest.mark.parametrize("metric_id", ["shape.angular", "shape.euclidean", "shape.alpha.0.5", "shape.permutation",
                                       "shape.bures"])
def test_zero_variance_raises_naming_the_measure(metric_id):
    with pytest.raises(MetricInputError, match=rf"{metric_id}.*zero variance"):
        get_metric(metric_id)(np.random.default_rng(5).normal(size=(10, 3)), np.full((10, 2), -1.0))


def test_bad_parameters():
    for bad in ("shape.alpha", "shape.alpha.1.5", "shape.angular.2"):
        with pytest.raises(MetricInputError):
            get_metric(bad)
