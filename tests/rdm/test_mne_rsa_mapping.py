"""neuroalign's distances against mne-rsa's ``compute_rdm``, whose names are scipy's ``pdist`` metrics.

mne-rsa is an optional test dependency; without it these tests skip (the scipy tests in
``test_reference_distances.py`` pin the same numbers).
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.rdm import compute_rdms, noise_precision

from rdm_helpers import make_ids

mne_rsa = pytest.importorskip("mne_rsa")


@pytest.mark.parametrize("name", ["euclidean", "sqeuclidean", "correlation", "cosine"])
def test_mne_rsa_names_mean_the_same_distance(rng, name):
    """In particular mne-rsa's "euclidean" is the plain distance, as ours (rsatoolbox's is squared and / p)."""
    patterns = rng.normal(size=(11, 17))
    ours = compute_rdms(patterns, name, stimulus_ids=make_ids(11)).dissimilarities[0]
    np.testing.assert_allclose(ours, mne_rsa.compute_rdm(patterns, metric=name), rtol=1e-10, atol=1e-14)


def test_mne_rsa_mahalanobis_is_our_mahalanobis(rng):
    patterns = rng.normal(size=(9, 6))
    precision = noise_precision(rng.normal(size=(40, 6)), "full")
    ours = compute_rdms(patterns, "mahalanobis", stimulus_ids=make_ids(9), noise=precision).dissimilarities[0]
    np.testing.assert_allclose(ours, mne_rsa.compute_rdm(patterns, metric="mahalanobis", VI=precision), rtol=1e-10)
