"""The two product paths agree: numpy's BLAS (CPU default) and torch.matmul (CUDA, and CPU when asked)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from neuroalign.rdm import api, compute_rdms
from neuroalign.rdm.backend import resolve_backend

from rdm_helpers import make_ids, run_recording


def _torch_only(device, dtype):
    return dataclasses.replace(resolve_backend(device, dtype), numpy_blas=False)


@pytest.fixture
def torch_products(monkeypatch):
    monkeypatch.setattr(api, "resolve_backend", _torch_only)


def test_cpu_default_uses_numpy_blas_and_cuda_does_not():
    assert resolve_backend(None, torch.float64).numpy_blas
    assert resolve_backend("cpu", torch.float32).numpy_blas


@pytest.mark.parametrize("name", ["correlation", "cosine", "sqeuclidean", "poisson", "crossnobis", "poisson_cv"])
def test_torch_products_equal_numpy_products(rng, name):
    rec = run_recording(rng.gamma(2.0, size=(4, 9, 13)))
    want = compute_rdms(rec, name, chunk_units=5).dissimilarities
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api, "resolve_backend", _torch_only)
        got = compute_rdms(rec, name, chunk_units=5).dissimilarities
    np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-13)


def test_torch_products_with_a_full_precision(rng, torch_products):
    patterns = rng.normal(size=(6, 5))
    precision = np.linalg.inv(np.cov(rng.normal(size=(5, 30))))
    got = compute_rdms(patterns, "sqmahalanobis", stimulus_ids=make_ids(6), noise=precision).dissimilarities[0]
    diffs = [(patterns[i] - patterns[j]) for i in range(6) for j in range(i + 1, 6)]
    np.testing.assert_allclose(got, [d @ precision @ d for d in diffs], rtol=1e-11)
