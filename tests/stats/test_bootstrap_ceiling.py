"""Per-resample noise ceilings and explicit resample indices against rsatoolbox on the same resamples."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign import RDMs
from neuroalign.errors import InvalidOptionError, ShapeMismatchError
from neuroalign.stats import NotEnoughSubjectsError, bootstrap_rdm_comparison, rdm_noise_ceiling
from neuroalign.stats.resample import draw_indices

N_STIM = 10
N_PAIRS = N_STIM * (N_STIM - 1) // 2
IDS = [f"s{k}" for k in range(N_STIM)]
#: neuroalign comparator -> rsatoolbox method name
RSATOOLBOX = {"spearman": "spearman", "pearson": "corr", "cosine": "cosine", "rho_a": "rho-a"}


@pytest.fixture(scope="module")
def rdms():
    rng = np.random.default_rng(12)
    truth = rng.random(N_PAIRS)
    models = np.stack([truth + 0.6 * rng.random(N_PAIRS), rng.random(N_PAIRS), np.round(rng.random(N_PAIRS), 1)])
    data = truth + 0.5 * rng.random((6, N_PAIRS))
    data[0] = np.round(data[0], 1)  # ties in a subject RDM, which its ranks and the pooled ranks must handle
    return models, data


@pytest.fixture(scope="module")
def indices():
    drawn = draw_indices(np.random.default_rng(7), 4, N_STIM)
    # a resample holding one stimulus many times, and the identity (every original pair once)
    return np.vstack([drawn, [0, 0, 0, 0, 1, 2, 3, 3, 4, 5], np.arange(N_STIM)])


@pytest.mark.parametrize("method", list(RSATOOLBOX))
def test_unit_weights_give_rdm_noise_ceiling(rdms, method):
    models, data = rdms
    result = bootstrap_rdm_comparison(models, data, method, noise_ceiling=True, indices=np.arange(N_STIM)[None])
    ceiling = rdm_noise_ceiling(RDMs(data, IDS), method)
    np.testing.assert_allclose(result.ceiling_observed, [ceiling.lower, ceiling.upper], rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.ceiling_samples[0], result.ceiling_observed, rtol=0, atol=1e-12)


@pytest.mark.parametrize("method", list(RSATOOLBOX))
def test_every_resample_matches_rsatoolbox(rdms, indices, method):
    import rsatoolbox
    from rsatoolbox.inference.noise_ceiling import boot_noise_ceiling

    models, data = rdms
    result = bootstrap_rdm_comparison(models, data, method, noise_ceiling=True, indices=indices, batch_size=3)
    theirs_data, theirs_models = rsatoolbox.rdm.RDMs(data), rsatoolbox.rdm.RDMs(models)
    for k, idx in enumerate(indices):
        sample = theirs_data.subsample_pattern("index", idx)
        lower, upper = boot_noise_ceiling(sample, method=RSATOOLBOX[method], rdm_descriptor="index")
        np.testing.assert_allclose(result.ceiling_samples[k], [lower, upper], rtol=0, atol=1e-10)
        model_samples = theirs_models.subsample_pattern("index", idx)
        evaluations = [np.mean(rsatoolbox.rdm.compare(model_samples[m], sample, RSATOOLBOX[method]))
                       for m in range(models.shape[0])]
        np.testing.assert_allclose(result.samples[k], evaluations, rtol=0, atol=1e-10)


def test_kendall_ceiling_pools_ranks_like_rsatoolbox(rdms, indices):
    import warnings

    import rsatoolbox
    from rsatoolbox.inference.noise_ceiling import boot_noise_ceiling

    models, data = rdms
    result = bootstrap_rdm_comparison(models[:1], data[:4], "kendall_tau_a", noise_ceiling=True,
                                      indices=indices[:2])
    for k, idx in enumerate(indices[:2]):
        sample = rsatoolbox.rdm.RDMs(data[:4]).subsample_pattern("index", idx)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # rsatoolbox warns that a tau ceiling pools ranks, as ours does
            expected = boot_noise_ceiling(sample, method="tau-a", rdm_descriptor="index")
        np.testing.assert_allclose(result.ceiling_samples[k], expected, rtol=0, atol=1e-10)


@pytest.mark.parametrize("scale, offset", [(0.5, 0.0), (1.0, 0.0), (1.0, 70000.0)])
def test_pooled_ranks_of_many_resamples_equal_scipy(scale, offset):
    import scipy.stats

    from neuroalign.stats._weighted import weighted_ranks_per_sample

    rng = np.random.default_rng(0)
    # heavy ties; half-integers sort as floats, integers as uint16 or (above 2**16) as int32
    values = np.round(rng.random((5, 3, 30)) * 6) * scale + offset
    counts = rng.integers(0, 3, size=(5, 30)).astype(float)
    ranks = weighted_ranks_per_sample(values, counts)
    for b in range(5):
        keep = counts[b] > 0
        for r in range(3):
            expected = scipy.stats.rankdata(np.repeat(values[b, r], counts[b].astype(int)))
            got = np.repeat(ranks[b, r], counts[b].astype(int))
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
            assert np.isfinite(ranks[b, r, ~keep]).all()


def test_score_fields_and_ceiling_interval(rdms):
    from neuroalign.core.score import Score

    models, data = rdms
    result = bootstrap_rdm_comparison(models, data, "spearman", n_bootstrap=40, seed=1, noise_ceiling=True)
    score = Score(**result.score_fields(0))
    assert (score.ceiling_low, score.ceiling) == tuple(result.ceiling_observed)
    bounds = result.ceiling_interval()
    assert bounds.shape == (2, 2) and (bounds[:, 0] <= bounds[:, 1]).all()
    assert (result.ceiling_samples[:, 0] < result.ceiling_samples[:, 1]).all()
    plain = bootstrap_rdm_comparison(models, data, "spearman", n_bootstrap=40, seed=1)
    np.testing.assert_array_equal(plain.samples, result.samples)  # the ceiling changes no resample
    assert "ceiling" not in plain.score_fields(0)
    with pytest.raises(InvalidOptionError, match="noise_ceiling=True"):
        plain.ceiling_interval()


def test_bad_ceiling_and_index_options(rdms):
    models, data = rdms
    with pytest.raises(InvalidOptionError, match="needs over='stimuli'"):
        bootstrap_rdm_comparison(models, data, over="both", n_bootstrap=5, noise_ceiling=True)
    with pytest.raises(NotEnoughSubjectsError, match=">= 3 subjects; got 2"):
        bootstrap_rdm_comparison(models, data[:2], n_bootstrap=5, noise_ceiling=True)
    with pytest.raises(ShapeMismatchError, match=r"n_stimuli=10\); got shape \(2, 9\)"):
        bootstrap_rdm_comparison(models, data, indices=np.zeros((2, 9), dtype=int))
    with pytest.raises(InvalidOptionError, match=r"lie in \[0, 9\]"):
        bootstrap_rdm_comparison(models, data, indices=np.full((1, N_STIM), 10))
    with pytest.raises(InvalidOptionError, match="must be integers"):
        bootstrap_rdm_comparison(models, data, indices=np.zeros((1, N_STIM)))
    with pytest.raises(ShapeMismatchError, match="n_bootstrap=5 but indices hold 1"):
        bootstrap_rdm_comparison(models, data, n_bootstrap=5, indices=np.arange(N_STIM)[None])
    with pytest.raises(InvalidOptionError, match="over='subjects'"):
        bootstrap_rdm_comparison(models, data, over="subjects", indices=np.arange(N_STIM)[None])
