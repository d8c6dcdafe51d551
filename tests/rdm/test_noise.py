"""``noise_precision`` against rsatoolbox's ``prec_from_residuals``, and its bad inputs."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.errors import InvalidPatternsError, ShapeMismatchError, UnknownNameError
from neuroalign.rdm import noise_precision

rsatoolbox = pytest.importorskip("rsatoolbox")
from rsatoolbox.data.noise import prec_from_residuals  # noqa: E402

METHODS = ["shrinkage_diag", "shrinkage_eye", "diag", "full"]

# The full sample covariance of fewer residuals than channels is singular, so "full" gets only the tall shape.
CASES = [(m, s) for m in METHODS for s in [(60, 12), (15, 40)] if m != "full" or s[0] > s[1]]


@pytest.mark.parametrize(("method", "shape"), CASES)
@pytest.mark.parametrize("dof", [None, 50])
def test_matches_rsatoolbox(rng, method, shape, dof):
    residuals = rng.normal(size=shape) @ rng.normal(size=(shape[1], shape[1])) * 0.3 + 2.0
    expected = prec_from_residuals(residuals.copy(), dof=dof, method=method)
    got = noise_precision(residuals, method, dof=dof)
    if method == "diag":
        assert got.ndim == 1
        got = np.diag(got)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10 * np.abs(expected).max())


def test_default_method_is_shrinkage_diag(rng):
    residuals = rng.normal(size=(30, 8))
    np.testing.assert_array_equal(noise_precision(residuals), noise_precision(residuals, "shrinkage_diag"))


def test_result_is_symmetric_and_input_untouched(rng):
    residuals = rng.normal(size=(30, 8))
    before = residuals.copy()
    precision = noise_precision(residuals, "shrinkage_eye")
    np.testing.assert_array_equal(precision, precision.T)
    np.testing.assert_array_equal(residuals, before)


def test_unknown_method_suggests_a_close_match(rng):
    with pytest.raises(UnknownNameError, match="shrinkage_diag"):
        noise_precision(rng.normal(size=(10, 3)), "shrinkage_dia")


def test_singular_full_estimate_is_an_error(rng):
    with pytest.raises(InvalidPatternsError, match="singular"):
        noise_precision(rng.normal(size=(5, 10)), "full")


def test_bad_residuals(rng):
    with pytest.raises(ShapeMismatchError, match="2-D"):
        noise_precision(rng.normal(size=(4, 3, 2)))
    with pytest.raises(ShapeMismatchError, match="at least 2"):
        noise_precision(rng.normal(size=(1, 3)))
    bad = rng.normal(size=(6, 3))
    bad[4, 1] = np.nan
    with pytest.raises(InvalidPatternsError, match=r"rows \[4\]"):
        noise_precision(bad)
    flat = rng.normal(size=(6, 3))
    flat[:, 2] = 1.0
    with pytest.raises(InvalidPatternsError, match=r"channels \[2\]"):
        noise_precision(flat)
