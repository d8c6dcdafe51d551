"""The RDM engine's memory preflight: refuse before allocating, name the parts and the options, estimate well."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import torch

from neuroalign.errors import InsufficientMemoryError
from neuroalign.rdm import compute_rdms
from neuroalign.rdm.backend import resolve_backend
from neuroalign.rdm.catalog import resolve_distance
from neuroalign.rdm.preflight import GroupShape, estimate_memory
from neuroalign.utils.memory import available_memory, cgroup_headroom

PROBE = Path(__file__).resolve().parent / "memory_probe.py"
GIB = 2 ** 30


def test_hundreds_of_gib_are_refused_before_anything_is_allocated():
    """300,000 stimuli: the n x n statistics alone are 670 GiB; the refusal comes before any of it exists."""
    n = 300_000
    patterns = np.random.default_rng(0).normal(size=(n, 2))
    ids = [f"s{k}" for k in range(n)]
    tracemalloc.start()
    try:
        with pytest.raises(InsufficientMemoryError) as info:
            compute_rdms(patterns, "euclidean", stimulus_ids=ids)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20  # the ids and the small checks, nothing n x n
    message = str(info.value)
    assert "GiB of memory at its peak" in message and "n x n statistics 1,676.38 GiB" in message
    for option in ("fewer stimuli", "dtype=torch.float32", "device='cuda'", "HDF5", "memory_limit="):
        assert option in message
    assert isinstance(info.value, MemoryError)  # still caught by `except MemoryError`


def test_a_small_limit_refuses_and_a_large_one_lets_it_run(rng):
    patterns = rng.normal(size=(500, 20))
    ids = [f"s{k}" for k in range(500)]
    with pytest.raises(InsufficientMemoryError, match=r"needs about 0\.\d\d GiB .* but 0\.01 GiB are free"):
        compute_rdms(patterns, "correlation", stimulus_ids=ids, memory_limit=10 * 2**20)
    rdms = compute_rdms(patterns, "correlation", stimulus_ids=ids, memory_limit=4 * GIB)
    assert rdms.n_stimuli == 500


def test_float32_and_fewer_rdms_lower_the_estimate_as_the_message_promises():
    distance = resolve_distance("crossnobis")
    shape = GroupShape((64, 4, 2000, 300))
    f64 = estimate_memory([shape], distance, resolve_backend(None, torch.float64), None)
    f32 = estimate_memory([shape], distance, resolve_backend(None, torch.float32), None)
    fewer = estimate_memory([GroupShape((16, 4, 2000, 300))], distance, resolve_backend(None, torch.float64), None)
    assert f32.squares * 2 == f64.squares and f32.host_peak < f64.host_peak
    assert fewer.squares * 4 == f64.squares
    streamed = estimate_memory([shape], distance, resolve_backend(None, torch.float64), 8)
    assert streamed.blocks < f64.blocks


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux's /proc/self/clear_refs")
@pytest.mark.parametrize("config", [
    {"runs": 1, "n": 3000, "p": 300, "times": 4, "distance": "correlation"},
    {"runs": 1, "n": 3000, "p": 300, "times": 4, "distance": "correlation", "dtype": "float32"},
    {"runs": 4, "n": 3000, "p": 300, "times": 2, "distance": "crossnobis", "missing": True},
    {"runs": 1, "n": 3000, "p": 300, "times": 4, "distance": "euclidean"},
], ids=["correlation", "correlation-float32", "crossnobis-unbalanced", "euclidean"])
def test_the_estimate_is_between_one_and_two_times_the_measured_peak(config):
    """A fresh process per case (about 0.5-1 GiB): the resident high-water mark during the call."""
    available = available_memory()
    if available is not None and available < 4 * GIB:
        pytest.skip("needs 4 GiB of free memory")
    out = subprocess.run([sys.executable, str(PROBE), json.dumps(config)], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["measured"] > 200 * 2**20  # a real, moderate size
    assert result["measured"] <= result["estimated"] <= 2 * result["measured"], result


def test_cgroup_limits_lower_the_available_memory(tmp_path):
    """cgroup v2 (memory.max) and v1 (memory.limit_in_bytes): limit minus usage; 'max' means no limit."""
    (tmp_path / "proc" / "self").mkdir(parents=True)
    (tmp_path / "proc" / "self" / "cgroup").write_text("0::/job_42\n")
    group = tmp_path / "sys" / "fs" / "cgroup" / "job_42"
    group.mkdir(parents=True)
    (group / "memory.max").write_text("4294967296\n")
    (group / "memory.current").write_text("1073741824\n")
    assert cgroup_headroom(tmp_path) == 3 * GIB
    (group / "memory.max").write_text("max\n")
    assert cgroup_headroom(tmp_path) is None
    (tmp_path / "proc" / "self" / "cgroup").write_text("4:memory:/slurm/uid_1/job_7\n")
    v1 = tmp_path / "sys" / "fs" / "cgroup" / "memory" / "slurm" / "uid_1" / "job_7"
    v1.mkdir(parents=True)
    (v1 / "memory.limit_in_bytes").write_text(str(2 * GIB))
    (v1 / "memory.usage_in_bytes").write_text(str(GIB // 2))
    assert cgroup_headroom(tmp_path) == GIB + GIB // 2


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_gpu_statistics_are_checked_against_the_gpu_free_memory():
    n = 200_000  # 745 GiB of statistics on any GPU there is
    with pytest.raises(InsufficientMemoryError, match=r"GiB of memory on cuda.* n x n statistics .* on the GPU"):
        compute_rdms(np.zeros((n, 2)), "euclidean", stimulus_ids=[f"s{k}" for k in range(n)], device="cuda",
                     memory_limit=10**15)
