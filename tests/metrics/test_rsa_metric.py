"""RSA in the metric registry: equal to the RDM engine plus comparator, and every declared property holds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr

from neuroalign.errors import InvalidOptionError
from neuroalign.metrics import get_metric
from neuroalign.metrics.rsa import feature_distances

COMPARATOR_NAMES = ["pearson", "spearman", "cosine", "kendall_tau_a", "bures_similarity", "sqbures"]
IDS = [f"rsa.{d}.{c}" for d, c in itertools.product(feature_distances(), COMPARATOR_NAMES)]


def pair(n=12, d=5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)) + 0.3
    return x, x[:, :3] @ rng.standard_normal((3, 4)) + rng.standard_normal((n, 4))


def transforms(d, rng):
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return {"orthogonal": lambda x: x @ q, "isotropic_scaling": lambda x: 2.5 * x,
            "translation": lambda x: x + rng.standard_normal(d) * 3, "permutation": lambda x: x[:, rng.permutation(d)]}


def test_matches_scipy_for_correlation_spearman():
    x, y = pair()
    expected = spearmanr(pdist(x, "correlation"), pdist(y, "correlation")).statistic
    assert get_metric("rsa.correlation.spearman")(x, y) == pytest.approx(expected, abs=1e-12)
    expected = np.corrcoef(pdist(x), pdist(y))[0, 1]
    assert get_metric("rsa.euclidean.pearson")(x, y) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("metric_id", IDS)
def test_declared_invariances_and_symmetry_hold(metric_id):
    metric = get_metric(metric_id)
    rng = np.random.default_rng(1)
    for seed, (n, d) in enumerate([(12, 5), (9, 20)]):
        x, y = pair(n, d, seed)
        base = metric(x, y)
        assert metric(y, x) == pytest.approx(base, rel=1e-9, abs=1e-12)
        for name, transform in transforms(d, rng).items():
            if name in metric.info.invariances:
                assert metric(transform(x), y) == pytest.approx(base, rel=1e-9, abs=1e-10), name


@pytest.mark.parametrize(("metric_id", "absent"), [("rsa.correlation.pearson", "translation"),
                                                   ("rsa.correlation.pearson", "orthogonal"),
                                                   ("rsa.cosine.spearman", "translation"),
                                                   ("rsa.euclidean.sqbures", "isotropic_scaling")])
def test_undeclared_invariances_really_fail(metric_id, absent):
    metric = get_metric(metric_id)
    assert absent not in metric.info.invariances
    x, y = pair()
    changed = transforms(x.shape[1], np.random.default_rng(2))[absent](x)
    assert abs(metric(changed, y) - metric(x, y)) > 1e-6


def test_kinds_follow_the_comparator():
    assert get_metric("rsa.euclidean.sqbures").info.kind == "distance"
    assert get_metric("rsa.correlation.spearman").info.kind == "similarity"
    assert get_metric("rsa.correlation.tau-a").info.id == "rsa.correlation.kendall_tau_a"


@pytest.mark.parametrize("bad", ["rsa", "rsa.correlation", "rsa.crossnobis.pearson"])
def test_bad_ids_raise(bad):
    with pytest.raises(InvalidOptionError, match="rsa"):
        get_metric(bad)
