"""neuroalign's distances against rsatoolbox 0.3.2's ``calc_rdm``, one test per row of the docs' mapping table.

rsatoolbox divides every sum over channels by the number of channels and names the squared euclidean distance
"euclidean"; ``normalize=True`` is that convention.
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.rdm import compute_rdms, noise_precision

from rdm_helpers import rsa_dataset, run_recording

rsatoolbox = pytest.importorskip("rsatoolbox")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # rsatoolbox casts string descriptors noisily

RTOL = 1e-10


def rsa(patterns, method, **kwargs):
    """rsatoolbox's RDM of a ``(run, stimulus, channel)`` array (runs averaged unless cross-validated)."""
    cv = {"cv_descriptor": "run"} if method in ("crossnobis", "poisson_cv") else {}
    rdms = rsatoolbox.rdm.calc_rdm(rsa_dataset(patterns), method=method, descriptor="stim", **cv, **kwargs)
    return rdms.get_vectors()[0]


def ours(patterns, distance, **kwargs):
    return compute_rdms(run_recording(patterns), distance, **kwargs).dissimilarities[0]


@pytest.fixture
def patterns(rng):
    return rng.normal(size=(3, 10, 24)) + 0.5


def test_rsatoolbox_euclidean_is_our_sqeuclidean_over_p(patterns):
    p = patterns.shape[2]
    np.testing.assert_allclose(ours(patterns, "sqeuclidean") / p, rsa(patterns, "euclidean"), rtol=RTOL)
    np.testing.assert_allclose(ours(patterns, "sqeuclidean", normalize=True), rsa(patterns, "euclidean"), rtol=RTOL)


def test_rsatoolbox_correlation_is_our_correlation(patterns):
    np.testing.assert_allclose(ours(patterns, "correlation"), rsa(patterns, "correlation"), rtol=RTOL, atol=1e-14)


def test_rsatoolbox_mahalanobis_is_our_sqmahalanobis_over_p(patterns, rng):
    precision = noise_precision(rng.normal(size=(60, patterns.shape[2])))
    np.testing.assert_allclose(ours(patterns, "sqmahalanobis", noise=precision, normalize=True),
                               rsa(patterns, "mahalanobis", noise=precision), rtol=RTOL)


def test_rsatoolbox_crossnobis_is_our_crossnobis_over_p(patterns, rng):
    precision = noise_precision(rng.normal(size=(60, patterns.shape[2])), "shrinkage_eye")
    p = patterns.shape[2]
    np.testing.assert_allclose(ours(patterns, "crossnobis") / p, rsa(patterns, "crossnobis"), rtol=RTOL)
    np.testing.assert_allclose(ours(patterns, "crossnobis", noise=precision, normalize=True),
                               rsa(patterns, "crossnobis", noise=precision), rtol=RTOL)


@pytest.mark.parametrize("runs", [2, 3, 4, 5])
def test_crossnobis_equals_rsatoolbox_leave_one_run_out_for_any_run_count(rng, runs):
    """Pairwise products (R <= 3) and the totals form (R >= 4) both equal the leave-one-run-out average."""
    patterns = rng.normal(size=(runs, 7, 12))
    np.testing.assert_allclose(ours(patterns, "crossnobis", normalize=True), rsa(patterns, "crossnobis"),
                               rtol=1e-9)


def test_rsatoolbox_poisson_is_our_poisson_over_p(rng):
    rates = rng.poisson(3.0, size=(2, 9, 20)).astype(float)  # includes zeros: the prior keeps them finite
    assert (rates == 0).any()
    np.testing.assert_allclose(ours(rates, "poisson", normalize=True), rsa(rates, "poisson"), rtol=RTOL)


def test_rsatoolbox_poisson_cv_keeps_only_the_last_fold(rng):
    """rsatoolbox 0.3.2 overwrites its per-fold RDM in the loop; ours averages every ordered pair of runs."""
    runs, n, p = 3, 6, 15
    rates = rng.gamma(3.0, size=(runs, n, p))
    prior = (rates + 0.1) / 1.1

    def fold(test):  # rsatoolbox's per-fold value: the mean of the other runs against the held-out run
        train = prior[[r for r in range(runs) if r != test]].mean(axis=0)
        held = np.log(prior[test])
        return [np.sum((train[i] - train[j]) * (held[i] - held[j])) / p for i in range(n) for j in range(i + 1, n)]

    by_hand = np.mean([fold(s) for s in range(runs)], axis=0)
    np.testing.assert_allclose(ours(rates, "poisson_cv", normalize=True), by_hand, rtol=RTOL)
    np.testing.assert_allclose(rsa(rates, "poisson_cv"), fold(runs - 1), rtol=RTOL)
    assert not np.allclose(rsa(rates, "poisson_cv"), by_hand, rtol=1e-3)
