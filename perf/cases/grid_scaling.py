"""A CPU-bound grid of 3 models x 3 RSA benchmarks, serial against a 2-worker local Dask cluster (issue 9).

Models are feature files of 200 stimuli with three layers of 600, 1500 or 3000 units (different costs); the
benchmarks are synthetic RSA benchmarks with 16, 12 and 8 subjects (the largest first), scored with
cross-validated layer commitment and 1000 bootstrap resamples, so that a task takes about 2 s. Both sides run the
same grid function into a fresh results store, with the same seeds.

Threads: each Dask worker is a single-threaded process (``threads_per_worker=1``; Dask's nanny sets
``OMP_NUM_THREADS=1`` and friends before the worker starts, so NumPy's BLAS and torch use one thread). The serial
side is pinned to one thread too (``threadpoolctl`` and ``torch.set_num_threads(1)``), so the speedup measures how
well the executor spreads tasks, not BLAS threading; the ``serial_default_threads`` side shows what a serial run
with the libraries' default threads (2 on this machine) takes. ``ours`` is the grid on a running, warmed cluster
(a cluster serves many grids; every side is the best of 3 runs, and the first ``ours`` run starts the cluster);
``cluster_startup`` times starting and warming a 2-worker cluster, reported separately, and
``speedup_with_startup`` counts it in. Target: speedup >= 1.6 with results identical.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from neuroalign.benchmarks import RsaBenchmark, StatsPolicy
from neuroalign.core.rdms import RDMs
from neuroalign.core.stimuli import StimulusSet

NAME = "grid_scaling"
TARGET_SPEEDUP = 1.6
N_STIMULI, N_LATENT = 200, 40
MODEL_UNITS = {"model-600": 600, "model-1500": 1500, "model-3000": 3000}
# Largest benchmark first: a cluster queues tasks benchmark by benchmark in the order given, and starting the
# longest tasks first shortens the tail where one worker finishes alone (see docs/distributed.md).
BENCH_SUBJECTS = {"scaling.rsa.s16": 16, "scaling.rsa.s12": 12, "scaling.rsa.s8": 8}


def _latent() -> np.ndarray:
    return np.random.default_rng(0).normal(size=(N_STIMULI, N_LATENT))


class ScalingRsa(RsaBenchmark):
    """Synthetic RSA benchmark: noisy subjects sharing one latent representation of 200 stimuli."""

    version = "1"
    citation = "@misc{synthetic}"
    modality = "image"

    def __init__(self, bench_id: str, n_subjects: int, n_bootstrap: int) -> None:
        self.id, self.n_subjects = bench_id, n_subjects
        self.stats = StatsPolicy(n_bootstrap=n_bootstrap, seed=11, commitment="crossval")

    def stimuli(self) -> StimulusSet:
        return StimulusSet([f"s{i:03d}" for i in range(N_STIMULI)])

    def load_target(self) -> RDMs:
        from scipy.spatial.distance import pdist

        rng = np.random.default_rng(self.n_subjects)
        base = _latent()
        rdms = [pdist(base + rng.normal(scale=1.5, size=base.shape), "correlation") for _ in range(self.n_subjects)]
        return RDMs(np.array(rdms), self.stimuli().stimulus_ids)


def _features(workdir: Path, name: str, units: int) -> Path:
    path = workdir / f"grid_scaling_{name}.npz"
    if not path.exists():
        rng = np.random.default_rng(units)
        mix = _latent() @ rng.normal(size=(N_LATENT, units))
        layers = {f"layer{k}": (mix + rng.normal(scale=s, size=mix.shape) * mix.std()).astype(np.float32)
                  for k, s in enumerate((0.5, 2.0, 8.0))}
        np.savez(path, stimulus_ids=np.array([f"s{i:03d}" for i in range(N_STIMULI)]), **layers)
    return path


def setup(workdir: Path, small: bool) -> dict[str, Any]:
    from neuroalign.models import PrecomputedAdapter

    models = [PrecomputedAdapter(_features(workdir, name, units), model_id=name) for name, units in
              MODEL_UNITS.items()]
    n_boot = 50 if small else 1000
    benches = [ScalingRsa(bench_id, n, n_boot) for bench_id, n in BENCH_SUBJECTS.items()]
    return {"models": models, "benches": benches, "executor": None}


def _grid(d: dict[str, Any], executor: Any = None) -> np.ndarray:
    from neuroalign.runs.grid import run

    with tempfile.TemporaryDirectory(prefix="grid-scaling-") as tmp:
        table = run(d["models"], d["benches"], store=Path(tmp) / "results.sqlite", cache=None, device="cpu",
                    executor=executor)
    assert (table.status == "scored").all()
    return table[["value", "interval_low", "interval_high", "ceiling"]].to_numpy(dtype=np.float64)


def _started_cluster() -> Any:
    from neuroalign.distributed import DaskExecutor

    executor = DaskExecutor(workers=2)
    # Warm the workers: import the scoring stack once in each (as a long-running cluster would have).
    executor.client.run(lambda: __import__("neuroalign.benchmarks.scoring") and None)
    return executor


def ours(d: dict[str, Any]) -> np.ndarray:
    """The grid on a running 2-worker cluster (started on the first call, untimed in the best-of-2)."""
    if d["executor"] is None:
        import atexit

        d["executor"] = _started_cluster()
        atexit.register(d["executor"].close)
    return _grid(d, d["executor"])


def reference(d: dict[str, Any]) -> np.ndarray:
    """The serial grid, one thread (as each worker)."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    with threadpool_limits(1):
        return _grid(d)


def serial_default_threads(d: dict[str, Any]) -> np.ndarray:
    """The serial grid with the libraries' default threads."""
    return _grid(d)


def cluster_startup(d: dict[str, Any]) -> None:
    """Start a 2-worker local cluster, warm its workers, close it."""
    _started_cluster().close()


SIDES = {"ours": ours, "reference": reference, "serial_default_threads": serial_default_threads,
         "cluster_startup": cluster_startup}
REPEATS = 3


def summarize(outputs: dict[str, Any], seconds: dict[str, float], peaks_mb: dict[str, float]) -> dict[str, Any]:
    speedup = seconds["reference"] / seconds["ours"]
    identical = bool(np.array_equal(outputs["ours"], outputs["reference"], equal_nan=True))
    return {"grid": f"{len(MODEL_UNITS)} models x {len(BENCH_SUBJECTS)} benchmarks", "workers": 2,
            "tasks": int(len(outputs["ours"])), "seconds_per_task_serial": round(seconds["reference"] / 9, 3),
            "identical_results": identical,
            "identical_to_default_threads": bool(np.array_equal(outputs["ours"], outputs["serial_default_threads"],
                                                                equal_nan=True)),
            "speedup_with_startup": round(seconds["reference"] / (seconds["ours"] + seconds["cluster_startup"]), 2),
            "target_speedup": TARGET_SPEEDUP, "target_met": bool(speedup >= TARGET_SPEEDUP and identical)}
