"""Ranks computed once per RDM: identical to scipy's average ranks, dense ranks and tie groups consistent."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import rankdata

from neuroalign.compare.ranks import average_ranks, tie_structure


@pytest.mark.parametrize("length", [7, 5000])  # 5000 takes the threaded path
def test_average_ranks_equal_scipy_rankdata_average(rng, length):
    x = np.concatenate([rng.normal(size=(2, length)), rng.integers(0, 4, size=(2, length)).astype(float)])
    np.testing.assert_array_equal(average_ranks(x), rankdata(x, method="average", axis=1))


def test_tie_structure_is_consistent(rng):
    x = rng.integers(0, 5, size=(3, 40)).astype(float)
    order, group_end, dense, levels = tie_structure(x)
    for k in range(3):
        np.testing.assert_array_equal(dense[k], rankdata(x[k], method="dense") - 1)
        assert levels[k] == np.unique(x[k]).size
        ordered = x[k, order[k]]
        assert (np.diff(ordered) >= 0).all()
        for t in range(40):  # every sorted position's group ends where the value changes
            end = group_end[k, t]
            assert (ordered[t:end] == ordered[t]).all() and (end == 40 or ordered[end] != ordered[t])


def test_ranking_does_not_touch_the_input(rng):
    x = rng.normal(size=(2, 10))
    x.setflags(write=False)
    average_ranks(x)
    tie_structure(x)
