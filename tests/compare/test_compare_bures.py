"""Bures similarity and squared Bures distance: closed forms, rsatoolbox on Euclidean RDMs, the non-PSD case."""

from __future__ import annotations

import numpy as np
import pytest
from rsatoolbox.rdm.compare import compare as rsa_compare
from scipy.linalg import null_space

from neuroalign.compare import (DegenerateRDMError, MissingPairsError, bures_similarity, compare, sqbures)
from neuroalign.errors import UnknownNameError

N = 8


def _rdm_from_g(g):
    """The condensed RDM whose centred second moment is ``g`` (``d_ij = g_ii + g_jj - 2 g_ij``)."""
    rows, cols = np.triu_indices(g.shape[0], 1)
    return g[rows, rows] + g[cols, cols] - 2 * g[rows, cols]


@pytest.fixture
def commuting(rng):
    """RDMs whose centred second moments share eigenvectors, so F = sum(sqrt(l_a l_b)) in closed form."""
    basis = null_space(np.ones((1, N)))  # orthonormal basis of the centred subspace
    basis = basis @ np.linalg.qr(rng.normal(size=(N - 1, N - 1)))[0]
    spectra = rng.uniform(0.1, 3.0, size=(4, N - 1))
    rdms = np.array([_rdm_from_g(basis @ np.diag(s) @ basis.T) for s in spectra])
    return rdms, spectra


def test_closed_form_for_commuting_second_moments(commuting):
    rdms, spectra = commuting
    fidelity = np.sqrt(spectra[:, None, :] * spectra[None, :, :]).sum(-1)
    traces = spectra.sum(1)
    np.testing.assert_allclose(bures_similarity(rdms), fidelity / np.sqrt(np.outer(traces, traces)), rtol=1e-12)
    np.testing.assert_allclose(sqbures(rdms[:2], rdms[2:]),
                               (traces[:2, None] + traces[None, 2:] - 2 * fidelity[:2, 2:]), rtol=1e-11)


def test_rsatoolbox_bures_agrees_on_euclidean_rdms(rng, make_continuous):
    a, b = make_continuous(rng, 3, N), make_continuous(rng, 2, N, "correlation")
    # rsatoolbox takes square roots of eigenvalues that are 0 up to rounding (about 1e-8 absolute error)
    np.testing.assert_allclose(bures_similarity(a, b), rsa_compare(a, b, method="bures"), rtol=1e-6)
    np.testing.assert_allclose(sqbures(a, b), rsa_compare(a, b, method="bures_metric"), rtol=1e-6, atol=1e-7)


def test_non_euclidean_rdms_are_symmetric_here_but_not_in_rsatoolbox(rng):
    """Why rsatoolbox's 'bures' is not an alias: for G with negative eigenvalues it is asymmetric."""
    a = rng.uniform(0.0, 1.0, size=(2, N * (N - 1) // 2)) ** 4  # far from Euclidean: G has negative eigenvalues
    ours = bures_similarity(a)
    np.testing.assert_allclose(ours, ours.T, rtol=1e-14)
    theirs = rsa_compare(a, a, method="bures")
    assert abs(theirs[0, 1] - theirs[1, 0]) > 1e-3
    with pytest.raises(UnknownNameError, match="bures_similarity"):
        compare(a, a, "bures")
    with pytest.raises(UnknownNameError, match="sqbures"):
        compare(a, a, "bures_metric")


def test_identical_rdms(rng, make_continuous):
    a = make_continuous(rng, 3, N)
    np.testing.assert_allclose(np.diag(bures_similarity(a)), 1.0, rtol=1e-13)
    np.testing.assert_allclose(np.diag(sqbures(a)), 0.0, atol=1e-12 * np.abs(a).max())
    assert np.all(bures_similarity(a) <= 1.0) and np.all(sqbures(a) >= 0.0)


def test_missing_pairs_raise(rng, make_continuous):
    a = make_continuous(rng, 2, N)
    a[0, 3] = np.nan
    for policy in ("raise", "pairwise"):
        with pytest.raises(MissingPairsError, match="complete RDMs"):
            bures_similarity(a, nan_policy=policy)


def test_zero_rdm_is_degenerate(rng, make_continuous):
    a = make_continuous(rng, 2, N)
    with pytest.raises(DegenerateRDMError, match="RDM 1 of b"):
        bures_similarity(a, np.vstack([a[0], np.zeros(a.shape[1])]))
