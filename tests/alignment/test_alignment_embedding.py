"""A brain RDM as features: the embedding's Gram is the double-centred RDM, and CKA sees the standardised patterns."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.alignment import BrainSource, double_centred_gram, embed_rdm
from neuroalign.alignment.weighted_cka import cka_weighted, hsic_unbiased_weighted
from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import InvalidRDMError
from neuroalign.metrics import get_metric
from neuroalign.metrics.hsic import hsic_unbiased
from neuroalign.rdm import compute_rdms


def _patterns(n=25, d=40, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d))


def test_embedding_reproduces_the_double_centred_gram_exactly():
    x = _patterns()
    rdm = compute_rdms(x, "correlation", stimulus_ids=[str(k) for k in range(25)]).to_square()[0]
    n = len(rdm)
    h = np.eye(n) - 1 / n
    embedding = embed_rdm(rdm, "correlation")
    np.testing.assert_allclose(embedding.features @ embedding.features.T, -0.5 * h @ rdm @ h, atol=1e-12)
    np.testing.assert_allclose(embedding.gram, double_centred_gram(rdm, "correlation"), atol=1e-15)
    assert embedding.negative_share < 1e-12


def test_correlation_rdm_embedding_is_the_standardised_patterns_gram():
    x = _patterns()
    z = (x - x.mean(1, keepdims=True)) / x.std(1, keepdims=True)
    u = z / np.linalg.norm(z, axis=1, keepdims=True)
    rdm = compute_rdms(x, "correlation", stimulus_ids=[str(k) for k in range(25)]).to_square()[0]
    features = embed_rdm(rdm, "correlation").features
    uc = u - u.mean(0)
    np.testing.assert_allclose(2 * features @ features.T, uc @ uc.T, atol=1e-12)
    other = _patterns(seed=1)
    cka = get_metric("cka.linear")
    assert cka(features, other) == pytest.approx(cka(u, other), rel=1e-10)


def test_euclidean_rdms_are_squared_before_centring():
    x = _patterns(10, 3)
    rdm = compute_rdms(x, "euclidean", stimulus_ids=[str(k) for k in range(10)]).to_square()[0]
    xc = x - x.mean(0)
    np.testing.assert_allclose(double_centred_gram(rdm, "euclidean"), xc @ xc.T, atol=1e-10)


def test_bad_rdms_are_refused():
    with pytest.raises(InvalidRDMError, match="square"):
        embed_rdm(np.zeros((3, 4)))
    with pytest.raises(InvalidRDMError, match="zero diagonal"):
        embed_rdm(np.ones((3, 3)))
    with pytest.raises(InvalidRDMError, match="distance .poisson.*no Euclidean geometry"):
        embed_rdm(np.zeros((3, 3)) + 1 - np.eye(3), "poisson")


def test_brain_source_averages_subjects_and_keeps_the_rdm():
    from neuroalign.core.rdms import RDMs

    rng = np.random.default_rng(0)
    ids = [f"s{k}" for k in range(8)]
    values = rng.random((4, 28))
    rdms = RDMs(values, ids, descriptors={"subject": ["a", "a", "b", "b"]}, distance="correlation")
    source = BrainSource("brain", rdms)
    rep = source.representations(StimulusSet(ids), ids[::-1])["region"]
    expected = RDMs(values.mean(0), ids).reorder(ids[::-1]).to_square()[0]
    np.testing.assert_allclose(rep.rdm, expected)
    assert rep.features.shape[0] == 8


def test_weighted_cka_with_unit_counts_is_the_plain_estimator():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(12, 5)), rng.normal(size=(12, 7))
    k, l = (x @ x.T)[None], (y @ y.T)[None]
    ones = np.ones((1, 12))
    import torch

    assert hsic_unbiased_weighted(k, l, ones)[0] == pytest.approx(
        float(hsic_unbiased(torch.tensor(k[0]), torch.tensor(l[0]))), rel=1e-10)
    assert cka_weighted(k, l, ones, debiased=False)[0] == pytest.approx(get_metric("cka.linear")(x, y), rel=1e-10)
    assert cka_weighted(k, l, ones, debiased=True)[0] == pytest.approx(get_metric("cka.debiased")(x, y), rel=1e-10)


def test_weighted_unbiased_hsic_is_three_weighted_u_statistics_over_distinct_stimuli():
    from itertools import permutations

    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    k, l = x @ x.T, y @ y.T
    c = np.array([2.0, 0.0, 1.0, 3.0, 1.0, 1.0])

    def u_statistic(order, term):
        tuples = list(permutations(range(6), order))
        weights = np.array([np.prod(c[list(t)]) for t in tuples])
        return np.dot(weights, [term(*t) for t in tuples]) / weights.sum()

    expected = (u_statistic(2, lambda i, j: k[i, j] * l[i, j]) + u_statistic(4, lambda i, j, q, r: k[i, j] * l[q, r])
                - 2 * u_statistic(3, lambda i, j, q: k[i, j] * l[i, q]))
    assert hsic_unbiased_weighted(k[None], l[None], c[None])[0] == pytest.approx(expected, rel=1e-10)


def test_weighted_biased_cka_leaves_out_pairs_of_a_stimulus_with_its_copy():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 4))
    idx = np.array([0, 0, 2, 3, 3, 3, 6])
    c = np.bincount(idx, minlength=7).astype(float)
    xs, ys = x[idx], y[idx]
    kc = (xs - xs.mean(0)) @ (xs - xs.mean(0)).T
    lc = (ys - ys.mean(0)) @ (ys - ys.mean(0)).T
    keep = (idx[:, None] != idx[None, :]) | np.eye(7, dtype=bool)
    expected = (keep * kc * lc).sum() / np.sqrt((keep * kc * kc).sum() * (keep * lc * lc).sum())
    assert cka_weighted((x @ x.T)[None], (y @ y.T)[None], c[None], debiased=False)[0] == pytest.approx(expected)


def test_measure_keyword_of_the_embedding_and_representation_is_a_deprecated_alias():
    from neuroalign.alignment import Representation

    rdm = compute_rdms(_patterns(6, 3), "euclidean", stimulus_ids=[str(k) for k in range(6)]).to_square()[0]
    with pytest.warns(FutureWarning, match="'measure=' is deprecated.*use 'distance='"):
        old = double_centred_gram(rdm, measure="euclidean")
    np.testing.assert_array_equal(old, double_centred_gram(rdm, distance="euclidean"))
    with pytest.warns(FutureWarning, match="use 'distance='"):
        np.testing.assert_array_equal(embed_rdm(rdm, measure="euclidean").gram, old)
    with pytest.warns(FutureWarning, match="use 'distance='"):
        rep = Representation(np.zeros((6, 1)), rdm, measure="euclidean")
    assert rep.distance == "euclidean"
    with pytest.warns(FutureWarning, match="'measure' is deprecated.*use 'distance'"):
        assert rep.measure == "euclidean"
