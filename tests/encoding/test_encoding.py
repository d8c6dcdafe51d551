"""Encoding models against scikit-learn (RidgeCV with a penalty per target; Ridge over grouped inner folds), and the
per-target noise ceilings against closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Ridge, RidgeCV

from neuroalign.encoding import fit_encoding, ncsnr_ceiling, normalise_by_ceiling, split_half_ceiling
from neuroalign.errors import InvalidOptionError
from neuroalign.metrics.base import MetricInputError
from neuroalign.metrics.folds import group_kfold_splits, kfold_splits

ALPHAS = np.logspace(-1, 6, 8)


@pytest.fixture(scope="module", params=[150, 20], ids=["wide", "tall"])
def data(request):
    """96 stimuli and 150 features (the Gram matrix is decomposed) or 20 on an offset (the thin SVD of the
    centred features: fewer features than training rows)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((96, request.param)) + (3.0 if request.param < 96 else 0.0)
    y = x[:, :10] @ rng.standard_normal((10, 60)) * rng.uniform(0.02, 0.5, 60) + rng.standard_normal((96, 60))
    return x, y


def _pearson(y, p):
    yc, pc = y - y.mean(0), p - p.mean(0)
    return (yc * pc).sum(0) / np.sqrt((yc * yc).sum(0) * (pc * pc).sum(0))


def test_loo_equals_ridgecv_alpha_per_target(data):
    x, y = data
    ours = fit_encoding(x, y, alphas=ALPHAS, n_folds=4, dtype="float64", chunk=25)  # chunks split the targets
    for f, (train, test) in enumerate(kfold_splits(len(x), 4)):
        reference = RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(x[train], y[train])
        prediction = reference.predict(x[test])
        np.testing.assert_array_equal(ours.alphas[f], reference.alpha_)
        np.testing.assert_allclose(ours.r_per_fold[f], _pearson(y[test], prediction), rtol=0, atol=1e-12)
        r2 = 1 - ((y[test] - prediction) ** 2).sum(0) / ((y[test] - y[test].mean(0)) ** 2).sum(0)
        np.testing.assert_allclose(ours.r2_per_fold[f], r2, rtol=0, atol=1e-12)


def test_float32_agrees_with_float64(data):
    x, y = data
    single = fit_encoding(x, y, alphas=ALPHAS, n_folds=4)
    double = fit_encoding(x, y, alphas=ALPHAS, n_folds=4, dtype="float64")
    assert single.backend == "numpy/float32"
    assert np.median(np.abs(single.r - double.r)) < 1e-5


def test_grouped_inner_folds_equal_ridge_on_the_same_folds(data):
    x, y = data
    groups = np.repeat(np.arange(8), 12)
    ours = fit_encoding(x, y, groups=groups, alphas=ALPHAS, n_folds=4, inner=3, dtype="float64")
    for f, (train, test) in enumerate(group_kfold_splits(groups, 4)):
        inner = group_kfold_splits(groups[train], 3)
        errors = np.zeros((len(ALPHAS), y.shape[1]))
        for k, alpha in enumerate(ALPHAS):
            for tr, va in inner:
                fit = Ridge(alpha=alpha).fit(x[train][tr], y[train][tr])
                errors[k] += ((y[train][va] - fit.predict(x[train][va])) ** 2).mean(0)
        best = ALPHAS[errors.argmin(0)]
        np.testing.assert_array_equal(ours.alphas[f], best)
        prediction = Ridge(alpha=best).fit(x[train], y[train]).predict(x[test])
        np.testing.assert_allclose(ours.r_per_fold[f], _pearson(y[test], prediction), rtol=0, atol=1e-10)
        assert set(groups[train]).isdisjoint(groups[test])


def test_split_half_ceiling_is_root_of_spearman_brown():
    rng = np.random.default_rng(1)
    signal = rng.standard_normal((40, 5))
    repeats = signal + rng.standard_normal((2, 40, 5)) * np.array([0.1, 0.5, 1.0, 2.0, 50.0])
    half = np.array([np.corrcoef(repeats[0][:, j], repeats[1][:, j])[0, 1] for j in range(5)])
    np.testing.assert_allclose(split_half_ceiling(repeats), np.sqrt(np.clip(2 * half / (1 + half), 0, None)),
                               rtol=1e-12)


def test_ncsnr_ceiling_closed_form():
    rng = np.random.default_rng(2)
    repeats = rng.standard_normal((3, 50, 4)) + rng.standard_normal((1, 50, 4)) * np.array([0.0, 0.5, 1.0, 3.0])
    flat = repeats.reshape(-1, 4)
    z = (repeats - flat.mean(0)) / flat.std(0)
    noise = z.var(axis=0, ddof=1).mean(0)
    snr2 = np.clip(1 - noise, 0, None) / noise
    np.testing.assert_allclose(ncsnr_ceiling(repeats), np.sqrt(snr2 / (snr2 + 1 / 3)), rtol=1e-12)
    assert ncsnr_ceiling(repeats)[3] > ncsnr_ceiling(repeats)[1]


def test_normalised_summary_ignores_unreliable_targets():
    summary = normalise_by_ceiling([0.1, 0.4, 0.05], [0.05, 0.8, 0.5], min_ceiling=0.2)
    np.testing.assert_array_equal(summary.reliable, [False, True, True])
    assert summary.n_reliable == 2 and summary.mean == pytest.approx((0.5 + 0.1) / 2)
    with pytest.raises(InvalidOptionError, match="no target has a ceiling >= 0.9"):
        normalise_by_ceiling([0.1], [0.5], min_ceiling=0.9)


def test_bad_inputs_name_the_problem(data):
    x, y = data
    constant = y.copy()
    constant[:, 7] = 1.0
    with pytest.raises(MetricInputError, match=r"targets \[7\]"):
        fit_encoding(x, constant)
    with pytest.raises(MetricInputError, match="same rows"):
        fit_encoding(x[:-1], y)
    with pytest.raises(InvalidOptionError, match="inner must be"):
        fit_encoding(x, y, inner="gcv")
    for chunk in (0, -3, 2.5):
        with pytest.raises(InvalidOptionError, match="chunk must be a positive number"):
            fit_encoding(x, y, chunk=chunk)


def test_any_chunk_of_targets_gives_the_same_fit(data):
    """Chunks of 1, 7 and all the targets, and the default: the same penalties and scores (chunking is memory only)."""
    x, y = data
    fits = [fit_encoding(x, y, n_folds=4, inner="loo", dtype="float64", chunk=chunk)
            for chunk in (1, 7, y.shape[1], None)]
    for fit in fits[1:]:
        np.testing.assert_array_equal(fit.alphas, fits[0].alphas)
        np.testing.assert_allclose(fit.r_per_fold, fits[0].r_per_fold, rtol=0, atol=1e-12)


@pytest.mark.parametrize("inner", ["loo", 3])
def test_torch_on_the_cpu_equals_numpy(data, inner):
    """Both decompositions (the Gram matrix's, the thin SVD's) through himalaya's torch backend."""
    x, y = data
    groups = np.repeat(np.arange(8), 12)
    numpy_fit = fit_encoding(x, y, groups=groups, alphas=ALPHAS, n_folds=4, inner=inner, dtype="float64")
    torch_fit = fit_encoding(x, y, groups=groups, alphas=ALPHAS, n_folds=4, inner=inner, dtype="float64",
                             device="cpu")
    assert torch_fit.backend == "torch/float64"
    np.testing.assert_array_equal(torch_fit.alphas, numpy_fit.alphas)
    np.testing.assert_allclose(torch_fit.r_per_fold, numpy_fit.r_per_fold, rtol=0, atol=1e-10)
