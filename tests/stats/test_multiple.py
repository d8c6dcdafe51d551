"""Bonferroni and Benjamini-Hochberg against closed forms and scipy."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neuroalign.errors import InvalidOptionError
from neuroalign.stats import adjust_pvalues, bonferroni, fdr_bh

pvalues = arrays(np.float64, st.integers(1, 30), elements=st.floats(0.0, 1.0))


@given(pvalues)
@settings(max_examples=60, deadline=None)
def test_fdr_matches_scipy(p):
    np.testing.assert_allclose(fdr_bh(p), scipy.stats.false_discovery_control(p, method="bh"), rtol=1e-12)


@given(pvalues)
@settings(max_examples=60, deadline=None)
def test_adjusted_values_bound_and_order(p):
    q, b = fdr_bh(p), bonferroni(p)
    assert (q >= p - 1e-15).all() and (b >= q - 1e-12).all() and (b <= 1).all()
    order = np.argsort(p, kind="stable")
    assert (np.diff(q[order]) >= -1e-15).all()  # adjusted values keep the order of the p-values


def test_closed_forms():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    np.testing.assert_allclose(bonferroni(p), [0.04, 0.16, 0.12, 1.0])
    # sorted: 0.01, 0.03, 0.04, 0.5 -> m p / rank = 0.04, 0.06, 0.0533, 0.5 -> running minimum from the top
    np.testing.assert_allclose(fdr_bh(p), [0.04, 0.16 / 3, 0.16 / 3, 0.5])
    np.testing.assert_allclose(adjust_pvalues(p.reshape(2, 2), "bonferroni"), bonferroni(p).reshape(2, 2))
    np.testing.assert_array_equal(adjust_pvalues(p, "none"), p)


def test_input_not_mutated_and_bad_input():
    p = np.array([0.2, 0.01])
    fdr_bh(p)
    np.testing.assert_array_equal(p, [0.2, 0.01])
    with pytest.raises(InvalidOptionError, match=r"\[0, 1\]"):
        fdr_bh([0.5, 1.5])
    with pytest.raises(InvalidOptionError, match="correction must be"):
        adjust_pvalues(p, "holm")
