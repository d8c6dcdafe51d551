"""Unequal numbers of measurements per stimulus: the unbalanced cross-validated estimator and run averaging.

A stimulus missing from a run is NaN in every channel of that run (what the M/EEG loader writes for a condition
with fewer trials). Cross-validated distances then average every cross-run product of two measurements (the
estimator of rsatoolbox's ``calc_rdm_unbalanced``); the others average each stimulus' measured runs.
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign import Recording
from neuroalign.errors import InvalidPatternsError, NotEnoughRunsError
from neuroalign.rdm import compute_rdms

from rdm_helpers import make_ids, padded_recording as _padded, rsatoolbox_unbalanced as _rsatoolbox_unbalanced

DIMS = ("run", "stimulus", "channel")


def _design(rng, runs, n, keep=0.65):
    """A random presence mask with every stimulus in at least 2 runs (the first two runs are complete)."""
    present = rng.random((runs, n)) < keep
    present[:2] = True
    return present


def _cross_products_by_hand(a, b, present):
    """The estimator's definition, one product at a time: S_ij, then S_ii + S_jj - S_ij - S_ji (condensed)."""
    runs, n, _ = a.shape
    s = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            products = [a[r, i] @ b[q, j] for r in range(runs) for q in range(runs)
                        if r != q and present[r, i] and present[q, j]]
            s[i, j] = np.mean(products)
    d = np.diag(s)[:, None] + np.diag(s)[None, :] - s - s.T
    return d[np.triu_indices(n, 1)]


@pytest.mark.parametrize("chunk", [None, 3])
def test_crossnobis_equals_rsatoolbox_calc_rdm_unbalanced(rng, chunk):
    patterns = rng.normal(size=(6, 7, 9))
    present = _design(rng, 6, 7)
    ours = compute_rdms(_padded(patterns, present), "crossnobis", normalize=True, chunk_units=chunk)
    theirs = _rsatoolbox_unbalanced(patterns, present, "crossnobis")
    np.testing.assert_allclose(ours.dissimilarities[0], theirs, rtol=1e-12, atol=1e-14)
    # with a full noise precision (rsatoolbox takes it as a p x p matrix)
    precision = np.linalg.inv(np.cov(rng.normal(size=(9, 50))))
    ours = compute_rdms(_padded(patterns, present), "crossnobis", normalize=True, noise=precision)
    theirs = _rsatoolbox_unbalanced(patterns, present, "crossnobis", noise=precision)
    np.testing.assert_allclose(ours.dissimilarities[0], theirs, rtol=1e-12, atol=1e-14)


def test_crossnobis_unbalanced_by_hand_and_exact_with_a_large_offset(rng):
    """The engine shifts the patterns to keep its products small and puts the shift back exactly: with an offset of
    1e4 it still equals the definition (computed in extended precision). Unlike the balanced estimator, the
    unbalanced one is not invariant to such an offset (nor is rsatoolbox's): its variance grows with it."""
    patterns = rng.normal(size=(5, 6, 8))
    present = _design(rng, 5, 6)
    np.testing.assert_allclose(compute_rdms(_padded(patterns, present), "crossnobis").dissimilarities[0],
                               _cross_products_by_hand(patterns, patterns, present), rtol=1e-12, atol=1e-13)
    shifted = patterns.astype(np.longdouble) + 1e4
    expected = _cross_products_by_hand(shifted, shifted, present).astype(np.float64)
    ours = compute_rdms(_padded(patterns + 1e4, present), "crossnobis").dissimilarities[0]
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-6 * np.abs(expected).max())
    assert not np.allclose(ours, _cross_products_by_hand(patterns, patterns, present), atol=1.0)
    weights = rng.uniform(0.5, 2.0, size=8)
    ours = compute_rdms(_padded(patterns, present), "crossnobis", noise=weights, chunk_units=3)
    np.testing.assert_allclose(ours.dissimilarities[0], _cross_products_by_hand(patterns * weights, patterns, present),
                               rtol=1e-12)


def test_balanced_design_gives_the_balanced_estimator_through_the_unbalanced_path(rng):
    """A run in which nothing was measured forces the unbalanced path; the values are the balanced ones."""
    patterns = rng.normal(size=(4, 6, 10)) + 3.0
    ids = make_ids(6)
    balanced = Recording(patterns, ids, dims=DIMS)
    padded = Recording(np.concatenate([patterns, np.full((1, 6, 10), np.nan)]), ids, dims=DIMS)
    for distance in ("crossnobis", "poisson_cv"):
        data = np.abs(patterns) if distance == "poisson_cv" else patterns
        balanced = Recording(data, ids, dims=DIMS)
        padded = Recording(np.concatenate([data, np.full((1, 6, 10), np.nan)]), ids, dims=DIMS)
        np.testing.assert_allclose(compute_rdms(padded, distance).dissimilarities,
                                   compute_rdms(balanced, distance).dissimilarities, rtol=1e-12, atol=1e-13)


def test_poisson_cv_balanced_equals_rsatoolbox_and_unbalanced_uses_cross_products_only(rng):
    """Balanced: equal to rsatoolbox's calc_rdm_unbalanced. Unbalanced: ours is the mean of cross-run products
    (as for crossnobis); rsatoolbox's averages symmetric divergences over pairs of measurements, which also holds
    each measurement's rate times its own log rate. Both are unbiased; they differ when counts differ."""
    counts = rng.poisson(4.0, size=(5, 6, 12)).astype(np.float64)
    rates = (counts + 0.1) / 1.1  # rsatoolbox's default prior (lambda 1, weight 0.1), also ours
    complete = np.ones((5, 6), dtype=bool)
    ours = compute_rdms(_padded(counts, complete), "poisson_cv", normalize=True).dissimilarities[0]
    np.testing.assert_allclose(ours, _rsatoolbox_unbalanced(counts, complete, "poisson_cv"), rtol=1e-12, atol=1e-14)

    present = _design(rng, 5, 6)
    ours = compute_rdms(_padded(counts, present), "poisson_cv").dissimilarities[0]
    np.testing.assert_allclose(ours, _cross_products_by_hand(rates, np.log(rates), present), rtol=1e-12)
    theirs = _rsatoolbox_unbalanced(counts, present, "poisson_cv")
    assert not np.allclose(ours / 12, theirs, rtol=1e-3)


def test_crossnobis_stays_unbiased_with_unequal_trials():
    """Identical true patterns, stimuli measured in 2 to 6 runs: the mean estimate is ~0 for every pair."""
    rng = np.random.default_rng(11)
    draws, runs, n, p = 300, 6, 4, 15
    truth = np.tile(rng.normal(size=p), (n, 1))
    present = np.ones((runs, n), dtype=bool)
    present[2:, 1] = False
    present[4:, 2] = False
    estimates = np.stack([compute_rdms(_padded(truth + rng.normal(size=(runs, n, p)), present),
                                       "crossnobis").dissimilarities[0] for _ in range(draws)])
    mean, sem = estimates.mean(axis=0), estimates.std(axis=0, ddof=1) / np.sqrt(draws)
    assert np.all(np.abs(mean) < 4 * sem)


@pytest.mark.parametrize("distance", ["correlation", "euclidean", "sqeuclidean", "cosine", "poisson"])
def test_distances_that_average_runs_use_the_mean_of_the_measured_runs(rng, distance):
    patterns = np.abs(rng.normal(size=(5, 6, 9))) + 0.5
    present = _design(rng, 5, 6)
    means = np.stack([patterns[present[:, i], i].mean(axis=0) for i in range(6)])
    ours = compute_rdms(_padded(patterns, present), distance).dissimilarities
    expected = compute_rdms(means, distance, stimulus_ids=make_ids(6)).dissimilarities
    np.testing.assert_allclose(ours, expected, rtol=1e-12)


def test_time_resolved_missing_trials(rng):
    """Per time point; trials missing at every time point, as the M/EEG loader pads them."""
    patterns = rng.normal(size=(4, 5, 6, 3))  # run, stimulus, channel, time
    present = _design(rng, 4, 5)
    data = patterns.copy()
    data[~present] = np.nan
    rec = Recording(data, make_ids(5), dims=("run", "stimulus", "channel", "time"), times=[0.0, 0.1, 0.2])
    rdms = compute_rdms(rec, "crossnobis")
    for t in range(3):
        np.testing.assert_allclose(rdms.dissimilarities[t],
                                   _cross_products_by_hand(patterns[..., t], patterns[..., t], present), rtol=1e-12)


def test_a_stimulus_in_a_single_run_is_refused_by_name(rng):
    patterns = rng.normal(size=(3, 4, 5))
    present = np.ones((3, 4), dtype=bool)
    present[1:, 2] = False
    with pytest.raises(NotEnoughRunsError, match=r"at least 2 runs.*stimulus 's002'"):
        compute_rdms(_padded(patterns, present), "crossnobis")
    # averaging distances are fine with one measurement
    assert np.isfinite(compute_rdms(_padded(patterns, present), "correlation").dissimilarities).all()


def test_partly_nan_patterns_are_bad_data_not_missing_trials(rng):
    data = rng.normal(size=(3, 4, 5))
    data[1, 2, :2] = np.nan
    rec = Recording(data, make_ids(4), dims=DIMS)
    for distance in ("crossnobis", "correlation"):
        with pytest.raises(InvalidPatternsError, match=r"NaN or Inf.*stimulus 's002' \(run '1'\) at channels 0, 1"):
            compute_rdms(rec, distance)


def test_a_stimulus_never_measured_is_refused(rng):
    data = rng.normal(size=(3, 4, 5))
    data[:, 3] = np.nan
    with pytest.raises(InvalidPatternsError, match=r"no measurement in any run.*stimulus 's003'"):
        compute_rdms(Recording(data, make_ids(4), dims=DIMS), "correlation")
    # without a run axis an all-NaN pattern is bad data, named as such
    with pytest.raises(InvalidPatternsError, match=r"NaN or Inf.*stimulus 's003'"):
        compute_rdms(Recording(data[0], make_ids(4), dims=DIMS[1:]), "correlation")


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="no CUDA device")
@pytest.mark.parametrize("distance", ["crossnobis", "poisson_cv", "correlation"])
def test_missing_runs_on_cuda_equal_the_cpu(rng, distance):
    import torch

    patterns = np.abs(rng.normal(size=(5, 30, 40))) + 0.1
    present = _design(rng, 5, 30)
    rec = _padded(patterns, present)
    cpu = compute_rdms(rec, distance, chunk_units=16).dissimilarities
    gpu = compute_rdms(rec, distance, chunk_units=16, device="cuda").dissimilarities
    np.testing.assert_allclose(gpu, cpu, rtol=1e-10, atol=1e-12)
    single = compute_rdms(rec, distance, device="cuda", dtype=torch.float32).dissimilarities
    np.testing.assert_allclose(single, cpu, rtol=1e-3, atol=1e-3 * np.abs(cpu).max())


def test_float32_follows_float64(rng):
    import torch

    patterns = rng.normal(size=(5, 20, 30))
    present = _design(rng, 5, 20)
    want = compute_rdms(_padded(patterns, present), "crossnobis").dissimilarities
    got = compute_rdms(_padded(patterns, present), "crossnobis", dtype=torch.float32, chunk_units=8).dissimilarities
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-5 * np.abs(want).max())


def test_a_cross_validated_distance_without_an_unbalanced_estimator_is_refused(rng):
    """A third-party cross-validated distance that does not declare one never sees the zero-filled slots."""
    from neuroalign.errors import InvalidOptionError
    from neuroalign.rdm import Euclidean

    class PlainCrossValidated(Euclidean):
        unbalanced = False

        def __init__(self):
            super().__init__("plain_cv", root=False)
            self.cross_validated = True

    present = _design(rng, 4, 5)
    with pytest.raises(InvalidOptionError, match=r"distance 'plain_cv' has no estimator for unequal measurements"):
        compute_rdms(_padded(rng.normal(size=(4, 5, 6)), present), PlainCrossValidated())
