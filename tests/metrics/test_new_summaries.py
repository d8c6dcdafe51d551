"""CKA with zero-diagonal centred Grams (Lange et al. 2023) and SVCCA's mean rho^2, against numpy closed forms."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neuroalign.metrics import MetricInputError, get_metric


def _reference_zero_diagonal(x, y):
    k, l = ((z - z.mean(0)) @ (z - z.mean(0)).T for z in (x, y))
    np.fill_diagonal(k, 0.0)
    np.fill_diagonal(l, 0.0)
    return (k * l).sum() / np.sqrt((k * k).sum() * (l * l).sum())


@pytest.mark.parametrize(("n", "dx", "dy"), [(30, 5, 8), (12, 40, 60)])
def test_zero_diagonal_cka_is_the_cosine_of_zero_diagonal_centred_grams(n, dx, dy):
    rng = np.random.default_rng(n)
    x, y = rng.standard_normal((n, dx)), rng.standard_normal((n, dy))
    metric = get_metric("cka.zero_diagonal")
    assert float(metric(x, y)) == pytest.approx(_reference_zero_diagonal(x, y), abs=1e-12)
    assert float(metric(x, x)) == pytest.approx(1.0, abs=1e-12)


def test_zero_diagonal_differs_from_biased_cka_where_the_diagonal_dominates():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((20, 2000)), rng.standard_normal((20, 2000))
    biased, zero = float(get_metric("cka.linear")(x, y)), float(get_metric("cka.zero_diagonal")(x, y))
    assert zero == pytest.approx(_reference_zero_diagonal(x, y), abs=1e-12) and abs(biased - zero) > 0.05
    shifted = x + 5.0
    assert float(get_metric("cka.zero_diagonal")(shifted, y)) == pytest.approx(zero, abs=1e-12)


def test_zero_diagonal_needs_two_distinct_stimuli():
    with pytest.raises(MetricInputError):
        get_metric("cka.zero_diagonal")(np.ones((5, 3)), np.random.default_rng(0).standard_normal((5, 3)))


def test_svcca_mean_rho_squared_beside_mean_rho():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((60, 6))
    y = x @ rng.standard_normal((6, 6)) + rng.standard_normal((60, 6))
    xc, yc = x - x.mean(0), y - y.mean(0)
    qx, qy = np.linalg.qr(xc)[0], np.linalg.qr(yc)[0]
    rho = np.linalg.svd(qx.T @ qy, compute_uv=False)  # all components kept: plain CCA
    assert float(get_metric("cca.svcca.6")(x, y)) == pytest.approx(rho.mean(), abs=1e-12)
    assert float(get_metric("cca.svcca_sq.6")(x, y)) == pytest.approx((rho**2).mean(), abs=1e-12)
    assert get_metric("cca.svcca_sq.0.99").info.id == "cca.svcca_sq.0.99"
    assert torch.is_tensor(get_metric("cca.svcca_sq.6").compute(torch.as_tensor(x), torch.as_tensor(y)))
