"""Property tests: every declared invariance, symmetry and triangle inequality of the CKA, CCA and shape measures.

Each invariance is checked by transforming ``x`` alone and ``y`` alone, on random data of several shapes,
including more features than stimuli, and sides whose ranks together exceed ``n - 1`` (tied canonical
correlations).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroalign.metrics import get_metric

METRIC_IDS = ["cka.linear", "cka.debiased", "cka.angular", "cka.zero_diagonal", "cka.rbf.3", "cka.rbf.median",
              "cka.rbf.median.2", "cca.svcca_sq.0.95",
              "cca.mean", "cca.mean_sq", "cca.svcca.0.95", "cca.svcca.2", "cca.pwcca", "cca.ridge.0.1",
              "shape.angular", "shape.euclidean", "shape.alpha.0", "shape.alpha.0.5", "shape.alpha.1",
              "shape.permutation", "shape.bures"]
METRIC_IDS_DISTANCE = [m for m in METRIC_IDS if get_metric(m).info.is_metric]
# (n, d_x, d_y): d < n; d > n on both sides; each side narrower than n - 1 but both together wider, so the centred
# column spaces intersect and several canonical correlations tie at 1 (issue 14: PWCCA's weights then depended on
# an arbitrary basis of the tied block).
SHAPES = [(10, 3, 5), (25, 8, 4), (8, 20, 30), (12, 12, 40), (10, 6, 6), (12, 9, 7)]
SEEDS = st.integers(0, 2**32 - 1)


def _orthogonal(rng, d):
    q, r = np.linalg.qr(rng.normal(size=(d, d)))
    return q * np.sign(np.diag(r))


TRANSFORMS = {
    "orthogonal": lambda z, rng: z @ _orthogonal(rng, z.shape[1]),
    "isotropic_scaling": lambda z, rng: z * np.exp(rng.uniform(-2, 2)),
    # well conditioned (singular values in [0.5, 2]) so the check is about the measure, not about rounding
    "invertible_linear": lambda z, rng: z @ (_orthogonal(rng, z.shape[1]) * rng.uniform(0.5, 2, z.shape[1])
                                             @ _orthogonal(rng, z.shape[1])),
    "permutation": lambda z, rng: z[:, rng.permutation(z.shape[1])],
    "translation": lambda z, rng: z + rng.normal(scale=5.0, size=z.shape[1]),
}


def _data(seed, shape):
    rng = np.random.default_rng(seed)
    n, dx, dy = shape
    x = rng.normal(size=(n, dx)) * rng.uniform(0.5, 3.0, size=dx)  # unequal variances, so SVCCA truncates
    shared = min(dx, dy, 3)
    y = x[:, :shared] @ rng.normal(size=(shared, dy)) + rng.normal(size=(n, dy))
    return rng, x, y


def _close(a, b):
    # Angles near 0 come from arccos near 1, where rounding of 1e-16 becomes 1e-8: tolerance 1e-6 absolute.
    return abs(a - b) <= 1e-6 + 1e-7 * abs(b)


@pytest.mark.parametrize("metric_id", METRIC_IDS)
@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, shape=st.sampled_from(SHAPES))
def test_declared_invariances_and_symmetry(metric_id, seed, shape):
    metric = get_metric(metric_id)
    rng, x, y = _data(seed, shape)
    value = metric(x, y)
    assert np.isfinite(value)
    for invariance in sorted(metric.info.invariances):
        transform = TRANSFORMS[invariance]
        assert _close(metric(transform(x, rng), y), value), f"{metric_id}: x changed by {invariance}"
        assert _close(metric(x, transform(y, rng)), value), f"{metric_id}: y changed by {invariance}"
    if metric.info.symmetric:
        assert _close(metric(y, x), value)
    if metric.info.kind == "distance":
        assert value >= 0 and metric(x, x) <= 1e-6
    elif metric_id != "cca.ridge.0.1":  # regularised correlations stay below 1 by construction
        assert abs(metric(x, x) - 1.0) <= 1e-6


@pytest.mark.parametrize("metric_id", METRIC_IDS_DISTANCE)
@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, shape=st.sampled_from(SHAPES), t=st.floats(0.0, 1.0), noise=st.sampled_from([0.0, 0.05, 1.0]))
def test_triangle_inequality(metric_id, seed, shape, t, noise):
    metric = get_metric(metric_id)
    rng, x, z = _data(seed, (shape[0], shape[1], shape[1]))
    # y between x and z stresses the inequality most; a random third representation of another width too.
    y = (1.0 - t) * x + t * z + noise * rng.normal(size=x.shape)
    w = rng.normal(size=(shape[0], shape[2]))
    for a, b, c in ((x, y, z), (x, w, z), (w, x, y)):
        assert metric(a, c) <= metric(a, b) + metric(b, c) + 1e-7


@pytest.mark.parametrize("metric_id", METRIC_IDS)
def test_undeclared_invariances_fail_on_generic_data(metric_id):
    # The declarations are tight, not just safe: what is not declared visibly changes the value.
    metric = get_metric(metric_id)
    rng, x, y = _data(1, (25, 8, 4))
    value = metric(x, y)
    for invariance in sorted(set(TRANSFORMS) - metric.info.invariances):
        assert not _close(metric(TRANSFORMS[invariance](x, rng), y), value), f"{metric_id}: {invariance} holds"


def test_families_are_listed_and_ids_round_trip():
    from neuroalign.metrics import metric_ids

    assert {"cka.linear", "cka.debiased", "cka.angular", "cka.rbf", "cca.mean", "cca.mean_sq", "cca.svcca",
            "cca.pwcca", "cca.ridge", "shape.angular", "shape.euclidean", "shape.alpha", "shape.permutation",
            "shape.bures"} <= set(metric_ids())
    assert all(get_metric(m).info.id == m for m in METRIC_IDS)


@pytest.mark.parametrize("metric_id", METRIC_IDS)
@pytest.mark.parametrize("n_per_category", [2, 3, 6])
def test_declared_invariances_hold_for_balanced_category_indicators(metric_id, n_per_category):
    # Category indicators (a common model of a categorical design) have equal singular values after centring: an
    # SVD picks an arbitrary basis of their span, which a measure must not depend on (SVCCA cut through it before).
    metric = get_metric(metric_id)
    rng = np.random.default_rng(n_per_category)
    x = np.eye(4)[np.repeat(np.arange(4), n_per_category)] * 2.0
    y = x @ rng.normal(size=(4, 5)) + rng.normal(size=(x.shape[0], 5))
    try:
        value = metric(x, y)
    except Exception as error:  # a measure may refuse (e.g. an SVCCA count inside the tied group), never guess
        assert type(error).__name__ == "MetricInputError", error
        return
    assert np.isfinite(value)
    for invariance in sorted(metric.info.invariances):
        transform = TRANSFORMS[invariance]
        assert _close(metric(transform(x, rng), y), value), f"{metric_id}: x changed by {invariance}"
        assert _close(metric(x, transform(y, rng)), value), f"{metric_id}: y changed by {invariance}"
