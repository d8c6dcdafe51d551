"""``comparator`` is the one name of an RDM comparator: the old ``method`` keyword and attribute keep working with a
FutureWarning that names the new spelling, and give the same numbers."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.compare import compare
from neuroalign.core.rdms import RDMs
from neuroalign.stats import bootstrap_rdm_comparison, permutation_test_rdm, rdm_noise_ceiling

IDS = [f"s{k}" for k in range(8)]


@pytest.fixture(scope="module")
def rdms():
    rng = np.random.default_rng(3)
    return RDMs(rng.random((2, 28)), IDS), RDMs(rng.random((4, 28)), IDS)


def test_compare_method_keyword(rdms):
    models, data = rdms
    with pytest.warns(FutureWarning, match=r"compare\(\): 'method=' is deprecated.*use 'comparator='"):
        old = compare(models, data, method="pearson")
    np.testing.assert_array_equal(old, compare(models, data, comparator="pearson"))
    with pytest.raises(TypeError, match="got both 'method' .deprecated. and 'comparator'"):
        compare(models, data, method="pearson", comparator="spearman")


def test_noise_ceiling_method_keyword_and_attribute(rdms):
    _, data = rdms
    with pytest.warns(FutureWarning, match="use 'comparator='"):
        old = rdm_noise_ceiling(data, method="pearson")
    new = rdm_noise_ceiling(data, comparator="pearson")
    assert (old.lower, old.upper) == (new.lower, new.upper)
    with pytest.warns(FutureWarning, match="'method' is deprecated.*use 'comparator'"):
        assert new.method == "pearson" == new.comparator


def test_bootstrap_method_keyword_and_attribute(rdms):
    models, data = rdms
    with pytest.warns(FutureWarning, match="use 'comparator='"):
        old = bootstrap_rdm_comparison(models, data, method="spearman", n_bootstrap=20, seed=0)
    new = bootstrap_rdm_comparison(models, data, comparator="spearman", n_bootstrap=20, seed=0)
    np.testing.assert_array_equal(old.samples, new.samples)
    with pytest.warns(FutureWarning, match="use 'comparator'"):
        assert new.method == "spearman" == new.comparator


def test_permutation_method_keyword(rdms):
    models, data = rdms
    with pytest.warns(FutureWarning, match="use 'comparator='"):
        old = permutation_test_rdm(models, data, method="pearson", n_perm=10, seed=0)
    np.testing.assert_array_equal(old.null, permutation_test_rdm(models, data, comparator="pearson", n_perm=10,
                                                                 seed=0).null)


def test_the_rsa92_demo_takes_comparator_and_still_reads_method(data_mirror):
    from neuroalign.demo.rsa92 import run_rsa92

    new = run_rsa92(data_mirror, comparator="pearson")
    with pytest.warns(FutureWarning, match="use 'comparator='"):
        old = run_rsa92(data_mirror, method="pearson")
    assert (old.ceiling.lower, old.ceiling.upper) == (new.ceiling.lower, new.ceiling.upper)
    assert old.models.equals(new.models) and "pearson" in new.models.columns
    with pytest.warns(FutureWarning, match="use 'comparator'"):
        assert new.method == "pearson" == new.comparator
