"""A comparator is one function plus one registration: every consumer reads the entry, no table of names.

Each test registers a test-only comparator inside itself (and removes it afterwards) and uses it through
``compare``, ``rdm_noise_ceiling``, ``bootstrap_rdm_comparison``, ``permutation_test_rdm`` and RSA as a metric.
The entries' capability fields differ from every built-in's, and each consumer must follow the field.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any, Iterator

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from scipy.stats import rankdata

from neuroalign.compare import COMPARATORS, Comparator, WeightedForm, compare, register_comparator
from neuroalign.compare.errors import DegenerateRDMError
from neuroalign.compare.inputs import as_stacks
from neuroalign.core.rdms import RDMs
from neuroalign.errors import InvalidOptionError
from neuroalign.metrics import get_metric
from neuroalign.stats import (CeilingNotABoundWarning, UndefinedResampleWarning, bootstrap_rdm_comparison,
                              permutation_test_rdm, rdm_noise_ceiling)
from neuroalign.stats.resample import draw_indices, pair_index


def corr(a: Any, b: Any = None, *, nan_policy: str = "raise", device: Any = None, transform=lambda v: v) -> np.ndarray:
    """Pearson correlation of transformed rows, written from scratch (numpy's corrcoef), refusing constant rows."""
    x, y = as_stacks(a, b)
    za, zb = transform(x.values), transform((x if y is None else y).values)
    for stack in (za, zb):
        if (np.ptp(stack, axis=1) == 0).any():
            raise DegenerateRDMError("an RDM is constant")
    return np.corrcoef(za, zb)[: za.shape[0], za.shape[0]:]


def ranked(a: Any, b: Any = None, **kwargs: Any) -> np.ndarray:
    return corr(a, b, transform=lambda v: rankdata(v, axis=1), **kwargs)


def signed_sum(a: Any, b: Any = None, *, nan_policy: str = "raise", device: Any = None) -> np.ndarray:
    """Mean product of the signs around the median: defined for constant RDMs (0), scale free, no weighted form."""
    x, y = as_stacks(a, b)
    sa = np.sign(x.values - np.median(x.values, axis=1, keepdims=True))
    sb = np.sign((x if y is None else y).values - np.median((x if y is None else y).values, axis=1, keepdims=True))
    return sa @ sb.T / x.n_pairs


@contextlib.contextmanager
def registered(comparator: Comparator) -> Iterator[Comparator]:
    register_comparator(comparator)
    try:
        yield comparator
    finally:
        COMPARATORS.unregister(comparator.name)


def spy(pooling):
    calls = []

    def wrapped(values, **options):
        calls.append(values.shape)
        return pooling(values, **options)

    wrapped.calls = calls
    return wrapped


@pytest.fixture(scope="module")
def subjects():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(10, 4))
    ids = [f"s{k}" for k in range(10)]
    values = np.stack([pdist(points + 0.4 * rng.normal(size=points.shape), "sqeuclidean") for _ in range(5)])
    return RDMs(values, ids), RDMs(np.stack([pdist(points, "sqeuclidean"), rng.random(45)]), ids)


def _zscores(values, **options):
    centred = values - values.mean(axis=1, keepdims=True)
    return centred / centred.std(axis=1, keepdims=True)


def test_a_registered_comparator_runs_through_compare_ceiling_bootstrap_permutation_and_rsa(subjects):
    data, models = subjects
    pooling = spy(_zscores)
    entry = Comparator("test_corr", corr, "similarity", (-1.0, 1.0), aliases=("test-corr",),
                       invariances=frozenset({"scale", "offset"}), undefined_for="constant", pooling=pooling,
                       weighted=WeightedForm(centre=True), description="Pearson, written again for a test")
    with registered(entry):
        scores = compare(models, data, "test-corr")
        np.testing.assert_allclose(scores, compare(models, data, "pearson"), rtol=1e-12, atol=1e-14)

        ceiling = rdm_noise_ceiling(data, comparator="test_corr")
        assert pooling.calls == [(5, 45)]  # the entry's pooling, once, on the subjects
        reference = rdm_noise_ceiling(data, comparator="pearson")  # pearson pools z-scores too
        assert ceiling.upper == pytest.approx(reference.upper, abs=1e-12)
        assert ceiling.lower == pytest.approx(reference.lower, abs=1e-12) and ceiling.comparator == "test_corr"

        boot = bootstrap_rdm_comparison(models, data, "test_corr", n_bootstrap=40, seed=3, noise_ceiling=True)
        twin = bootstrap_rdm_comparison(models, data, "pearson", n_bootstrap=40, seed=3, noise_ceiling=True)
        np.testing.assert_allclose(boot.samples, twin.samples, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(boot.ceiling_samples, twin.ceiling_samples, rtol=1e-12, atol=1e-14)
        assert boot.comparator == "test_corr"

        perm = permutation_test_rdm(models, data, "test_corr", n_perm=30, seed=1)
        np.testing.assert_allclose(perm.null, permutation_test_rdm(models, data, "pearson", n_perm=30, seed=1).null,
                                   rtol=1e-12, atol=1e-14)

        x = np.random.default_rng(1).normal(size=(12, 5))
        y = x[:, :3] @ np.random.default_rng(2).normal(size=(3, 4))
        rsa = get_metric("rsa.euclidean.test_corr")
        assert rsa(x, y) == pytest.approx(np.corrcoef(pdist(x), pdist(y))[0, 1], abs=1e-12)
        assert "isotropic_scaling" in rsa.info.invariances  # euclidean rescales, and the entry is scale free
    assert "test_corr" not in COMPARATORS and "test-corr" not in COMPARATORS


def test_the_bootstrap_follows_the_weighted_form_and_rank_basis_of_the_entry(subjects):
    data, models = subjects
    with registered(Comparator("test_ranked", ranked, "similarity", (-1.0, 1.0), rank_based=True,
                               undefined_for="constant", weighted=WeightedForm(centre=True))):
        # rank_based + centred unit norm is Spearman's weighted form: the very same numbers
        boot = bootstrap_rdm_comparison(models, data, "test_ranked", n_bootstrap=30, seed=5)
        np.testing.assert_allclose(boot.samples, bootstrap_rdm_comparison(models, data, "spearman", n_bootstrap=30,
                                                                          seed=5).samples, rtol=1e-12, atol=1e-14)
    with registered(Comparator("test_ranked_untied", ranked, "similarity", (-1.0, 1.0), rank_based=True,
                               weighted=WeightedForm(norm="untied"))):
        boot = bootstrap_rdm_comparison(models, data, "test_ranked_untied", n_bootstrap=30, seed=5)
        np.testing.assert_allclose(boot.samples, bootstrap_rdm_comparison(models, data, "rho_a", n_bootstrap=30,
                                                                          seed=5).samples, rtol=1e-12, atol=1e-14)


def test_without_a_weighted_form_each_resample_is_expanded_and_compared_by_the_function(subjects):
    data, models = subjects
    with registered(Comparator("test_signs", signed_sum, "similarity", (-1.0, 1.0),
                               invariances=frozenset({"scale", "offset", "monotonic"}))):
        indices = draw_indices(np.random.default_rng(4), 6, 10)
        boot = bootstrap_rdm_comparison(models, data, "test_signs", indices=indices, noise_ceiling=True)
        index, keep = pair_index(indices, 10)
        expected = [signed_sum(models.dissimilarities[:, i[k]], data.dissimilarities[:, i[k]]).mean(axis=1)
                    for i, k in zip(index, keep)]
        # an expanded resample lists the same pairs in another order: a per-pair statistic does not care
        np.testing.assert_allclose(boot.samples, expected, rtol=1e-12, atol=1e-14)
        assert np.isfinite(boot.ceiling_samples).all()


def test_undefined_for_decides_which_resamples_are_redrawn():
    """A categorical model RDM (6 vs 2 stimuli) is constant on resamples that draw one category."""
    rng = np.random.default_rng(7)
    labels = np.array([0] * 6 + [1] * 2)
    model = (labels[:, None] != labels[None, :]).astype(float)[np.triu_indices(8, 1)][None]
    data = model + rng.normal(scale=0.5, size=(4, 28))
    refusing = Comparator("test_refusing", signed_sum, "similarity", (-1.0, 1.0), undefined_for="constant")
    defined = Comparator("test_defined", signed_sum, "similarity", (-1.0, 1.0), undefined_for=None)
    with registered(refusing), registered(defined):
        with pytest.warns(UndefinedResampleWarning, match="left test_refusing undefined"):
            redrawn = bootstrap_rdm_comparison(model, data, "test_refusing", n_bootstrap=200, seed=1)
        assert redrawn.n_redrawn > 0
        with warnings.catch_warnings():
            warnings.simplefilter("error", UndefinedResampleWarning)
            assert bootstrap_rdm_comparison(model, data, "test_defined", n_bootstrap=200, seed=1).n_redrawn == 0


def test_needs_matrix_and_ceiling_caveat_and_kind_are_read_from_the_entry(subjects):
    data, models = subjects
    caveat = "a reason no built-in comparator gives"
    entry = Comparator("test_matrix", corr, "dissimilarity", (-1.0, 1.0), needs_matrix=True, ceiling_caveat=caveat)
    with registered(entry):
        with pytest.raises(InvalidOptionError, match="'test_matrix' cannot be bootstrapped over stimuli"):
            bootstrap_rdm_comparison(models, data, "test_matrix", n_bootstrap=5)
        with pytest.warns(CeilingNotABoundWarning, match=caveat):
            rdm_noise_ceiling(data, "test_matrix")
        assert not permutation_test_rdm(models, data, "test_matrix", n_perm=5, seed=0).larger_is_better
        rsa = get_metric("rsa.correlation.test_matrix")
        assert rsa.info.kind == "distance"
        assert "isotropic_scaling" not in get_metric("rsa.euclidean.test_matrix").info.invariances  # not scale free


def test_built_in_capabilities_are_what_the_side_tables_said():
    """The fields reproduce the tables they replaced (stats._POOLING, _weighted.WEIGHTED, bootstrap.RESAMPLABLE,
    metrics.rsa.SCALE_FREE_COMPARATORS, ceiling.CEILING_NOT_A_BOUND, the constant-RDM rule)."""
    entries = {name: COMPARATORS.get(name) for name in COMPARATORS.names()}
    assert {n for n, c in entries.items() if c.weighted} == {"pearson", "cosine", "spearman", "rho_a"}
    assert {n for n, c in entries.items() if c.resamplable} == {"pearson", "cosine", "spearman", "rho_a",
                                                                 "kendall_tau_a"}
    assert {n for n, c in entries.items() if c.scale_free} == {"pearson", "cosine", "spearman", "rho_a",
                                                                "kendall_tau_a", "whitened_cosine",
                                                                "whitened_pearson", "bures_similarity"}
    assert {n for n, c in entries.items() if not c.ceiling_is_bound} == {"kendall_tau_a"}
    assert {n for n, c in entries.items() if c.pooling is None} == {"bures_similarity", "sqbures"}
    assert {n for n, c in entries.items() if c.undefined_for is None} == {"rho_a", "kendall_tau_a"}
    assert {n for n, c in entries.items() if c.rank_based} == {"spearman", "rho_a", "kendall_tau_a"}


def test_a_malformed_entry_is_refused_when_it_is_built():
    with pytest.raises(ValueError, match="unknown invariances"):
        Comparator("x", corr, "similarity", (-1.0, 1.0), invariances=frozenset({"rotation"}))
    with pytest.raises(ValueError, match="no form on weighted pairs"):
        Comparator("x", corr, "similarity", (-1.0, 1.0), needs_matrix=True, weighted=WeightedForm())
    with pytest.raises(ValueError, match="already registered"):
        register_comparator(Comparator("pearson", corr, "similarity", (-1.0, 1.0)))
