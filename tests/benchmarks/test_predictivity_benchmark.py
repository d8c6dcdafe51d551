"""The Haxby slice neural-predictivity benchmark, recomputed by hand with scikit-learn's Ridge on the same folds."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from neuroalign.benchmarks import score
from neuroalign.benchmarks.firstparty import HaxbySlicePredictivity
from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.metrics.folds import group_kfold_splits
from neuroalign.models import PrecomputedAdapter
from neuroalign.metrics import split_half_reliability
from neuroalign.stats.reliability import spearman_brown

pytestmark = pytest.mark.realdata


def _by_hand(bench, features):
    data = bench.recording.data
    centred = data - data.mean(axis=1, keepdims=True)
    n_runs, n_stim, n_vox = centred.shape
    x, y, runs = np.tile(features, (n_runs, 1)), centred.reshape(-1, n_vox), np.repeat(np.arange(n_runs), n_stim)
    per_fold = []
    for train, test in group_kfold_splits(runs, bench.n_folds):
        errors = np.zeros((len(bench.alphas), n_vox))
        for k, alpha in enumerate(bench.alphas):
            for tr, va in group_kfold_splits(runs[train], len(np.unique(runs[train]))):
                fit = Ridge(alpha=alpha).fit(x[train][tr], y[train][tr])
                errors[k] += ((y[train][va] - fit.predict(x[train][va])) ** 2).mean(0)
        prediction = Ridge(alpha=bench.alphas[errors.argmin(0)]).fit(x[train], y[train]).predict(x[test])
        yc, pc = y[test] - y[test].mean(0), prediction - prediction.mean(0)
        per_fold.append((yc * pc).sum(0) / np.sqrt((yc * yc).sum(0) * (pc * pc).sum(0)))
    with pytest.warns(UserWarning):  # anti-correlated halves (their ceiling is 0)
        half = split_half_reliability(data, None, n_splits=bench.n_splits, seed=0).half
    ceiling = np.sqrt(np.clip(np.nan_to_num(spearman_brown(half, 2 / n_runs)), 0, None))
    return np.mean(per_fold, axis=0), np.array(per_fold), ceiling


def test_haxby_predictivity_equals_ridge_by_hand(tmp_path, data_mirror):
    bench = HaxbySlicePredictivity(mirror=data_mirror)
    bench.alphas = np.array([0.1, 10.0, 1000.0])  # fewer penalties: the by-hand reference refits per penalty
    ids = list(bench.stimuli().stimulus_ids)
    # A layer that carries the categories' mean voxel patterns (their top principal components) plus noise.
    means = bench.recording.data.mean(axis=0)
    features = np.linalg.svd(means - means.mean(0), full_matrices=False)[0][:, :5]
    features = features + 0.05 * np.random.default_rng(0).standard_normal(features.shape)
    path = tmp_path / "features.npz"
    np.savez(path, stimulus_ids=np.array(ids), layer=features)
    result = score(PrecomputedAdapter(path, model_id="f"), bench, stats=StatsPolicy(commitment="last",
                                                                                     n_bootstrap=50))
    r, per_fold, ceiling = _by_hand(bench, features)
    kept = ceiling >= bench.min_ceiling
    assert 50 < kept.sum() < len(kept)  # some voxels are reliable, some are left out
    assert result.value == pytest.approx(r[kept].mean(), abs=1e-9)
    assert result.ceiling == pytest.approx(ceiling[kept].mean(), abs=1e-12)
    np.testing.assert_allclose(result.raw, per_fold[:, kept].mean(axis=1), atol=1e-9)
    assert 0 < result.value < result.ceiling and result.interval[0] <= result.value <= result.interval[1]
