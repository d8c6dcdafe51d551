"""Every public function that takes ``device`` gives, with ``None`` and with ``"auto"``, the numbers it gave before
one device rule existed (``docs/conventions.md``, "Devices"), and ``"cpu"`` the same numbers to rounding.

The functions are collected by introspection (``device_cases.public_functions_with_device``), so a new public
function with a ``device`` parameter fails here until it has a case in ``device_cases.CASES``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from neuroalign.errors import DeviceUnavailableError, InvalidOptionError

from device_cases import CASES, GOLDEN, HOOKS, Inputs, assert_matches, public_functions_with_device

FUNCTIONS = sorted(public_functions_with_device())
ENTRY_POINTS = [name for name in FUNCTIONS if name not in HOOKS]
BEFORE = json.loads(GOLDEN.read_text())
CUDA = torch.cuda.is_available()
#: On a GPU "auto" runs there: float64 reductions in another order, and no longer the CPU's bits.
CUDA_TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def inputs(data_mirror, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:  # the 92 images are written into a data cache of the test's own
        patch.setenv("NEUROALIGN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield Inputs(data_mirror, tmp_path_factory.mktemp("stores"))


def test_the_introspection_finds_the_entry_points_of_every_layer():
    expected = {"neuroalign.rdm.api.compute_rdms", "neuroalign.compare.api.compare",
                "neuroalign.stats.bootstrap.bootstrap_rdm_comparison", "neuroalign.metrics.base.Metric.__call__",
                "neuroalign.models.adapter.Adapter.extract", "neuroalign.benchmarks.scoring.score",
                "neuroalign.alignment.study.align", "neuroalign.distributed.units.WorkUnit.__init__"}
    assert expected <= set(FUNCTIONS)
    assert set(HOOKS) <= set(FUNCTIONS), "a hook listed in device_cases.HOOKS no longer exists"


def test_every_public_function_with_a_device_has_a_case():
    missing = sorted(set(ENTRY_POINTS) - set(CASES))
    assert not missing, f"add a case to tests/backend/device_cases.py for {missing}"
    assert not set(CASES) - set(ENTRY_POINTS), "a case names a function that is gone or no longer takes device"
    assert set(BEFORE) <= set(CASES)


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_none_and_auto_give_the_numbers_of_before(inputs, name):
    if name not in CASES:
        pytest.fail(f"{name} takes device but has no case: add one to tests/backend/device_cases.py")
    default = CASES[name](inputs, None)
    if name in BEFORE:  # a function added after the rule has no "before"
        assert_matches(default, BEFORE[name])
    auto = CASES[name](inputs, "auto")
    if CUDA:
        assert_matches(auto, BEFORE.get(name) or {"values": default.tolist()}, CUDA_TOLERANCE)
    else:  # "auto" without a GPU is exactly the path of None, to the last bit
        np.testing.assert_array_equal(auto, default)


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_cpu_gives_the_same_numbers_to_rounding(inputs, name):
    if name not in CASES:
        pytest.fail(f"{name} takes device but has no case: add one to tests/backend/device_cases.py")
    np.testing.assert_allclose(CASES[name](inputs, "cpu"), CASES[name](inputs, None), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ENTRY_POINTS)
@pytest.mark.parametrize("device", ["gpu", "cuda:x"])
def test_a_spelling_that_names_no_device_is_an_invalid_option(inputs, name, device):
    if name not in CASES:
        pytest.fail(f"{name} takes device but has no case: add one to tests/backend/device_cases.py")
    with pytest.raises(InvalidOptionError, match=f"device must be None, 'auto', 'cpu', 'cuda'.*got {device!r}"):
        CASES[name](inputs, device)


@pytest.mark.skipif(CUDA, reason="checks the error raised where torch sees no CUDA device")
@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_cuda_without_a_gpu_is_device_unavailable(inputs, name):
    if name not in CASES:
        pytest.fail(f"{name} takes device but has no case: add one to tests/backend/device_cases.py")
    with pytest.raises(DeviceUnavailableError, match="'cuda' was requested but CUDA is not available"):
        CASES[name](inputs, "cuda")
