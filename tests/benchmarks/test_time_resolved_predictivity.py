"""The EEG time-resolved predictivity benchmark, recomputed with scikit-learn's Ridge on scikit-learn's folds, and run
by ``neuroalign run`` with its defaults on a tiny offline model."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold

from neuroalign.benchmarks import score
from neuroalign.benchmarks.firstparty import SsvepEegTimeResolvedPredictivity
from neuroalign.benchmarks.stratified_folds import stratified_fold_labels
from neuroalign.models import PrecomputedAdapter

pytestmark = pytest.mark.realdata

TIME_POINTS = (2, 21, 50)  # one early point (the onset decodes), two inside the 1-15 s window


@pytest.fixture(scope="module")
def bench(data_mirror):
    return SsvepEegTimeResolvedPredictivity(mirror=data_mirror)


@pytest.fixture(scope="module")
def conditions(bench):
    return np.array(bench.stimuli().metadata["condition"])


def _condition_features(conditions, noise=0.0, seed=0):
    """Features that tell the two conditions apart (6 units each), with noise; float32, as a model serves them."""
    onehot = np.repeat(np.stack([conditions == "1xx", conditions == "2xx"], axis=1), 6, axis=1).astype(float)
    return (onehot + np.random.default_rng(seed).normal(scale=noise, size=onehot.shape)).astype(np.float32)


def _ridge_by_hand(x, y, conditions, alphas):
    """Per-feature held-out r averaged over StratifiedKFold(4) folds; each feature's penalty chosen by
    leave-one-fold-out on the training folds (summed per-fold mean squared error), then Ridge refit."""
    outer = np.empty(len(y), dtype=int)
    for k, (_, test) in enumerate(StratifiedKFold(4).split(x, conditions)):
        outer[test] = k
    per_fold = []
    for train, test in LeaveOneGroupOut().split(x, groups=outer):
        errors = np.zeros((len(alphas), y.shape[1]))
        for k, alpha in enumerate(alphas):
            for tr, va in LeaveOneGroupOut().split(x[train], groups=outer[train]):
                fit = Ridge(alpha=alpha).fit(x[train][tr], y[train][tr])
                errors[k] += ((y[train][va] - fit.predict(x[train][va])) ** 2).mean(axis=0)
        prediction = Ridge(alpha=alphas[errors.argmin(axis=0)]).fit(x[train], y[train]).predict(x[test])
        yc, pc = y[test] - y[test].mean(0), prediction - prediction.mean(0)
        per_fold.append((yc * pc).sum(0) / np.sqrt((yc * yc).sum(0) * (pc * pc).sum(0)))
    return np.mean(per_fold, axis=0)


def test_stratified_folds_are_sklearn_stratified_kfold():
    rng = np.random.default_rng(0)
    for strata in (np.repeat(["b", "a"], 8), rng.choice(["x", "y", "z"], size=31), rng.integers(0, 2, size=17)):
        expected = np.empty(len(strata), dtype=int)
        for k, (_, test) in enumerate(StratifiedKFold(4).split(np.zeros(len(strata)), strata)):
            expected[test] = k
        np.testing.assert_array_equal(stratified_fold_labels(strata, 4), expected)


def test_eeg_decoding_equals_sklearn_ridge_on_the_same_folds(bench, conditions, tmp_path):
    features = _condition_features(conditions, noise=0.5)
    ids = list(bench.stimuli().stimulus_ids)
    path = tmp_path / "features.npz"
    np.savez(path, stimulus_ids=np.array(ids), layer=features)
    result = score(PrecomputedAdapter(path, model_id="f"), bench)  # the benchmark's own policy: its defaults
    details = result.provenance["details"]
    # The windows and the scale, recomputed: 8-sample means of the 32 Hz trials, divided by their overall SD.
    data = bench.recording.data
    windows = data.reshape(*data.shape[:2], -1, 8).mean(axis=-1)
    windows = windows / windows.std()
    times = bench.recording.times.reshape(-1, 8).mean(axis=-1)
    np.testing.assert_allclose(details["times"], times, rtol=1e-12)
    course = np.array(details["time_course"])
    for t in TIME_POINTS:
        r = _ridge_by_hand(windows[:, :, t], features.astype(np.float64), conditions, np.asarray(bench.alphas))
        np.testing.assert_allclose(course[t], r.mean(), rtol=1e-10)
    inside = (times >= 1.0) & (times <= 15.0)
    assert result.value == pytest.approx(course[inside].mean(), abs=1e-12)
    assert result.ceiling is None and result.normalized is None and result.raw.shape == (4,)
    assert result.value == pytest.approx(result.raw.mean(), abs=1e-12)  # per-fold window means
    low, high = np.percentile(result.raw, [2.5, 97.5])  # the fold spread
    assert result.interval == pytest.approx((low, high), abs=1e-12)
    assert result.provenance["commitment"] == {"method": "last", "layer": "layer"}
    assert details["n_features"] == 12 and details["samples_per_time_point"] == 8 and len(course) == 64


def test_every_model_that_separates_the_two_phrases_scores_the_same(bench, conditions):
    """The docstring's claim: a feature affine in the condition gives the same held-out r as the condition itself."""
    ids = list(bench.stimuli().stimulus_ids)
    rng = np.random.default_rng(1)
    model = np.outer(conditions == "2xx", rng.normal(size=40)) + rng.normal(size=40)
    model[:, :3] = 7.0  # constant units are left out (and counted)
    indicator = (conditions == "2xx")[:, None].astype(float)
    a, b = bench.evaluate(model, ids), bench.evaluate(indicator, ids)
    np.testing.assert_allclose(a.details["time_course"], b.details["time_course"], rtol=1e-9, atol=1e-12)
    assert a.details["n_constant_features"] == 3 and a.details["n_features"] == 37


def test_neuroalign_run_with_its_defaults_on_a_tiny_model(bench, conditions, tiny_models, data_mirror, tmp_path,
                                                          monkeypatch, capsys):
    """``neuroalign list``, ``info`` and ``run`` with nothing but the ids; the tiny BERT tells the two phrases
    apart, so its score is the condition's own (the claim above)."""
    from neuroalign.cli.main import main
    from neuroalign.store import ResultsStore

    monkeypatch.setenv("NEUROALIGN_DATA_MIRROR", str(data_mirror))
    monkeypatch.setenv("NEUROALIGN_DATA_CACHE", str(tmp_path / "data"))
    monkeypatch.setenv("NEUROALIGN_CACHE_DIR", str(tmp_path / "activations"))
    assert main(["list", "benchmarks"]) == 0
    assert bench.id in capsys.readouterr().out
    assert main(["info", bench.id]) == 0
    assert "ceiling_method: none" in capsys.readouterr().out
    model_id, store = f"hf:{tiny_models['tiny-bert']}", tmp_path / "results.sqlite"
    assert main(["run", "-m", model_id, "-b", bench.id, "--store", str(store)]) == 0
    assert f"scored   {model_id} on {bench.id}:" in capsys.readouterr().out
    (row,) = ResultsStore(store).results().itertuples()
    expected = bench.evaluate((conditions == "2xx")[:, None].astype(float), list(bench.stimuli().stimulus_ids))
    assert row.value == pytest.approx(expected.value, abs=1e-9) and row.benchmark_version == "1"
