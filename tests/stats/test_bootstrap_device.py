"""The stimulus bootstrap on a torch device gives the NumPy results on the same seeded resamples."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.errors import InvalidOptionError
from neuroalign.stats import bootstrap_rdm_comparison

torch = pytest.importorskip("torch")

N_STIM = 12
N_PAIRS = N_STIM * (N_STIM - 1) // 2
WEIGHTED = ("pearson", "cosine", "spearman", "rho_a")
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


@pytest.fixture(scope="module")
def rdms():
    rng = np.random.default_rng(21)
    truth = rng.random(N_PAIRS)
    models = np.stack([truth + 0.6 * rng.random(N_PAIRS), rng.random(N_PAIRS), np.round(rng.random(N_PAIRS), 1)])
    data = truth + 0.5 * rng.random((5, N_PAIRS))
    data[0] = np.round(data[0], 1)  # ties in a subject RDM, in its own ranks and in the pooled ones
    data[1] = np.round(data[1] * 4) / 4
    return models, data


def _assert_same(ours, reference, atol):
    np.testing.assert_allclose(ours.observed, reference.observed, rtol=0, atol=atol)
    np.testing.assert_allclose(ours.samples, reference.samples, rtol=0, atol=atol)
    assert (ours.jackknife is None) == (reference.jackknife is None)
    if reference.jackknife is not None:
        np.testing.assert_allclose(ours.jackknife, reference.jackknife, rtol=0, atol=atol)
    assert (ours.ceiling_samples is None) == (reference.ceiling_samples is None)
    if reference.ceiling_samples is not None:
        np.testing.assert_allclose(ours.ceiling_observed, reference.ceiling_observed, rtol=0, atol=atol)
        np.testing.assert_allclose(ours.ceiling_samples, reference.ceiling_samples, rtol=0, atol=atol)
    assert isinstance(ours.samples, np.ndarray)


def _run(rdms, method, over, noise_ceiling, device):
    models, data = rdms
    return bootstrap_rdm_comparison(models, data, method, over=over, n_bootstrap=40, seed=5, batch_size=15,
                                    noise_ceiling=noise_ceiling, device=device)


CASES = [("stimuli", False), ("stimuli", True), ("subjects", False), ("both", False)]


@pytest.mark.parametrize("over,noise_ceiling", CASES)
@pytest.mark.parametrize("method", WEIGHTED)
def test_torch_cpu_equals_numpy(rdms, method, over, noise_ceiling):
    _assert_same(_run(rdms, method, over, noise_ceiling, "cpu"), _run(rdms, method, over, noise_ceiling, None),
                 1e-12)


@pytest.mark.parametrize("device", [torch.device("cpu"), "auto"])
def test_device_forms(rdms, device):
    if device == "auto" and torch.cuda.is_available():
        pytest.skip("'auto' picks CUDA here, covered by the CUDA tests")
    _assert_same(_run(rdms, "spearman", "stimuli", True, device), _run(rdms, "spearman", "stimuli", True, None),
                 1e-12)


def test_kendall_stays_on_numpy(rdms):
    models, data = rdms
    kwargs = dict(n_bootstrap=3, seed=2, noise_ceiling=True)
    ours = bootstrap_rdm_comparison(models[:1], data[:3], "kendall_tau_a", device="cpu", **kwargs)
    _assert_same(ours, bootstrap_rdm_comparison(models[:1], data[:3], "kendall_tau_a", **kwargs), 0)


@pytest.mark.parametrize("device", ["gpu", "cuda:x", 3.5])
def test_bad_device_is_a_clear_error(rdms, device):
    with pytest.raises(InvalidOptionError, match="device"):
        _run(rdms, "spearman", "stimuli", False, device)


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
def test_cuda_without_gpu_is_a_clear_error(rdms):
    with pytest.raises(InvalidOptionError, match="no CUDA device"):
        _run(rdms, "pearson", "stimuli", False, "cuda")


@CUDA
@pytest.mark.parametrize("over,noise_ceiling", CASES)
@pytest.mark.parametrize("method", WEIGHTED)
def test_cuda_equals_numpy(rdms, method, over, noise_ceiling):
    _assert_same(_run(rdms, method, over, noise_ceiling, "cuda"), _run(rdms, method, over, noise_ceiling, None),
                 1e-12)


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=CUDA)])
@pytest.mark.parametrize("method", ["pearson", "spearman", "cosine"])
def test_undefined_resamples_are_redrawn_alike_on_every_device(method, device):
    """A categorical model RDM (6 vs 2 stimuli) is constant on some resamples: the same redraws on every device."""
    import warnings

    from scipy.spatial.distance import pdist

    from neuroalign.stats import UndefinedResampleWarning

    labels = np.array([0, 0, 0, 0, 0, 0, 1, 1], dtype=float)[:, None]
    model = pdist(labels, lambda u, v: float(u[0] != v[0]))
    data = np.random.default_rng(1).random((4, 28))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedResampleWarning)
        ours, reference = (bootstrap_rdm_comparison(model, data, method, n_bootstrap=100, seed=0, noise_ceiling=True,
                                                    device=d) for d in (device, None))
    assert ours.n_redrawn == reference.n_redrawn == 8
    _assert_same(ours, reference, 1e-12)
