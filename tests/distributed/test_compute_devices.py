"""``device``: resolved once, passed to benchmarks that take it, CUDA-only checks skipped cleanly without a GPU."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neuroalign.benchmarks import StatsPolicy
from neuroalign.benchmarks.device import compute_device, evaluate_on
from neuroalign.benchmarks.scoring import score
from neuroalign.metrics import get_metric
from neuroalign.models import PrecomputedAdapter

from grid_helpers import GridRsa, features_file

CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(not CUDA, reason="needs a CUDA device (torch.cuda.is_available() is False)")


def test_auto_is_cuda_when_available_and_the_cpu_keeps_the_engines_cpu_path():
    assert compute_device("cpu") is None
    assert compute_device("auto") == (torch.device("cuda") if CUDA else None)


@pytest.mark.skipif(CUDA, reason="checks the error raised where there is no CUDA device")
def test_cuda_without_a_gpu_is_a_clear_error():
    with pytest.raises(ValueError, match="CUDA is not available"):
        compute_device("cuda")


class _Legacy(GridRsa):
    """A benchmark written before ``device=`` existed."""

    def evaluate(self, features, stimulus_ids, *, n_bootstrap=0, seed=0):
        return super().evaluate(features, stimulus_ids, n_bootstrap=n_bootstrap, seed=seed)


def test_the_device_reaches_benchmarks_that_take_it_and_spares_those_that_do_not(monkeypatch):
    x, ids = np.random.default_rng(0).normal(size=(24, 5)), GridRsa().stimuli().stimulus_ids
    seen = []
    for engine in ("neuroalign.rdm.compute_rdms", "neuroalign.compare.compare"):
        monkeypatch.setattr(engine, _spy(seen, engine))
    marker = object()  # stands for a CUDA device; the spy records it and computes on the CPU
    expected = evaluate_on(GridRsa(), x, ids).value
    seen.clear()
    value = evaluate_on(GridRsa(), x, ids, device=marker).value
    assert value == expected and seen.count(marker) == 2  # the RDM and the comparison
    seen.clear()
    assert evaluate_on(_Legacy(), x, ids, device=marker).value == expected and marker not in seen


def _spy(seen, target):
    import importlib

    module, name = target.rsplit(".", 1)
    original = getattr(importlib.import_module(module), name)

    def wrapper(*args, device=None, **kwargs):
        seen.append(device)
        return original(*args, **kwargs)
    return wrapper


@needs_cuda
def test_a_cuda_score_matches_the_cpu_score(tmp_path):
    model = PrecomputedAdapter(features_file(tmp_path, "m"), model_id="m")
    policy = StatsPolicy(n_bootstrap=50)
    cpu = score(model, GridRsa(), stats=policy, device="cpu", cache=None)
    gpu = score(model, GridRsa(), stats=policy, device="cuda", cache=None)
    assert gpu.provenance["commitment"]["layer"] == cpu.provenance["commitment"]["layer"]
    np.testing.assert_allclose(gpu.value, cpu.value, atol=1e-10)
    np.testing.assert_allclose(gpu.interval, cpu.interval, atol=1e-10)


@needs_cuda
def test_ridge_predictivity_follows_the_device_to_himalaya_torch_cuda():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 8))
    y = x @ rng.normal(size=(8, 4)) + rng.normal(scale=0.5, size=(60, 4))
    metric = get_metric("predictivity.ridge")
    np.testing.assert_allclose(metric(x, y, device="cuda"), metric(x, y), atol=1e-6)
