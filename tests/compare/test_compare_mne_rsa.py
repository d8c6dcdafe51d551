"""mne-rsa's ``rsa(data, model, metric)`` as ``compare(data, model, method)``, and its leaking NaN masks."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.compare import compare

mne_rsa = pytest.importorskip("mne_rsa")


@pytest.mark.parametrize("metric, method", [("spearman", "spearman"), ("pearson", "pearson"),
                                            ("kendall-tau-a", "kendall-tau-a")])
def test_mne_rsa_metric_equals_compare(mixed, metric, method):
    data, model = mixed
    expected = mne_rsa.rsa(list(data), list(model), metric=metric)
    np.testing.assert_allclose(compare(data, model, method), expected, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("metric", ["spearman", "pearson", "kendall-tau-a"])
def test_mne_rsa_ignore_nan_for_one_data_rdm_equals_pairwise(mixed, rng, metric):
    data, model = (x.copy() for x in mixed)
    data[0, rng.choice(data.shape[1], 6, replace=False)] = np.nan
    model[1, rng.choice(model.shape[1], 5, replace=False)] = np.nan
    expected = mne_rsa.rsa([data[0]], list(model), metric=metric, ignore_nan=True)
    np.testing.assert_allclose(compare(data[0], model, metric, nan_policy="pairwise"), expected, rtol=1e-10)


def test_mne_rsa_leaks_one_data_rdms_mask_into_the_next_and_compare_does_not(mixed, rng):
    data, model = (x.copy() for x in mixed)
    data[0, :20] = np.nan  # only the first data RDM misses pairs
    leaky = mne_rsa.rsa(list(data[:2]), list(model), metric="spearman", ignore_nan=True)
    ours = compare(data[:2], model, "spearman", nan_policy="pairwise")
    alone = compare(data[1], model, "spearman")
    np.testing.assert_allclose(ours[1], alone[0], rtol=1e-12)
    assert np.abs(leaky[1] - alone[0]).max() > 1e-3  # mne-rsa dropped data[0]'s pairs from data[1] too


def test_constant_rdm_tau_a_is_zero_here_and_nan_in_mne_rsa(mixed):
    _, model = mixed
    constant = np.full(model.shape[1], 0.5)
    assert np.isnan(mne_rsa.rsa([constant], list(model), metric="kendall-tau-a")).all()
    assert np.all(compare(constant, model, "kendall-tau-a") == 0.0)
