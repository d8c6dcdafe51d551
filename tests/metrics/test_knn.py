"""Neighbourhood alignment against brute-force numpy references written from the definitions of Huh et al."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neuroalign.errors import InvalidOptionError
from neuroalign.metrics import MetricInputError, get_metric
from neuroalign.metrics.knn import knn_mask


def neighbours(a: np.ndarray, k: int) -> list[list[int]]:
    """k cosine neighbours of every row, self excluded, ties to the lower index (plain Python sort)."""
    u = a / np.linalg.norm(a, axis=1, keepdims=True)
    sims = u @ u.T
    return [sorted((j for j in range(len(a)) if j != i), key=lambda j: (-sims[i, j], j))[:k] for i in range(len(a))]


def ref_mutual(x, y, k):
    nx, ny = neighbours(x, k), neighbours(y, k)
    return np.mean([len(set(nx[i]) & set(ny[i])) / k for i in range(len(x))])


def ref_cycle(x, y, k):
    nx, ny = neighbours(x, k), neighbours(y, k)
    return np.mean([any(i in nx[j] for j in ny[i]) for i in range(len(x))])


def ref_hsic(k, l):
    n = len(k)
    kt, lt = k - np.diag(np.diag(k)), l - np.diag(np.diag(l))
    one = np.ones(n)
    return (np.trace(kt @ lt) + (one @ kt @ one) * (one @ lt @ one) / ((n - 1) * (n - 2))
            - 2 / (n - 2) * one @ kt @ lt @ one) / (n * (n - 3))


def ref_cknna(x, y, k):
    def gram_and_mask(a):
        u = a / np.linalg.norm(a, axis=1, keepdims=True)
        mask = np.zeros((len(a), len(a)))
        for i, row in enumerate(neighbours(a, k)):
            mask[i, row] = 1.0
        return u @ u.T, mask

    (gx, mx), (gy, my) = gram_and_mask(x), gram_and_mask(y)
    both = mx * my
    return ref_hsic(gx * both, gy * both) / np.sqrt(ref_hsic(gx * mx, gx * mx) * ref_hsic(gy * my, gy * my))


REFERENCES = {"mutual": ref_mutual, "cycle": ref_cycle, "cknna": ref_cknna}


@pytest.mark.parametrize("family", sorted(REFERENCES))
@pytest.mark.parametrize(("n", "d", "k"), [(30, 5, 3), (25, 60, 6), (12, 4, 1)])
def test_matches_brute_force(family, n, d, k):
    rng = np.random.default_rng(n + d + k)
    x = rng.standard_normal((n, d))
    y = x[:, :min(d, 3)] @ rng.standard_normal((min(d, 3), 7)) + rng.standard_normal((n, 7))
    if family == "cknna" and k == 1:
        k = 4  # one neighbour per row leaves too few pairs for the unbiased HSIC to be positive
    got = get_metric(f"knn.{family}.{k}")(x, y)
    assert got == pytest.approx(REFERENCES[family](x, y, k), abs=1e-12)


@pytest.mark.parametrize("family", sorted(REFERENCES))
def test_identical_representations_give_one(family):
    x = np.random.default_rng(1).standard_normal((20, 6))
    assert get_metric(f"knn.{family}.5")(x, x.copy()) == pytest.approx(1.0, abs=1e-12)


def test_cycle_is_not_symmetric():
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((25, 4)), rng.standard_normal((25, 4))
    metric = get_metric("knn.cycle.3")
    assert not metric.info.symmetric
    assert metric(x, y) == pytest.approx(ref_cycle(x, y, 3))
    assert metric(y, x) == pytest.approx(ref_cycle(y, x, 3))
    assert metric(x, y) != metric(y, x)


def test_ties_go_to_the_lower_index():
    # Row 0 is equally similar to rows 1, 2 and 3 (exact ties); rows 1..3 are equally similar to everything else.
    gram = torch.tensor([[1.0, 0.5, 0.5, 0.5], [0.5, 1.0, 0.2, 0.2], [0.5, 0.2, 1.0, 0.2], [0.5, 0.2, 0.2, 1.0]],
                        dtype=torch.float64)
    mask = knn_mask(gram, 2).numpy()
    assert mask[0].tolist() == [False, True, True, False]
    assert mask[1].tolist() == [True, False, True, False]
    assert mask[3].tolist() == [True, True, False, False]


def test_duplicate_stimuli_are_deterministic():
    rng = np.random.default_rng(5)
    base = rng.integers(-3, 4, size=(8, 3)).astype(float) + 0.5  # no zero rows
    x = np.concatenate([base, base])  # every stimulus has an exact twin
    y = rng.standard_normal((16, 5))
    metric = get_metric("knn.mutual.3")
    assert metric(x, y) == metric(x, y) == pytest.approx(ref_mutual(x, y, 3), abs=1e-12)


@pytest.mark.parametrize("family", sorted(REFERENCES))
def test_k_at_least_n_names_measure_and_constraint(family):
    x = np.random.default_rng(0).standard_normal((6, 3))
    with pytest.raises(MetricInputError, match=rf"knn\.{family}\.6.*k < n"):
        get_metric(f"knn.{family}.6")(x, x)


def test_zero_row_is_rejected():
    x = np.random.default_rng(0).standard_normal((8, 3))
    x[2] = 0.0
    with pytest.raises(MetricInputError, match="rows \\[2\\]"):
        get_metric("knn.mutual.2")(x, np.ones((8, 2)) + np.arange(8)[:, None])


@pytest.mark.parametrize("bad", ["knn.mutual", "knn.mutual.0", "knn.cycle.x"])
def test_k_must_be_a_positive_integer(bad):
    with pytest.raises(InvalidOptionError, match="positive integer k"):
        get_metric(bad)


def test_inputs_are_not_mutated():
    x = np.random.default_rng(0).standard_normal((10, 3))
    y = x + 1.0
    before = (x.copy(), y.copy())
    for family in REFERENCES:
        get_metric(f"knn.{family}.3")(x, y)
    np.testing.assert_array_equal(x, before[0])
    np.testing.assert_array_equal(y, before[1])
