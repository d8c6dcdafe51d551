"""Leave-one-subject-out noise ceilings against rsatoolbox's boot_noise_ceiling."""

from __future__ import annotations

import numpy as np
import pytest
import rsatoolbox

from neuroalign import RDMs
from neuroalign.stats.ceiling import NotEnoughSubjectsError, rdm_noise_ceiling


@pytest.fixture
def subjects():
    rng = np.random.default_rng(5)
    truth = rng.random(45)
    return RDMs(truth + 0.3 * rng.random((6, 45)), [f"s{k}" for k in range(10)])


@pytest.mark.parametrize(("ours", "theirs"), [("spearman", "spearman"), ("pearson", "corr"), ("cosine", "cosine")])
def test_matches_rsatoolbox(subjects, ours, theirs):
    from rsatoolbox.inference.noise_ceiling import boot_noise_ceiling

    lower, upper = boot_noise_ceiling(subjects.to_rsatoolbox(), method=theirs, rdm_descriptor="index")
    ceiling = rdm_noise_ceiling(subjects, comparator=ours)
    assert ceiling.lower == pytest.approx(lower, rel=1e-12)
    assert ceiling.upper == pytest.approx(upper, rel=1e-12)
    assert ceiling.lower < ceiling.upper


def test_needs_three_subjects(subjects):
    with pytest.raises(NotEnoughSubjectsError, match="needs >= 3 subjects; got 2"):
        rdm_noise_ceiling(subjects[:2])


def test_real_92_image_ceiling(data_mirror):
    from neuroalign.datasets import kriegeskorte92
    from neuroalign.demo.rsa92 import subject_rdms

    subjects = subject_rdms(kriegeskorte92.human_it_rdms(data_mirror))
    ceiling = rdm_noise_ceiling(subjects, "spearman")
    from rsatoolbox.inference.noise_ceiling import boot_noise_ceiling

    lower, upper = boot_noise_ceiling(subjects.to_rsatoolbox(), method="spearman", rdm_descriptor="index")
    assert (ceiling.lower, ceiling.upper) == pytest.approx((lower, upper), rel=1e-12)
    assert 0.0 < ceiling.lower < ceiling.upper < 1.0
    assert rsatoolbox  # the reference implementation is the one imported at the top


# --- whitened comparators: pooled in the whitened space (issue 14, item 25) ----------------------------------------
def _hit_subjects(data_mirror):
    from neuroalign.datasets import kriegeskorte92
    from neuroalign.demo.rsa92 import subject_rdms

    return subject_rdms(kriegeskorte92.human_it_rdms(data_mirror))


def _best_whitened_pool(values, centre):
    """By hand: with sigma_k = I, ``d^T V^-1 d`` is ``||H (-D/2) H||_F^2`` up to one factor (double centring), so the
    RDMs divided by that norm are unit vectors of the whitened space and their mean scores best against them."""
    from scipy.spatial.distance import squareform

    rdms = values - values.mean(axis=1, keepdims=True) if centre else values
    n = squareform(rdms[0]).shape[0]
    h = np.eye(n) - 1.0 / n
    norms = np.array([np.linalg.norm(h @ squareform(d) @ h) for d in rdms])
    return (rdms / norms[:, None]).mean(axis=0)


@pytest.mark.parametrize(("ours", "theirs", "centre"), [("whitened_cosine", "cosine_cov", False),
                                                       ("whitened_pearson", "corr_cov", True)])
def test_no_rdm_beats_the_whitened_upper_bound_on_real_data(data_mirror, ours, theirs, centre):
    """The plain mean pooled before: the whitened pool scored 0.81770 against an "upper bound" of 0.81700."""
    from rsatoolbox.inference.noise_ceiling import boot_noise_ceiling
    from rsatoolbox.rdm import compare as rsa_compare
    from rsatoolbox.util.inference_util import pool_rdm

    from neuroalign.compare import compare

    subjects = _hit_subjects(data_mirror)
    values = subjects.dissimilarities
    ceiling = rdm_noise_ceiling(subjects, ours)
    best = _best_whitened_pool(values, centre)
    assert compare(values, best[None], ours).mean() == pytest.approx(ceiling.upper, abs=1e-12)
    # rsatoolbox's comparator agrees on that pool, to its solver's precision
    theirs_scores = rsa_compare(subjects.to_rsatoolbox(), rsatoolbox.rdm.RDMs(best[None]), theirs)
    assert theirs_scores.mean() == pytest.approx(ceiling.upper, abs=1e-8)
    rng = np.random.default_rng(0)
    candidates = [values.mean(axis=0), pool_rdm(subjects.to_rsatoolbox(), theirs).get_vectors()[0]]
    candidates += [best + 0.02 * best.std() * rng.normal(size=best.size) for _ in range(5)]
    for candidate in candidates:
        assert compare(values, candidate[None], ours).mean() < ceiling.upper
    # rsatoolbox pools cosine_cov / corr_cov without the whitening, so its upper bound is below a reachable score
    _, upper = boot_noise_ceiling(subjects.to_rsatoolbox(), method=theirs, rdm_descriptor="index")
    assert upper < ceiling.upper - 1e-4


def _explicit_whitening(n, sigma):
    """``V^-1/2`` for ``V = (C S C^T) o (C S C^T)``, built and factorised explicitly."""
    rows, cols = np.triu_indices(n, 1)
    contrasts = np.zeros((rows.size, n))
    contrasts[np.arange(rows.size), rows], contrasts[np.arange(rows.size), cols] = 1.0, -1.0
    v = (contrasts @ sigma @ contrasts.T) ** 2
    values, vectors = np.linalg.eigh(v)
    return vectors @ np.diag(values**-0.5) @ vectors.T


def test_whitened_bounds_are_the_closed_form_maximum_with_a_full_sigma():
    from scipy.optimize import minimize

    n, rng = 6, np.random.default_rng(4)
    a = rng.normal(size=(n, n))
    sigma = a @ a.T + n * np.eye(n)
    whiten = _explicit_whitening(n, sigma)
    subjects = RDMs(rng.random(15) + 0.5 * rng.random((4, 15)), [f"s{k}" for k in range(n)])
    unit = subjects.dissimilarities @ whiten.T
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    ceiling = rdm_noise_ceiling(subjects, "whitened_cosine", sigma_k=sigma)
    assert ceiling.upper == pytest.approx(np.linalg.norm(unit.mean(axis=0)), abs=1e-12)
    others = [np.delete(unit, k, axis=0).sum(axis=0) for k in range(4)]
    expected_lower = [u @ o / np.linalg.norm(o) for u, o in zip(unit, others)]
    np.testing.assert_allclose(ceiling.lower_per_subject, expected_lower, rtol=0, atol=1e-12)

    def negative_mean_score(p):
        wp = whiten @ p
        return -(unit @ wp).mean() / np.linalg.norm(wp)

    found = max(-minimize(negative_mean_score, rng.normal(size=15)).fun for _ in range(5))
    assert found == pytest.approx(ceiling.upper, abs=1e-7) and found <= ceiling.upper + 1e-12


# --- rank comparators: where the pooled ranks are not the best-scoring RDM -----------------------------------------
def test_tau_a_ceiling_warns_that_it_is_no_bound_and_a_model_beats_it(data_mirror):
    """Pooled mean ranks have ties, which tau-a counts as neither concordant nor discordant; breaking them helps."""
    import scipy.stats

    from neuroalign.compare import compare
    from neuroalign.stats import CeilingNotABoundWarning

    subjects = _hit_subjects(data_mirror)
    with pytest.warns(CeilingNotABoundWarning, match="not the best-scoring RDM for kendall_tau_a"):
        ceiling = rdm_noise_ceiling(subjects, "tau-a")
    pooled = scipy.stats.rankdata(subjects.dissimilarities, axis=1).mean(axis=0)
    tie_broken = pooled + 1e-6 * scipy.stats.rankdata(subjects.dissimilarities[0])  # ties broken by subject 1
    assert compare(subjects.dissimilarities, tie_broken[None], "kendall_tau_a").mean() > ceiling.upper + 1e-7


def test_spearman_upper_bound_can_be_exceeded_by_a_hair_as_documented(data_mirror):
    """docs/statistics.md: the Spearman pool is ranked again, so a rank vector can exceed it (by ~1e-8 on hIT)."""
    import scipy.stats

    from neuroalign.compare import compare

    subjects = _hit_subjects(data_mirror)
    ceiling = rdm_noise_ceiling(subjects, "spearman")
    pooled = scipy.stats.rankdata(subjects.dissimilarities, axis=1).mean(axis=0)
    excess = compare(subjects.dissimilarities, np.round(pooled)[None], "spearman").mean() - ceiling.upper
    assert 0 < excess < 1e-6
