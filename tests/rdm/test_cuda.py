"""The CUDA path gives the CPU numbers; skipped where torch sees no GPU."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neuroalign.rdm import compute_rdms

from rdm_helpers import make_ids, run_recording

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


@pytest.mark.parametrize("name", ["correlation", "cosine", "euclidean", "sqeuclidean", "poisson"])
@pytest.mark.parametrize("chunk", [None, 7])
def test_cuda_equals_cpu(rng, name, chunk):
    patterns = rng.gamma(2.0, size=(30, 50))
    kwargs = dict(stimulus_ids=make_ids(30), chunk_units=chunk)
    np.testing.assert_allclose(compute_rdms(patterns, name, device="cuda", **kwargs).dissimilarities,
                               compute_rdms(patterns, name, **kwargs).dissimilarities, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("runs", [2, 5])
def test_cuda_crossnobis_with_noise_equals_cpu(rng, runs):
    rec = run_recording(rng.normal(size=(runs, 12, 20)))
    precision = np.linalg.inv(np.cov(rng.normal(size=(20, 80))))
    np.testing.assert_allclose(compute_rdms(rec, "crossnobis", noise=precision, device="cuda").dissimilarities,
                               compute_rdms(rec, "crossnobis", noise=precision).dissimilarities, rtol=1e-9)


def test_cuda_float32_is_close(rng):
    patterns = rng.normal(size=(20, 40))
    got = compute_rdms(patterns, "correlation", stimulus_ids=make_ids(20), device="cuda", dtype=torch.float32)
    want = compute_rdms(patterns, "correlation", stimulus_ids=make_ids(20))
    np.testing.assert_allclose(got.dissimilarities, want.dissimilarities, rtol=1e-4, atol=1e-5)

