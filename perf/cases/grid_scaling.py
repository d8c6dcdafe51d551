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

``profile`` (not a timing) runs the grid once per repeat serially, in two plain processes and on the cluster, every
task timed inside the process that runs it (see :mod:`cases._grid_profile`): ``profile_ratios`` compares the
per-task wall and CPU time of the parallel runs with the serial one, ``profile_best`` holds the split (task
compute, pickled task and result bytes and pickling time, idle time between tasks, the CPU of the client and
scheduler and of the workers outside tasks, Dask's own record of deserialising and transferring inputs, the BLAS
and torch threads of every worker against the cores). ``--small`` (the smoke run): 40 stimuli, tiny models, 10
resamples, no two-process run.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
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
#: ``--small`` (the test suite's smoke run): the same grid of tiny models on 40 stimuli, and 10 resamples.
SMALL_UNITS, SMALL_STIMULI, SMALL_BOOTSTRAP = {"model-6": 6, "model-15": 15, "model-30": 30}, 40, 10
# Largest benchmark first: a cluster queues tasks benchmark by benchmark in the order given, and starting the
# longest tasks first shortens the tail where one worker finishes alone (see docs/distributed.md).
BENCH_SUBJECTS = {"scaling.rsa.s16": 16, "scaling.rsa.s12": 12, "scaling.rsa.s8": 8}


def _latent(n_stimuli: int) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(n_stimuli, N_LATENT))


class ScalingRsa(RsaBenchmark):
    """Synthetic RSA benchmark: noisy subjects sharing one latent representation of the stimuli (200)."""

    version = "1"
    citation = "@misc{synthetic}"
    modality = "image"

    def __init__(self, bench_id: str, n_subjects: int, n_bootstrap: int, n_stimuli: int = N_STIMULI) -> None:
        self.id, self.n_subjects, self.n_stimuli = bench_id, n_subjects, n_stimuli
        self.stats = StatsPolicy(n_bootstrap=n_bootstrap, seed=11, commitment="crossval")

    def stimuli(self) -> StimulusSet:
        return StimulusSet([f"s{i:03d}" for i in range(self.n_stimuli)])

    def load_target(self) -> RDMs:
        from scipy.spatial.distance import pdist

        rng = np.random.default_rng(self.n_subjects)
        base = _latent(self.n_stimuli)
        rdms = [pdist(base + rng.normal(scale=1.5, size=base.shape), "correlation") for _ in range(self.n_subjects)]
        return RDMs(np.array(rdms), self.stimuli().stimulus_ids)


def _features(workdir: Path, name: str, units: int, n_stimuli: int) -> Path:
    path = workdir / f"grid_scaling_{name}_{n_stimuli}.npz"
    if not path.exists():
        rng = np.random.default_rng(units)
        mix = _latent(n_stimuli) @ rng.normal(size=(N_LATENT, units))
        layers = {f"layer{k}": (mix + rng.normal(scale=s, size=mix.shape) * mix.std()).astype(np.float32)
                  for k, s in enumerate((0.5, 2.0, 8.0))}
        np.savez(path, stimulus_ids=np.array([f"s{i:03d}" for i in range(n_stimuli)]), **layers)
    return path


def setup(workdir: Path, small: bool) -> dict[str, Any]:
    from neuroalign.models import PrecomputedAdapter

    n_stimuli = SMALL_STIMULI if small else N_STIMULI
    models = [PrecomputedAdapter(_features(workdir, name, units, n_stimuli), model_id=name) for name, units in
              (SMALL_UNITS if small else MODEL_UNITS).items()]
    n_boot = SMALL_BOOTSTRAP if small else 1000
    benches = [ScalingRsa(bench_id, n, n_boot, n_stimuli) for bench_id, n in BENCH_SUBJECTS.items()]
    return {"models": models, "benches": benches, "small": small}


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


_CLUSTER: list[Any] = []


def _running_cluster() -> Any:
    """The process's warmed 2-worker cluster, started on first use and closed at exit (``--small`` runs every
    side in one process: they share it)."""
    if not _CLUSTER:
        import atexit

        _CLUSTER.append(_started_cluster())
        atexit.register(_CLUSTER[0].close)
    return _CLUSTER[0]


def ours(d: dict[str, Any]) -> np.ndarray:
    """The grid on a running 2-worker cluster (started on the first call, untimed in the best-of-2)."""
    return _grid(d, _running_cluster())


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


def profile(d: dict[str, Any]) -> np.ndarray:
    """One round of the profile (serial, two plain processes, the cluster, in turn; a round per repeat): the
    rounds so far, as JSON text (see :mod:`cases._grid_profile`)."""
    from cases import _grid_profile as gp

    rounds = d.setdefault("profile_rounds", [])
    measured: dict[str, Any] = {}
    with gp.Profiled(_OneThreadSerial()) as serial:
        measured["serial"] = gp.task_summary(serial.tasks, _timed(lambda: _grid(d, serial)))
    if not d["small"]:  # two more processes to start: not in the smoke run
        with gp.PoolExecutor(2) as pool:
            list(pool.map_unordered(_warm, [0, 1]))  # started and warmed before the grid is timed
            profiled = gp.Profiled(pool)
            measured["two_processes"] = gp.task_summary(profiled.tasks, _timed(lambda: _grid(d, profiled)))
    profiled = gp.Profiled(_running_cluster())
    dask = gp.cluster_profile(_running_cluster().client, lambda: _grid(d, profiled))
    measured["cluster"] = {**gp.task_summary(profiled.tasks, dask.pop("wall_s")), **dask}
    measured["client_threads"] = gp.threads_here()
    rounds.append(gp.rounded(measured))
    return np.array(json.dumps(rounds))


class _OneThreadSerial:
    """The serial executor with one BLAS and torch thread (as each worker has)."""

    ships = False

    def map_unordered(self, fn: Any, items: Any, **options: Any) -> Any:
        import torch
        from threadpoolctl import threadpool_limits

        from neuroalign.distributed.executors import SerialExecutor

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            with threadpool_limits(1):
                yield from SerialExecutor().map_unordered(fn, items, **options)
        finally:
            torch.set_num_threads(threads)

    def __enter__(self) -> "_OneThreadSerial":
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


def _warm(_: int) -> None:
    __import__("neuroalign.benchmarks.scoring")


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


SIDES = {"ours": ours, "reference": reference, "serial_default_threads": serial_default_threads,
         "cluster_startup": cluster_startup, "profile": profile}
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
            "target_speedup": TARGET_SPEEDUP, "target_met": bool(speedup >= TARGET_SPEEDUP and identical),
            **_profile_summary(json.loads(str(outputs["profile"]))), "loadavg": [round(v, 2) for v in os.getloadavg()]}


def _profile_summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The profile's rounds, and per variant the ratios to the serial run of each round's best (least CPU)."""
    variants = [v for v in ("serial", "two_processes", "cluster") if v in rounds[0]]
    best = {variant: min((r[variant] for r in rounds), key=lambda m: m["task_thread_cpu_s"]) for variant in variants}
    ratios = {f"{variant}_vs_serial": {
        "task_wall": round(best[variant]["task_wall_s"] / best["serial"]["task_wall_s"], 3),
        "task_thread_cpu": round(best[variant]["task_thread_cpu_s"] / best["serial"]["task_thread_cpu_s"], 3)}
        for variant in variants[1:]}
    return {"profile_ratios": ratios, "profile_best": best, "profile_rounds": rounds,
            "profile_note": "profile_s is not a timing: the profile side runs its own grids (serial, two plain "
                            "processes, the cluster) once per repeat"}
