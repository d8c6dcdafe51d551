"""The analyses take ``comparator=``; the old ``method=`` keeps working with a FutureWarning and the same numbers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from neuroalign.analysis import neighbourhood_rsa, temporal_generalisation, time_resolved_rsa
from neuroalign.core.recording import Recording

IDS = [f"s{k}" for k in range(6)]


@pytest.fixture(scope="module")
def recording():
    data = np.random.default_rng(0).normal(size=(6, 5, 4))  # stimulus x channel x time
    return Recording(data, IDS, dims=("stimulus", "channel", "time"), times=np.arange(4.0))


@pytest.mark.parametrize("run", [
    lambda rec, model, **kw: time_resolved_rsa(rec, model, "euclidean", **kw).values,
    lambda rec, model, **kw: temporal_generalisation(rec, distance="euclidean", **kw).values,
    lambda rec, model, **kw: neighbourhood_rsa(rec, csr_matrix(np.eye(5) + np.eye(5, k=1)), model,
                                               distance="euclidean", **kw),
], ids=["time_resolved_rsa", "temporal_generalisation", "neighbourhood_rsa"])
def test_method_keyword_is_a_deprecated_alias(recording, run):
    model = np.random.default_rng(1).random(15)
    with pytest.warns(FutureWarning, match="'method=' is deprecated.*use 'comparator='"):
        old = run(recording, model, method="pearson")
    np.testing.assert_array_equal(old, run(recording, model, comparator="pearson"))
