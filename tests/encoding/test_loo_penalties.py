"""The leave-one-out penalty search that skips the products of penalties that cannot win
(neuroalign.metrics.ridge_loo): the same penalties as computing every error, and as scikit-learn's
``RidgeCV(alpha_per_target=True)`` on real fMRI voxels."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from himalaya.backend import set_backend
from sklearn.linear_model import RidgeCV
from threadpoolctl import threadpool_limits

from neuroalign.encoding import fit_encoding
from neuroalign.metrics import ridge_loo
from neuroalign.metrics.folds import group_kfold_splits
from neuroalign.metrics.ridge_solver import decompose

ALPHAS = np.logspace(-1, 8, 10)


def _all_errors(x, y, alphas):
    """Every penalty's leave-one-out error of every target, by scikit-learn's closed form in float64."""
    xc = x - x.mean(0)
    with threadpool_limits(1, user_api="blas"):  # a threaded eigh stalls on a loaded machine (see ridge_solver)
        eigenvalues, q = np.linalg.eigh(xc @ xc.T + 1.0)
    intercept = np.argmax(np.abs(q.sum(0)))
    p = q.T @ (y - y.mean(0))
    errors = []
    for alpha in alphas:
        w = 1.0 / (eigenvalues + alpha)
        w[intercept] = 0.0
        errors.append((((q @ (w[:, None] * p)) / ((q * q) @ w)[:, None]) ** 2).sum(0))
    return np.array(errors)


@pytest.fixture(scope="module")
def problem():
    """500 rows, 700 features (32 of them drive the targets), 400 targets whose signal-to-noise ratios span the
    penalty grid (the perf case's design at a quarter of its rows)."""
    rng = np.random.default_rng(18)
    x = rng.standard_normal((500, 700))
    y = x[:, :32] @ rng.standard_normal((32, 400)) * np.logspace(-2.5, 0.5, 400) + rng.standard_normal((500, 400))
    return x, y, _all_errors(x, y, ALPHAS)


def _search(x, y, dtype):
    hb = set_backend("numpy")
    d = decompose(hb, x.astype(dtype), np.arange(len(x)))
    yc = (y - y.mean(0)).astype(dtype)
    p = (yc.T @ d.q).T
    plan = ridge_loo.loo_plan(hb, d.q, d.eigenvalues, d.intercept_dim, ALPHAS.astype(dtype), d.null_leverage)
    return ridge_loo.best_alphas_loo(hb, plan, p, None if d.null_leverage is None else yc - d.q @ p)


@pytest.fixture(scope="module")
def tall_problem():
    """More rows than features (600 x 40, on an offset): the thin basis of the centred features, not the Gram."""
    rng = np.random.default_rng(20)
    x = rng.standard_normal((600, 40)) + 3.0
    y = x[:, :10] @ rng.standard_normal((10, 300)) * np.logspace(-2.5, 0.5, 300) + rng.standard_normal((600, 300))
    return x, y, _all_errors(x, y, ALPHAS)


def test_thin_basis_search_chooses_what_every_error_chooses(tall_problem):
    x, y, errors = tall_problem
    assert decompose(set_backend("numpy"), x, np.arange(len(x))).q.shape == (600, 40)
    chosen = _search(x, y, np.float64)
    np.testing.assert_array_equal(chosen, errors.argmin(0))
    assert len(np.unique(chosen)) >= 4


def test_pruned_search_chooses_what_every_error_chooses(problem, monkeypatch):
    x, y, errors = problem
    open_counts, in_play = [], ridge_loo._in_play

    def recording(lower, upper):  # the real pruning, with a count of the penalties left per target
        live = in_play(lower, upper)
        open_counts.append(np.bincount(live.sum(0), minlength=len(ALPHAS) + 1))
        return live

    monkeypatch.setattr(ridge_loo, "_in_play", recording)
    chosen = _search(x, y, np.float64)
    np.testing.assert_array_equal(chosen, errors.argmin(0))
    assert len(np.unique(chosen)) >= 5  # the targets' best penalties span the grid
    # Both prunings drop penalties, the extreme rows settle some targets, and exact errors settle the others.
    first, second = (counts @ np.arange(len(counts)) for counts in open_counts)
    assert second < first < len(ALPHAS) * y.shape[1]
    assert open_counts[1][1] > open_counts[0][1] and open_counts[1][2:].sum() > 0


def test_float32_search_differs_only_on_rounding_ties(problem):
    x, y, errors = problem
    chosen = _search(x, y, np.float32)
    targets = np.arange(y.shape[1])
    gap = (errors[chosen, targets] - errors.min(0)) / errors.min(0)
    assert (gap < 1e-5).all()
    assert (chosen == errors.argmin(0)).mean() > 0.99


@pytest.fixture(scope="module")
def haxby(data_mirror):
    """Four runs of the Haxby slice's 530 voxels; features: the category regressors at six lags plus a fixed
    random projection of the whole slice's previous volume (real noise, a spread of penalties)."""
    folder = data_mirror / "haxby2001_subj1_slice"
    bold = np.asarray(nib.load(folder / "bold.nii.gz").dataobj, dtype=np.float64)
    mask = np.asarray(nib.load(folder / "mask.nii.gz").dataobj).astype(bool)
    labels, runs = np.loadtxt(folder / "attributes_literal.txt", dtype=str).T
    keep = np.isin(runs.astype(int), [0, 1, 2, 3])
    voxels = bold[mask].T[keep]
    onehot = (labels[keep, None] == np.unique(labels)[None, :]).astype(np.float64)
    lagged = np.hstack([np.roll(onehot, lag, axis=0) for lag in range(6)])
    rng = np.random.default_rng(2001)
    projection = np.roll(voxels, 1, axis=0) @ rng.standard_normal((voxels.shape[1], 200)) / 100
    return np.hstack([lagged, projection]), voxels, runs[keep].astype(int)


@pytest.mark.realdata
def test_loo_penalties_equal_ridgecv_on_haxby_voxels(haxby):
    x, y, runs = haxby
    ours = fit_encoding(x, y, groups=runs, n_folds=4, alphas=ALPHAS, inner="loo", dtype="float64")
    for f, (train, test) in enumerate(group_kfold_splits(runs, 4)):
        with threadpool_limits(1, user_api="blas"):  # RidgeCV's eigh stalls in two threads on a loaded machine
            reference = RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(x[train], y[train])
        np.testing.assert_array_equal(ours.alphas[f], reference.alpha_)
        prediction = reference.predict(x[test])
        yc, pc = y[test] - y[test].mean(0), prediction - prediction.mean(0)
        r = (yc * pc).sum(0) / np.sqrt((yc * yc).sum(0) * (pc * pc).sum(0))
        np.testing.assert_allclose(ours.r_per_fold[f], r, rtol=0, atol=1e-10)
    assert len(np.unique(ours.alphas)) >= 3
