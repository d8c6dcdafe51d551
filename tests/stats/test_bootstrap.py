"""Stimulus and subject bootstraps of RDM comparisons against brute force and scipy."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

from neuroalign import RDMs
from neuroalign.compare import compare
from neuroalign.errors import InvalidOptionError, NeuroAlignError
from neuroalign.stats import NotEnoughStimuliError, NotEnoughSubjectsError, bca_interval, bootstrap_rdm_comparison
from neuroalign.stats.resample import counts_from_indices, draw_indices, pair_index, pair_weights
from neuroalign.stats._weighted import weighted_compare

N_STIM = 9
N_PAIRS = N_STIM * (N_STIM - 1) // 2


@pytest.fixture
def rdms():
    rng = np.random.default_rng(3)
    truth = rng.random(N_PAIRS)
    models = np.stack([truth + 0.5 * rng.random(N_PAIRS), rng.random(N_PAIRS), np.round(rng.random(N_PAIRS), 1)])
    data = truth + 0.4 * rng.random((5, N_PAIRS))
    return models, data


def _expanded(values, indices):
    """Brute force: the condensed RDM of the resampled stimuli, pairs of a stimulus with its copy dropped."""
    index, keep = pair_index(indices[None], N_STIM)
    return values[:, index[0][keep[0]]]


@pytest.mark.parametrize("method", ["pearson", "cosine", "spearman", "rho_a"])
def test_weighted_comparison_equals_expanded_resample(rdms, method):
    models, data = rdms
    indices = draw_indices(np.random.default_rng(0), 6, N_STIM)
    fast = weighted_compare(models, data, pair_weights(counts_from_indices(indices, N_STIM)), method)
    for k, sample in enumerate(indices):
        brute = compare(_expanded(models, sample), _expanded(data, sample), method)
        np.testing.assert_allclose(fast[k], brute, atol=1e-12)


def test_unit_weights_reproduce_the_comparator(rdms):
    models, data = rdms
    for method in ("pearson", "spearman", "rho_a", "cosine"):
        np.testing.assert_allclose(weighted_compare(models, data, np.ones((1, N_PAIRS)), method)[0],
                                   compare(models, data, method), atol=1e-12)


def test_self_pairs_are_dropped_not_zero():
    values = np.arange(1.0, 1 + 6).reshape(1, 6)  # 4 stimuli, every dissimilarity > 0
    sample = np.array([0, 0, 1, 2])
    expanded = values[:, pair_index(sample[None], 4)[0][0][pair_index(sample[None], 4)[1][0]]]
    assert expanded.shape[1] == 6 - 1  # one pair (stimulus 0 with its copy) dropped
    assert (expanded > 0).all()
    assert pair_weights(counts_from_indices(sample[None], 4)).sum() == expanded.shape[1]


@pytest.mark.parametrize("over", ["stimuli", "subjects", "both"])
def test_samples_match_brute_force(rdms, over):
    models, data = rdms
    result = bootstrap_rdm_comparison(models, data, "spearman", over=over, n_bootstrap=8, seed=11, batch_size=3)
    rng = np.random.default_rng(11)
    stim = draw_indices(rng, 8, N_STIM) if over != "subjects" else np.tile(np.arange(N_STIM), (8, 1))
    subj = draw_indices(rng, 8, 5) if over != "stimuli" else np.tile(np.arange(5), (8, 1))
    for k in range(8):
        per_subject = compare(_expanded(models, stim[k]), _expanded(data, stim[k]), "spearman")
        np.testing.assert_allclose(result.samples[k], per_subject[:, subj[k]].mean(axis=1), atol=1e-12)
    np.testing.assert_allclose(result.observed, compare(models, data, "spearman").mean(axis=1), atol=1e-12)


def test_kendall_uses_the_expanded_path(rdms):
    models, data = rdms
    result = bootstrap_rdm_comparison(models[:1], data[:2], "tau-a", n_bootstrap=3, seed=2)
    stim = draw_indices(np.random.default_rng(2), 3, N_STIM)
    for k in range(3):
        brute = compare(_expanded(models[:1], stim[k]), _expanded(data[:2], stim[k]), "kendall_tau_a").mean()
        assert result.samples[k, 0] == pytest.approx(brute, abs=1e-12)


def test_seeded_reproducible_and_batch_independent(rdms):
    models, data = rdms
    a = bootstrap_rdm_comparison(models, data, "pearson", over="both", n_bootstrap=50, seed=4, batch_size=7)
    b = bootstrap_rdm_comparison(models, data, "pearson", over="both", n_bootstrap=50, seed=4, batch_size=50)
    c = bootstrap_rdm_comparison(models, data, "pearson", over="both", n_bootstrap=50, seed=5)
    again = bootstrap_rdm_comparison(models, data, "pearson", over="both", n_bootstrap=50, seed=4, batch_size=7)
    np.testing.assert_array_equal(a.samples, again.samples)
    np.testing.assert_allclose(a.samples, b.samples, atol=1e-14)  # same resamples; only summation order differs
    assert not np.array_equal(a.samples, c.samples)


def test_inputs_untouched_and_rdms_aligned(rdms):
    models, data = rdms
    ids = [f"s{k}" for k in range(N_STIM)]
    m, d = RDMs(models, ids), RDMs(data, ids)
    before = data.copy()
    shuffled = d.reorder(ids[::-1])
    a = bootstrap_rdm_comparison(m, shuffled, n_bootstrap=20, seed=1)
    b = bootstrap_rdm_comparison(models, data, n_bootstrap=20, seed=1)
    np.testing.assert_allclose(a.samples, b.samples, atol=1e-12)
    np.testing.assert_array_equal(data, before)


def test_percentile_and_bca_match_scipy_on_a_scalar_statistic():
    x = np.random.default_rng(8).gamma(2.0, size=25)
    for method in ("percentile", "BCa"):
        res = scipy.stats.bootstrap((x,), np.mean, n_resamples=2000, method=method, random_state=1)
        boot = res.bootstrap_distribution
        if method == "BCa":
            jack = np.array([np.delete(x, k).mean() for k in range(x.size)])
            ours = bca_interval(boot, np.asarray(x.mean()), jack)
        else:
            ours = np.percentile(boot, [2.5, 97.5])
        np.testing.assert_allclose(ours, [res.confidence_interval.low, res.confidence_interval.high], rtol=1e-10)


def test_bca_jackknife_is_leave_one_stimulus_out(rdms):
    models, data = rdms
    result = bootstrap_rdm_comparison(models, data, "pearson", n_bootstrap=20, seed=0)
    keep = [k for k in range(N_STIM) if k != 4]
    sub = RDMs(data, [str(k) for k in range(N_STIM)]).reorder([str(k) for k in keep]).dissimilarities
    sub_m = RDMs(models, [str(k) for k in range(N_STIM)]).reorder([str(k) for k in keep]).dissimilarities
    np.testing.assert_allclose(result.jackknife[4], compare(sub_m, sub, "pearson").mean(axis=1), atol=1e-12)
    low, high = result.interval(kind="bca").T
    assert (low <= high).all()


def test_paired_differences_and_corrections(rdms):
    models, data = rdms
    twins = np.stack([models[0], models[0], models[1]])
    result = bootstrap_rdm_comparison(twins, data, "pearson", n_bootstrap=200, seed=0)
    diff = result.paired_differences(correction="bonferroni")
    assert diff.pairs.tolist() == [[0, 1], [0, 2], [1, 2]]
    assert diff.p_values[0] == 1.0 and diff.observed[0] == 0.0  # identical models never differ
    np.testing.assert_allclose(diff.p_adjusted, np.minimum(1, 3 * diff.p_values))
    np.testing.assert_allclose(diff.observed, [0, *(result.observed[[0, 1]] - result.observed[2])])
    fdr = result.paired_differences(correction="fdr_bh")
    assert (fdr.p_adjusted <= diff.p_adjusted + 1e-15).all()


def test_score_fields_build_a_score(rdms):
    from neuroalign.core.score import Score

    models, data = rdms
    result = bootstrap_rdm_comparison(models, data, n_bootstrap=30, seed=0)
    score = Score(**result.score_fields(1))
    assert score.interval[0] <= score.interval[1] and score.raw.shape == (30,)
    assert score.provenance["seed"] == 0


def test_too_few_stimuli_or_subjects():
    rng = np.random.default_rng(0)
    with pytest.raises(NotEnoughStimuliError, match=">= 3 stimuli"):
        bootstrap_rdm_comparison(rng.random((1, 1)), rng.random((3, 1)), n_bootstrap=5)
    with pytest.raises(NotEnoughStimuliError, match="fewer than 3 distinct stimuli") as info:
        bootstrap_rdm_comparison(rng.random((1, 3)), rng.random((3, 3)), "pearson", n_bootstrap=50, seed=0)
    assert isinstance(info.value, NeuroAlignError) and isinstance(info.value, ValueError)
    with pytest.raises(NotEnoughSubjectsError, match=">= 3 subjects"):
        bootstrap_rdm_comparison(rng.random((1, 10)), rng.random((2, 10)), over="subjects", n_bootstrap=5)


def test_bad_options(rdms):
    models, data = rdms
    with pytest.raises(InvalidOptionError, match="cannot be bootstrapped"):
        bootstrap_rdm_comparison(models, data, "sqbures", n_bootstrap=5)
    with pytest.raises(InvalidOptionError, match="over must be"):
        bootstrap_rdm_comparison(models, data, over="trials", n_bootstrap=5)
    with pytest.raises(InvalidOptionError, match="BCa"):
        bootstrap_rdm_comparison(models, data, over="both", n_bootstrap=5).interval(kind="bca")
