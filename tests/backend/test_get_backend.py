"""``neuroalign.backend``: every spelling of ``device``, the dtypes, and what runs where (docs/conventions.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from neuroalign.backend import (NUMPY, TORCH, TORCH_CUDA, TORCH_MIN_WORK, Backend, get_backend, resolve_device,
                                resolve_dtype)
from neuroalign.errors import DeviceUnavailableError, InvalidOptionError, NeuroAlignError

ROOT = Path(__file__).resolve().parents[2]
CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(not CUDA, reason="needs a CUDA device (torch.cuda.is_available() is False); "
                                                 "no GPU is lent to this machine")
without_cuda = pytest.mark.skipif(CUDA, reason="checks what happens where torch sees no CUDA device")


# --- every spelling of device --------------------------------------------------------------------------------------
def test_none_is_the_cpu_default_path():
    assert get_backend(None) == get_backend() == Backend(NUMPY, "cpu", "float64")
    assert resolve_device(None) == torch.device("cpu")


@pytest.mark.parametrize("device", ["cpu", "cpu:0", torch.device("cpu"), torch.device("cpu", 0)])
def test_cpu_is_torch_on_the_cpu(device):
    assert get_backend(device) == Backend(TORCH, "cpu", "float64") and get_backend(device).numpy_blas
    assert resolve_device(device).type == "cpu"


@without_cuda
def test_auto_without_a_gpu_is_exactly_none():
    assert get_backend("auto") == get_backend(None)
    assert get_backend("auto", torch.float32) == get_backend(None, "float32")
    assert resolve_device("auto") == torch.device("cpu")


@needs_cuda
def test_auto_with_a_gpu_is_cuda():
    assert get_backend("auto") == Backend(TORCH_CUDA, "cuda", "float64")
    assert resolve_device("auto") == torch.device("cuda")


@without_cuda
@pytest.mark.parametrize("device", ["cuda", "cuda:0", "cuda:1", torch.device("cuda"), torch.device("cuda", 0)])
def test_cuda_without_a_gpu_is_one_clear_error(device):
    with pytest.raises(DeviceUnavailableError, match=r"CUDA is not available: torch sees no CUDA device") as caught:
        get_backend(device)
    assert repr(str(torch.device(device))) in str(caught.value) and "device='auto'" in str(caught.value)
    with pytest.raises(DeviceUnavailableError):
        resolve_device(device)


@needs_cuda
@pytest.mark.parametrize("device", ["cuda", "cuda:0", torch.device("cuda", 0)])
def test_cuda_spellings_with_a_gpu(device):
    backend = get_backend(device)
    assert backend.name == TORCH_CUDA and backend.on_cuda and not backend.numpy_blas
    assert backend.torch_device.type == "cuda" and backend.tensor_device == backend.torch_device


@needs_cuda
def test_a_cuda_index_beyond_the_gpus_is_unavailable():
    beyond = f"cuda:{torch.cuda.device_count()}"
    with pytest.raises(DeviceUnavailableError, match=f"'{beyond}' was requested but torch sees"):
        get_backend(beyond)


@pytest.mark.parametrize("device", ["gpu", "cuda:x", "CPU", "", "auto:0", 3.5, 0, True, b"cpu", ["cpu"], "meta"])
def test_anything_else_is_an_invalid_option_naming_the_value(device):
    with pytest.raises(InvalidOptionError, match="device must be None, 'auto', 'cpu', 'cuda'") as caught:
        get_backend(device)
    assert not isinstance(caught.value, DeviceUnavailableError)
    assert repr(device) in str(caught.value)


@pytest.mark.parametrize("device", ["cuda", "cuda:7", torch.device("cuda", 3), "cpu", "auto"])
def test_a_device_for_other_machines_is_checked_for_its_spelling_only(device):
    assert resolve_device(device, here=False).type in ("cuda", "cpu")


@pytest.mark.parametrize("device", ["gpu", "meta", 3.5])
def test_a_device_for_other_machines_is_still_a_device(device):
    with pytest.raises(InvalidOptionError, match="device must be"):
        resolve_device(device, here=False)


def test_the_errors_are_neuroalign_errors_and_value_errors():
    assert issubclass(DeviceUnavailableError, InvalidOptionError)
    assert issubclass(DeviceUnavailableError, NeuroAlignError) and issubclass(DeviceUnavailableError, ValueError)


# --- dtypes --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling,name", [
    ("float64", "float64"), ("float32", "float32"), (np.float64, "float64"), (np.float32, "float32"),
    (np.dtype("float32"), "float32"), (torch.float64, "float64"), (torch.float32, "float32"), (None, "float64")])
def test_dtype_spellings(spelling, name):
    assert resolve_dtype(spelling) == name
    backend = get_backend("cpu", spelling)
    assert backend.dtype == name
    assert backend.torch_dtype is getattr(torch, name) and backend.numpy_dtype == np.dtype(name)
    assert backend.eps == torch.finfo(getattr(torch, name)).eps


@pytest.mark.parametrize("dtype", ["float16", "int64", torch.int64, torch.float16, np.int32, int, object, "half"])
def test_other_dtypes_are_refused(dtype):
    with pytest.raises(InvalidOptionError, match="dtype must be float64 or float32"):
        get_backend(None, dtype)


def test_a_backend_passes_through_with_its_dtype_or_a_new_one():
    backend = get_backend("cpu", "float32")
    assert get_backend(backend) is backend
    assert get_backend(backend, torch.float64) == Backend(TORCH, "cpu", "float64")


# --- what runs where -----------------------------------------------------------------------------------------------
def test_the_cpu_default_path_uses_numpy_below_torch_min_work_and_torch_above():
    default, cpu = get_backend(None), get_backend("cpu")
    assert default.numpy_blas and cpu.numpy_blas  # the RDM engine's Gram products: numpy's BLAS on any CPU path
    assert not default.products_in_torch(TORCH_MIN_WORK - 1) and default.products_in_torch(TORCH_MIN_WORK)
    assert cpu.products_in_torch(1)  # "cpu" asks for torch
    assert default.tensor_device is None and cpu.tensor_device == torch.device("cpu")
    assert default.torch_device == torch.device("cpu")


def test_the_rdm_engine_reads_the_backend():
    from neuroalign.rdm.backend import resolve_backend

    for device in (None, "cpu", "auto") if not CUDA else (None, "cpu"):
        backend = resolve_backend(device, torch.float32)
        assert backend.numpy_blas and backend.device == torch.device("cpu") and backend.dtype is torch.float32


def test_the_benchmarks_keep_the_engines_cpu_path_for_every_cpu_spelling():
    from neuroalign.benchmarks.device import compute_device

    for device in (None, "cpu", torch.device("cpu")):
        assert compute_device(device) is None


def test_import_and_the_default_path_import_no_torch():
    code = ("import sys, numpy as np, neuroalign, neuroalign.backend as b; assert b.get_backend().name == 'numpy'; "
            "b.get_backend(None, 'float32'); from neuroalign.compare import compare; "
            "compare(np.arange(6.0), np.arange(6.0)[::-1], 'pearson', device=None); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


# --- one place -----------------------------------------------------------------------------------------------------
_BUILDERS = ("torch.device", "torch.cuda.is_available", "torch.cuda.device_count", "torch.backends.mps.is_available")


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def test_only_the_backend_builds_devices_or_raises_device_unavailable():
    offenders = []
    for path in sorted((ROOT / "neuroalign").rglob("*.py")):
        if path == ROOT / "neuroalign" / "backend.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and _dotted(node.func).endswith(_BUILDERS):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} calls {_dotted(node.func)}")
            if isinstance(node, ast.Raise) and "DeviceUnavailableError" in ast.dump(node):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} raises DeviceUnavailableError")
    assert not offenders, "devices are built and checked in neuroalign/backend.py only:\n" + "\n".join(offenders)


# --- deprecated spellings ------------------------------------------------------------------------------------------
def test_the_old_device_helpers_still_work_and_name_the_new_spelling():
    from neuroalign.compare.backend import torch_device
    from neuroalign.models.device import resolve_device as models_resolve_device

    for old in (torch_device, models_resolve_device):
        with pytest.warns(FutureWarning, match=r"neuroalign\.backend\.resolve_device"):
            assert old("cpu") == torch.device("cpu")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            assert old("auto") == resolve_device("auto")
    with warnings.catch_warnings():  # each keeps its old reading of None
        warnings.simplefilter("ignore", FutureWarning)
        assert torch_device(None) == torch.device("cpu")
        assert models_resolve_device(None) == resolve_device("auto")
