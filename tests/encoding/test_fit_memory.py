"""The encoding fit holds, beside its inputs and its answer, no more than one fold's eigendecomposition needs
(issue 18's memory target; the figures at full size are the perf case ``encoding_voxelwise_...``)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import torch
from himalaya.backend import set_backend

from neuroalign.encoding import fit_encoding
from neuroalign.metrics.ridge_gram import FEATURE_BLOCK, cross_gram, training_gram


@pytest.fixture(scope="module")
def offset_features():
    """Features on a large offset (as ReLU activations sit), more columns than one block."""
    rng = np.random.default_rng(7)
    return rng.standard_normal((60, 2 * FEATURE_BLOCK + 37)) + 50.0


def _closed_form(x, train, new):
    mean = x[train].mean(0)
    xc = x[train] - mean
    return xc @ xc.T + 1.0, (x[new] - mean) @ xc.T


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_the_blockwise_gram_is_the_centred_gram(offset_features, backend):
    x = offset_features
    train, new = np.arange(0, 60, 2), np.arange(1, 60, 2)
    hb = set_backend(backend)
    try:
        xb = hb.asarray(x)
        gram, cross = training_gram(hb, xb, train), cross_gram(hb, xb, train, new)
    finally:
        set_backend("numpy")
    expected_gram, expected_cross = _closed_form(x, train, new)
    assert isinstance(gram, torch.Tensor if backend == "torch" else np.ndarray)
    np.testing.assert_allclose(np.asarray(gram), expected_gram, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(np.asarray(cross), expected_cross, rtol=1e-12, atol=1e-9)


def test_the_fit_holds_one_decomposition_beside_its_inputs_and_answer():
    """1280 stimuli (1024 training rows per fold) x 1100 features -> 6000 targets (30 MB), float32: the arrays the
    fit allocates peak at the Gram matrix plus LAPACK's 2 n^2 workspace (12 MiB) plus the answer (0.8 MiB). With
    chunks of 4096 targets (the previous default) a chunk's products alone were 16 MiB each."""
    rng = np.random.default_rng(18)
    n, d, t, folds = 1280, 1100, 6000, 5
    x = rng.standard_normal((n, d), dtype=np.float32)
    y = x[:, :16] @ rng.standard_normal((16, t), dtype=np.float32)
    y += rng.standard_normal((n, t), dtype=np.float32)
    n_train = n * (folds - 1) // folds
    decomposition = 3 * n_train * n_train * 4  # the Gram matrix, decomposed in place, and syevd's workspace
    answer = (3 * folds + 2) * t * 8
    tracemalloc.start()
    try:
        result = fit_encoding(x, y, groups=np.repeat(np.arange(10), n // 10), n_folds=folds,
                              alphas=np.logspace(-1, 8, 10), inner="loo", dtype="float32")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.r.mean() > 0.1  # a real fit
    assert peak <= decomposition + answer + 2**20, f"{peak / 2**20:.1f} MiB"
