"""The batched searchlight core: neighbourhoods of unequal size, a time axis, options it refuses."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from scipy.spatial.distance import pdist
from synthetic import planted_recording

from neuroalign.analysis import neighbourhood_rsa
from neuroalign.compare import compare
from neuroalign.errors import InvalidOptionError, ShapeMismatchError


def _neighbourhoods(n_channels=20, seed=0):
    rng = np.random.default_rng(seed)
    rows = [np.sort(rng.choice(n_channels, size, replace=False)) for size in (3, 5, 3, 7, 5, 3)]
    matrix = scipy.sparse.lil_matrix((len(rows), n_channels), dtype=bool)
    for r, columns in enumerate(rows):
        matrix[r, columns] = True
    return rows, matrix


@pytest.mark.parametrize("batch_size", [1, 2, 100])
def test_unequal_sizes_and_time_match_direct(batch_size):
    rec, model = planted_recording(n_times=6, window=(2, 4))
    rows, matrix = _neighbourhoods()
    values = neighbourhood_rsa(rec, matrix, np.stack([model, -model]), distance="euclidean", comparator="spearman",
                               batch_size=batch_size)
    assert values.shape == (2, 6, 6)
    for r, columns in enumerate(rows):
        for t in range(6):
            direct = compare(model, pdist(rec.data[:, columns, t]), "spearman")[0, 0]
            assert values[0, r, t] == pytest.approx(direct, abs=1e-12)
            assert values[1, r, t] == pytest.approx(-direct, abs=1e-12)


def test_refused_input():
    rec, model = planted_recording(n_times=3)
    _, matrix = _neighbourhoods(n_channels=19)
    with pytest.raises(ShapeMismatchError, match="span the recording's 20 channels; got 19"):
        neighbourhood_rsa(rec, matrix, model)
    _, matrix = _neighbourhoods()
    with pytest.raises(ShapeMismatchError, match="batch_size must be a positive integer"):
        neighbourhood_rsa(rec, matrix, model, batch_size=0)
    with pytest.raises(InvalidOptionError, match="no noise precision"):
        neighbourhood_rsa(rec, matrix, model, distance="mahalanobis", noise=np.ones(20))
