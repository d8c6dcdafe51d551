"""Variance partitioning between two feature spaces: the joint banded ridge is himalaya's MultipleKernelRidgeCV on
the same folds, and the partition finds the space that drives each target."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.encoding import fit_encoding
from neuroalign.encoding.partition import banded_ridge_r2, partition_variance
from neuroalign.metrics.folds import kfold_splits

ALPHAS = np.logspace(-1, 4, 6)


@pytest.fixture(scope="module")
def spaces():
    rng = np.random.default_rng(0)
    n = 90
    xa, xb = rng.standard_normal((n, 12)), rng.standard_normal((n, 15))
    shared = xa[:, :3] @ rng.standard_normal((3, 1))
    y = np.column_stack([xa @ rng.standard_normal(12),            # A only
                         xb @ rng.standard_normal(15),            # B only
                         shared[:, 0]])                           # A only again, through 3 of its columns
    y = y + 0.5 * rng.standard_normal(y.shape)
    return xa, xb, y


def test_partition_finds_the_driving_space(spaces):
    xa, xb, y = spaces
    result = partition_variance(xa, xb, y, n_folds=3, alphas=ALPHAS, inner=3, n_iter=10)
    assert result.unique_a[0] > 0.3 and abs(result.unique_b[0]) < 0.1
    assert result.unique_b[1] > 0.3 and abs(result.unique_a[1]) < 0.1
    np.testing.assert_allclose(result.unique_a + result.unique_b + result.shared, result.r2_joint, atol=1e-12)
    np.testing.assert_allclose(result.r2_a, fit_encoding(xa, y, n_folds=3, alphas=ALPHAS, inner=3,
                                                         dtype="float64").r2, atol=1e-12)


def test_joint_model_is_himalayas_multiple_kernel_ridge(spaces):
    from himalaya.kernel_ridge import MultipleKernelRidgeCV

    xa, xb, y = spaces
    result = partition_variance(xa, xb, y, n_folds=3, alphas=ALPHAS, inner=3, n_iter=10, seed=4)
    train, test = kfold_splits(len(y), 3)[0]
    centred = [x - x[train].mean(0) for x in (xa, xb)]
    model = MultipleKernelRidgeCV(kernels="precomputed", solver="random_search", cv=kfold_splits(len(train), 3),
                                  random_state=4, solver_params=dict(n_iter=10, alphas=ALPHAS, progress_bar=False))
    model.fit(np.stack([c[train] @ c[train].T for c in centred]), y[train] - y[train].mean(0))
    pred = model.predict(np.stack([c[test] @ c[train].T for c in centred])) + y[train].mean(0)
    r2 = 1 - ((y[test] - pred) ** 2).sum(0) / ((y[test] - y[test].mean(0)) ** 2).sum(0)
    np.testing.assert_allclose(result.deltas[0], model.deltas_, atol=1e-10)
    ours, _ = banded_ridge_r2([xa, xb], y, train, test, kfold_splits(len(train), 3), alphas=ALPHAS, n_iter=10,
                              seed=4, backend="numpy", dtype="float64")
    np.testing.assert_allclose(ours, r2, atol=1e-10)
