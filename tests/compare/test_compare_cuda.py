"""The torch paths on a GPU give the CPU results (skipped without CUDA)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.compare import COMPARATORS, compare

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


@pytest.mark.parametrize("method", COMPARATORS.names())
def test_cuda_matches_cpu(mixed, method):
    a, b = mixed
    np.testing.assert_allclose(compare(a, b, method, device="cuda"), compare(a, b, method), rtol=1e-10, atol=1e-13)


def test_cuda_pairwise_missing_matches_cpu(mixed):
    a, b = (x.copy() for x in mixed)
    a[0, :4] = np.nan
    for method in ("pearson", "cosine", "spearman"):
        np.testing.assert_allclose(compare(a, b, method, nan_policy="pairwise", device="cuda"),
                                   compare(a, b, method, nan_policy="pairwise"), rtol=1e-10, atol=1e-13)
