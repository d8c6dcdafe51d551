"""CKA against plain-numpy references: centred-Gram cosine, the unbiased HSIC formula, its U-statistic definition."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from scipy.spatial.distance import pdist, squareform

import neuroalign.metrics.hsic as hsic_module
from neuroalign.errors import InvalidPatternsError, ShapeMismatchError
from neuroalign.metrics import MetricInputError, get_metric
from neuroalign.metrics.cka import MinibatchCKA, cka_from_grams, hsic_unbiased, linear_cka, minibatch_cka


def _np_centred_gram(x):
    xc = x - x.mean(axis=0)
    return xc @ xc.T


def np_linear_cka(x, y):
    """Cosine between the vectorised centred Gram matrices."""
    h = np.eye(len(x)) - 1.0 / len(x)
    k, l = h @ (x @ x.T) @ h, h @ (y @ y.T) @ h
    return np.sum(k * l) / (np.linalg.norm(k) * np.linalg.norm(l))


def np_hsic_unbiased(k, l):
    """Song et al. (2012), eq. (5), written out with explicit zero-diagonal copies."""
    n = len(k)
    kt, lt = k - np.diag(np.diag(k)), l - np.diag(np.diag(l))
    one = np.ones(n)
    return (np.trace(kt @ lt) + (one @ kt @ one) * (one @ lt @ one) / ((n - 1) * (n - 2))
            - 2.0 / (n - 2) * one @ kt @ lt @ one) / (n * (n - 3))


def ustat_hsic(k, l):
    """The U-statistic definition: average over ordered distinct quadruples of k_ij l_ij + k_ij l_qr - 2 k_ij l_iq."""
    n = len(k)
    total, count = 0.0, 0
    for i, j, q, r in itertools.permutations(range(n), 4):
        total += k[i, j] * l[i, j] + k[i, j] * l[q, r] - 2.0 * k[i, j] * l[i, q]
        count += 1
    return total / count


def np_debiased_cka(x, y):
    k, l = _np_centred_gram(x), _np_centred_gram(y)
    return np_hsic_unbiased(k, l) / np.sqrt(np_hsic_unbiased(k, k) * np_hsic_unbiased(l, l))


def _pair(rng, n, dx, dy):
    x = rng.normal(size=(n, dx)) + 3.0
    y = x[:, : min(dx, dy)] @ rng.normal(size=(min(dx, dy), dy)) + rng.normal(size=(n, dy))
    return x, y


@pytest.mark.parametrize("n,dx,dy", [(30, 5, 8), (12, 40, 25), (20, 3, 60)])
def test_linear_and_debiased_match_numpy(n, dx, dy):
    x, y = _pair(np.random.default_rng(n + dx), n, dx, dy)
    assert get_metric("cka.linear")(x, y) == pytest.approx(np_linear_cka(x, y), rel=1e-12)
    assert get_metric("cka.debiased")(x, y) == pytest.approx(np_debiased_cka(x, y), rel=1e-10)
    assert get_metric("cka.angular")(x, y) == pytest.approx(np.arccos(np_linear_cka(x, y)), rel=1e-10)


def test_unbiased_hsic_equals_u_statistic():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 2))
    k, l = x @ x.T, np.exp(-squareform(pdist(y, "sqeuclidean")))  # uncentred, different kernels
    ours = float(hsic_unbiased(torch.from_numpy(k), torch.from_numpy(l)))
    assert ours == pytest.approx(ustat_hsic(k, l), rel=1e-10)
    assert ours == pytest.approx(np_hsic_unbiased(k, l), rel=1e-10)


def test_gram_form_equals_feature_form():
    x, y = _pair(np.random.default_rng(2), 25, 6, 4)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    k, l = tx @ tx.T, ty @ ty.T  # uncentred: centring is part of the estimator
    for debiased in (False, True):
        assert float(cka_from_grams(k, l, debiased=debiased)) == pytest.approx(
            float(linear_cka(tx, ty, debiased=debiased)), rel=1e-10)


def test_chunked_feature_path_equals_gram_path(monkeypatch):
    x, y = _pair(np.random.default_rng(3), 50, 7, 5)
    expected = get_metric("cka.debiased")(x, y), get_metric("cka.linear")(x, y)
    monkeypatch.setattr(hsic_module, "_CHUNK_ELEMENTS", 16)  # 2-3 rows per chunk
    assert (get_metric("cka.debiased")(x, y), get_metric("cka.linear")(x, y)) == pytest.approx(expected, rel=1e-12)


def test_debiased_is_unbiased_where_biased_climbs_to_one():
    # Independent representations with d >> n: biased CKA is large, debiased CKA stays near 0 and may be negative.
    rng = np.random.default_rng(4)
    values = []
    for _ in range(20):
        x, y = rng.normal(size=(20, 2000)), rng.normal(size=(20, 2000))
        values.append((get_metric("cka.linear")(x, y), get_metric("cka.debiased")(x, y)))
    biased, debiased = np.array(values).T
    assert biased.min() > 0.9
    assert abs(debiased.mean()) < 0.05 and debiased.min() < 0 and np.isfinite(debiased).all()


def test_rbf_matches_numpy():
    x, y = _pair(np.random.default_rng(5), 15, 4, 6)

    def np_rbf_cka(sx, sy):
        h = np.eye(15) - 1.0 / 15
        k = h @ np.exp(-squareform(pdist(x, "sqeuclidean")) / (2 * sx**2)) @ h
        l = h @ np.exp(-squareform(pdist(y, "sqeuclidean")) / (2 * sy**2)) @ h
        return np.sum(k * l) / (np.linalg.norm(k) * np.linalg.norm(l))

    assert get_metric("cka.rbf.1.5")(x, y) == pytest.approx(np_rbf_cka(1.5, 1.5), rel=1e-10)
    mx, my = np.sort(pdist(x))[(105 - 1) // 2], np.sort(pdist(y))[(105 - 1) // 2]  # 105 pairs: the middle one
    assert get_metric("cka.rbf.median")(x, y) == pytest.approx(np_rbf_cka(mx, my), rel=1e-10)
    assert get_metric("cka.rbf.median.0.5")(x, y) == pytest.approx(np_rbf_cka(0.5 * mx, 0.5 * my), rel=1e-10)


def test_minibatch_matches_numpy_average_and_full_batch():
    x, y = _pair(np.random.default_rng(6), 40, 5, 3)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    assert float(minibatch_cka(tx, ty, 40)) == pytest.approx(np_debiased_cka(x, y), rel=1e-10)
    order = torch.randperm(40, generator=torch.Generator().manual_seed(7)).numpy()
    sums = np.zeros(3)
    for b in range(4):  # 40 // 9 = 4 batches, 4 rows dropped
        rows = order[9 * b: 9 * b + 9]
        k, l = _np_centred_gram(x[rows]), _np_centred_gram(y[rows])
        sums += [np_hsic_unbiased(k, l), np_hsic_unbiased(k, k), np_hsic_unbiased(l, l)]
    expected = sums[0] / np.sqrt(sums[1] * sums[2])
    assert float(minibatch_cka(tx, ty, 9, seed=7)) == pytest.approx(expected, rel=1e-10)


def test_gram_form_errors():
    rng = np.random.default_rng(10)
    l = torch.from_numpy(_np_centred_gram(rng.normal(size=(6, 2))))
    with pytest.raises(MetricInputError, match="no variance left"):
        cka_from_grams(torch.full((6, 6), 3.0), l)
    with pytest.raises(ShapeMismatchError):
        cka_from_grams(l[:5, :5], l)


def test_minibatch_accumulator_errors():
    acc = MinibatchCKA()
    with pytest.raises(InvalidPatternsError, match="NaN"):
        acc.update(torch.full((5, 2), float("nan")), torch.zeros(5, 2))
    with pytest.raises(MetricInputError, match="no batches"):
        acc.compute()
    with pytest.raises(MetricInputError, match="at least 4"):
        acc.update(torch.zeros(3, 2), torch.zeros(3, 2))


@pytest.mark.parametrize("metric_id", ["cka.linear", "cka.debiased", "cka.angular", "cka.rbf.1", "cka.rbf.median"])
def test_zero_variance_raises_naming_the_measure(metric_id):
    x = np.random.default_rng(8).normal(size=(10, 3))
    with pytest.raises(MetricInputError, match=rf"{metric_id}.*zero variance"):
        get_metric(metric_id)(x, np.ones((10, 4)) * 2.5)


def test_debiased_needs_four_stimuli_and_ids_are_checked():
    with pytest.raises(MetricInputError, match="cka.debiased needs at least 4"):
        get_metric("cka.debiased")(np.eye(3), np.eye(3))
    with pytest.raises(MetricInputError, match="takes no parameter"):
        get_metric("cka.linear.3")
    with pytest.raises(MetricInputError, match="not a number"):
        get_metric("cka.rbf.wide")


def test_inputs_are_not_modified():
    x, y = _pair(np.random.default_rng(9), 12, 4, 20)
    tx, ty = torch.from_numpy(x.copy()), torch.from_numpy(y.copy())
    for metric_id in ("cka.linear", "cka.debiased", "cka.rbf.median"):
        get_metric(metric_id).compute(tx, ty)
    minibatch_cka(tx, ty, 4)
    assert np.array_equal(tx.numpy(), x) and np.array_equal(ty.numpy(), y)
