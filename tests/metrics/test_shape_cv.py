"""Cross-validated shape metrics (netrep's fit on training stimuli, score on held-out ones), against closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import ortho_group

from neuroalign.metrics import alignment_matrix, get_metric
from neuroalign.metrics.shape_cv import ShapeAlignment, cross_validated_shape


@pytest.fixture(scope="module")
def pair():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((60, 8)) + 3.0
    y = x[:, :6] @ rng.standard_normal((6, 6)) + 0.5 * rng.standard_normal((60, 6)) - 1.0
    return x, y


@pytest.mark.parametrize(("alpha", "in_sample"), [(1.0, "shape.angular"), (0.0, "shape.alpha.0")])
def test_fitted_and_scored_on_the_same_stimuli_is_the_in_sample_distance(pair, alpha, in_sample):
    x, y = pair
    fitted = ShapeAlignment(alpha).fit(x, y)
    assert fitted.score(x, y) == pytest.approx(float(get_metric(in_sample)(x, y)), abs=1e-9)
    assert np.allclose(fitted.rotation_ @ fitted.rotation_.T, np.eye(8), atol=1e-12)  # zero-padded to 8


def test_held_out_score_uses_the_training_means_and_rotation(pair):
    x, y = pair
    train, test = np.arange(40), np.arange(40, 60)
    mx, my = x[train].mean(0), y[train].mean(0)
    xc, yc = x[train] - mx, np.hstack([y[train] - my, np.zeros((40, 2))])
    u, _, vt = np.linalg.svd(xc.T @ yc)
    tx, ty = (x[test] - mx) @ u @ vt, np.hstack([y[test] - my, np.zeros((20, 2))])
    expected = np.arccos(np.sum(tx * ty) / (np.linalg.norm(tx) * np.linalg.norm(ty)))
    assert ShapeAlignment(1.0).fit(x[train], y[train]).score(x[test], y[test]) == pytest.approx(expected, abs=1e-12)


def test_cross_validation_penalises_what_in_sample_alignment_flatters():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((50, 40)), rng.standard_normal((50, 40))  # unrelated, wide
    in_sample = float(get_metric("shape.angular")(x, y))
    held_out = cross_validated_shape(x, y, alpha=1.0, n_folds=5).mean()
    assert in_sample < 0.9 and held_out > 1.3  # near pi/2: no shared shape on new stimuli


def test_alignment_matrix_is_cross_validated_with_shape_cv(pair):
    x, y = pair
    q = ortho_group.rvs(8, random_state=2)
    table = alignment_matrix({"x": x}, {"y": y, "x_rotated": x @ q * 3.0 + 1.0}, "shape.cv.1")
    assert table.loc["x", "y"] == pytest.approx(cross_validated_shape(x, y).mean(), abs=1e-12)
    assert table.loc["x", "x_rotated"] == pytest.approx(0.0, abs=1e-6)  # orthogonal, scale and shift invariant
    assert get_metric("shape.cv.0.5").info.id == "shape.cv.0.5"
