"""The CCA family against plain-numpy references: QR bases, the eigen-solution, SVCCA's explained variance, PWCCA."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.linalg import eigh, sqrtm

from neuroalign.metrics import MetricInputError, get_metric


def _centre(x):
    return x - x.mean(axis=0)


def np_correlations_qr(x, y):
    qx, qy = np.linalg.qr(_centre(x))[0], np.linalg.qr(_centre(y))[0]
    return np.linalg.svd(qx.T @ qy, compute_uv=False)


def np_correlations_eig(x, y):
    """Eigenvalues of Cxx^-1 Cxy Cyy^-1 Cyx are the squared canonical correlations."""
    xc, yc = _centre(x), _centre(y)
    cxx, cyy, cxy = xc.T @ xc, yc.T @ yc, xc.T @ yc
    m = np.linalg.solve(cxx, cxy) @ np.linalg.solve(cyy, cxy.T)
    ev = np.sort(np.linalg.eigvals(m).real)[::-1][: min(x.shape[1], y.shape[1])]
    return np.sqrt(np.clip(ev, 0, None))


def _pair(rng, n, dx, dy, noise=1.0):
    x = rng.normal(size=(n, dx)) + 5.0
    y = x[:, : min(dx, dy)] @ rng.normal(size=(min(dx, dy), dy)) + noise * rng.normal(size=(n, dy))
    return x, y


@pytest.mark.parametrize("n,dx,dy", [(40, 4, 6), (25, 7, 3)])
def test_mean_and_mean_sq_match_numpy(n, dx, dy):
    x, y = _pair(np.random.default_rng(n), n, dx, dy)
    rho_qr, rho_eig = np_correlations_qr(x, y), np_correlations_eig(x, y)
    np.testing.assert_allclose(rho_qr, rho_eig, rtol=1e-8)
    assert get_metric("cca.mean")(x, y) == pytest.approx(rho_qr.mean(), rel=1e-10)
    assert get_metric("cca.mean_sq")(x, y) == pytest.approx(np.mean(rho_qr**2), rel=1e-10)


def test_rank_deficient_side_counts_only_its_rank():
    rng = np.random.default_rng(1)
    base = rng.normal(size=(30, 3))
    x = np.hstack([base, base @ rng.normal(size=(3, 2))])  # 5 columns, rank 3
    y = rng.normal(size=(30, 6))
    assert get_metric("cca.mean")(x, y) == pytest.approx(np_correlations_qr(base, y).mean(), rel=1e-8)


def np_svcca(x, y, keep):
    reduced = []
    for z in (x, y):
        u, s, _ = np.linalg.svd(_centre(z), full_matrices=False)
        explained = np.cumsum(s**2) / np.sum(s**2)  # against the TOTAL variance
        k = keep if isinstance(keep, int) else int(np.searchsorted(explained, keep) + 1)
        reduced.append(u[:, :k] * s[:k])
    return np_correlations_qr(*reduced).mean()


def test_svcca_keeps_components_by_total_variance():
    rng = np.random.default_rng(2)
    n = 200
    scales = np.array([10.0, 6.0, 3.0, 1.0, 0.3, 0.1])
    x = (np.linalg.qr(rng.normal(size=(n, 6)))[0] * scales) @ np.linalg.qr(rng.normal(size=(6, 6)))[0]
    y = x @ rng.normal(size=(6, 5)) + 0.5 * rng.normal(size=(n, 5))
    # 0.99 of the variance needs the three largest components here, not one.
    assert np.searchsorted(np.cumsum(scales**2) / np.sum(scales**2), 0.99) + 1 == 3
    for keep, metric_id in ((0.99, "cca.svcca.0.99"), (0.5, "cca.svcca.0.5"), (3, "cca.svcca.3")):
        assert get_metric(metric_id)(x, y) == pytest.approx(np_svcca(x, y, keep), rel=1e-10)
    with pytest.raises(MetricInputError, match="keeps 9 components but x has only 6"):
        get_metric("cca.svcca.9")(x, y)


def np_pwcca(x, y):
    """Morcos et al. (2018) from the eigen-solution: canonical weights of x, variates h_i = xc a_i, unit norm."""
    xc, yc = _centre(x), _centre(y)
    cxx, cyy, cxy = xc.T @ xc, yc.T @ yc, xc.T @ yc
    # Generalised symmetric eigenproblem  Cxy Cyy^-1 Cyx a = rho^2 Cxx a.
    rho2, a = eigh(cxy @ np.linalg.solve(cyy, cxy.T), cxx)
    order = np.argsort(rho2)[::-1][: min(x.shape[1], y.shape[1])]
    rho, a = np.sqrt(np.clip(rho2[order], 0, 1)), a[:, order]
    h = xc @ a
    h /= np.linalg.norm(h, axis=0)
    alpha = np.abs(h.T @ xc).sum(axis=1)
    return np.sum(alpha / alpha.sum() * rho)


def test_pwcca_matches_morcos_with_weights_from_x():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(60, 3)) * [5.0, 1.0, 0.2]
    y = np.hstack([x[:, :1], rng.normal(size=(60, 4))]) + 0.3 * rng.normal(size=(60, 5))
    xy, yx = get_metric("cca.pwcca")(x, y), get_metric("cca.pwcca")(y, x)
    assert xy == pytest.approx(np_pwcca(x, y), rel=1e-8)
    assert yx == pytest.approx(np_pwcca(y, x), rel=1e-8)
    assert abs(xy - yx) > 1e-3  # not symmetric: the weights come from the first argument


def test_intersecting_spans_tie_exactly_rank_x_plus_rank_y_minus_n_minus_1_correlations_at_one():
    """Correlations are 1 where the centred column spaces meet: at least r_x + r_y - (n - 1) of them."""
    from neuroalign.metrics.cca import canonical_correlations

    rng = np.random.default_rng(7)
    for n, dx, dy in ((10, 6, 6), (12, 9, 7), (30, 20, 12)):
        x, y = rng.normal(size=(n, dx)), rng.normal(size=(n, dy))
        rho = canonical_correlations(torch.tensor(x), torch.tensor(y)).numpy()
        assert (rho > 1 - 1e-10).sum() == dx + dy - (n - 1) and rho[dx + dy - (n - 1)] < 0.999


def _tied_pair(seed=0):
    rng = np.random.default_rng(seed)
    # each side narrower than n - 1, both together wider: 3 canonical correlations tie at 1
    return rng.normal(size=(10, 6)) * rng.uniform(0.5, 3.0, 6), rng.normal(size=(10, 6))


def test_pwcca_with_tied_correlations_is_independent_of_the_basis():
    """It changed under isotropic scaling, translation and column permutation here, which it declares invariant."""
    x, y = _tied_pair()
    metric = get_metric("cca.pwcca")
    value = metric(x, y)
    shuffled = y[:, [3, 1, 0, 5, 4, 2]]
    for xt, yt in ((x * 3.7, y), (x + 5.0, y), (x[:, ::-1], y), (x, y * 0.2), (x, y - 2.0), (x, shuffled)):
        assert metric(xt, yt) == pytest.approx(value, abs=1e-12)


def test_pwcca_tied_block_weighs_the_formula_averaged_over_its_bases():
    """Reference: the paper's weights over 20000 uniformly random orthonormal bases of the tied block (numpy)."""
    from scipy.stats import ortho_group

    x, y = _tied_pair()
    xc, yc = _centre(x), _centre(y)
    rho2, a = eigh(xc.T @ yc @ np.linalg.pinv(yc.T @ yc) @ yc.T @ xc, xc.T @ xc)
    order = np.argsort(rho2)[::-1]
    rho, h = np.sqrt(np.clip(rho2[order], 0, 1)), xc @ a[:, order]
    h /= np.linalg.norm(h, axis=0)
    tied = rho > 1 - 1e-10
    assert tied.sum() == 3
    rotations = ortho_group.rvs(3, size=20000, random_state=1)
    block = np.abs(np.einsum("nb,rbc,nj->rcj", h[:, tied], rotations, xc)).sum(axis=(1, 2)).mean()
    rest = np.abs(h[:, ~tied].T @ xc).sum(axis=1)
    expected = (block * 1.0 + rest @ rho[~tied]) / (block + rest.sum())
    assert get_metric("cca.pwcca")(x, y) == pytest.approx(expected, rel=2e-4)  # Monte Carlo error ~3e-5


def np_ridge_cca(x, y, lam):
    xs, ys = (_centre(z) / np.linalg.norm(_centre(z)) for z in (x, y))
    wx = np.linalg.inv(sqrtm(xs.T @ xs + lam * np.eye(x.shape[1]))).real
    wy = np.linalg.inv(sqrtm(ys.T @ ys + lam * np.eye(y.shape[1]))).real
    return np.linalg.svd(wx @ xs.T @ ys @ wy, compute_uv=False)[: min(x.shape[1], y.shape[1])].mean()


def test_ridge_cca_matches_numpy_and_reduces_to_cca():
    x, y = _pair(np.random.default_rng(4), 30, 5, 4)
    assert get_metric("cca.ridge.0.05")(x, y) == pytest.approx(np_ridge_cca(x, y, 0.05), rel=1e-8)
    assert get_metric("cca.ridge.0")(x, y) == pytest.approx(get_metric("cca.mean")(x, y), rel=1e-10)


def test_ridge_cca_is_informative_when_features_outnumber_stimuli():
    rng = np.random.default_rng(5)
    latent = rng.normal(size=(20, 3))  # low-dimensional structure embedded in many features
    x = latent @ rng.normal(size=(3, 300)) + 0.3 * rng.normal(size=(20, 300))
    related = latent @ rng.normal(size=(3, 200)) + 0.3 * rng.normal(size=(20, 200))
    unrelated = rng.normal(size=(20, 3)) @ rng.normal(size=(3, 200)) + 0.3 * rng.normal(size=(20, 200))
    assert get_metric("cca.mean")(x, unrelated) == pytest.approx(1.0)  # plain CCA saturates for d >= n
    assert get_metric("cca.ridge.0.1")(x, related) > 1.5 * get_metric("cca.ridge.0.1")(x, unrelated)


@pytest.mark.parametrize("metric_id", ["cca.mean", "cca.mean_sq", "cca.svcca.0.9", "cca.pwcca", "cca.ridge.0.1"])
def test_zero_variance_raises_naming_the_measure(metric_id):
    with pytest.raises(MetricInputError, match=rf"{metric_id}.*zero variance"):
        get_metric(metric_id)(np.full((10, 3), 4.0), np.random.default_rng(6).normal(size=(10, 2)))


def test_bad_parameters():
    for bad in ("cca.svcca", "cca.svcca.0", "cca.svcca.1.5", "cca.ridge.-1", "cca.mean.2"):
        with pytest.raises(MetricInputError):
            get_metric(bad)


def test_svcca_never_cuts_through_equal_singular_values():
    """Balanced category indicators have equal singular values: svcca.0.5 changed under a column permutation."""
    rng = np.random.default_rng(0)
    x = np.eye(4)[np.repeat(np.arange(4), 3)]  # 12 stimuli in 4 categories: 3 equal singular values after centring
    y = rng.normal(size=(12, 5))
    rotation = np.linalg.qr(rng.normal(size=(4, 4)))[0]
    fraction = get_metric("cca.svcca.0.5")
    value = fraction(x, y)
    assert fraction(x @ rotation, y) == pytest.approx(value, abs=1e-12)
    assert fraction(x[:, [1, 0, 3, 2]], y) == pytest.approx(value, abs=1e-12)
    # x keeps its whole tied group (all 3 components), y the fewest components reaching half its variance
    u, s, _ = np.linalg.svd(_centre(y), full_matrices=False)
    k = int(np.searchsorted(np.cumsum(s**2) / np.sum(s**2), 0.5) + 1)
    assert value == pytest.approx(np_correlations_qr(_centre(x)[:, :3], u[:, :k] * s[:k]).mean(), rel=1e-10)
    with pytest.raises(MetricInputError, match="singular values 1 to 3 are equal.*keep 3 components"):
        get_metric("cca.svcca.2")(x, y)
