"""The GPU plan (issue 20, item 7): run the heavy perf cases on a CUDA device against the CPU path and the reference.

Usage::

    python perf/gpu.py [--device cuda] [--small] [--budget-s 420] [CASE ...]     (or: perf/gpu.sh)

For each case (correlation and crossnobis RDMs, the pattern bootstrap, linear CKA, ridge predictivity, extraction
of a ViT) it builds the case's inputs with the case's own ``setup`` (``perf/cases/``), then times three sides in
this process: ``reference`` (rsatoolbox, scikit-learn, plain transformers: the case's own reference, once),
``cpu`` (ours on the CPU default path, the case's ``ours``, best of 2) and ``device`` (ours on ``--device``, one
warm-up call then the best of 3, synchronised). It checks that the device's numbers agree with the CPU path's
(and the reference's) within each case's tolerance, and prints one JSON line per case, then a table.

``--device cpu --small --repeats 1 --budget-s 0`` is the dry run the test suite runs (every case, small inputs,
one call per side, references skipped: their agreement at small size is checked by ``perf/run.py --small``). On one H100 the
full run is sized to finish within 8 minutes: the references run once, and when ``--budget-s`` is spent the
remaining references are skipped (the table says so) so the device and CPU sides still run. Exit status 1 when any
case disagrees.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root, so an uninstalled checkout works too
sys.path.insert(0, str(HERE))  # perf/cases as the package ``cases``


def _rdm_correlation(data: dict, device: Any) -> np.ndarray:
    from neuroalign.rdm import compute_rdms

    return compute_rdms(data["patterns"], "correlation", stimulus_ids=data["ids"], device=device).dissimilarities[0]


def _rdm_crossnobis(data: dict, device: Any) -> np.ndarray:
    from neuroalign.rdm import compute_rdms

    return compute_rdms(data["recording"], "crossnobis", normalize=True, device=device).dissimilarities[0]


def _bootstrap(d: dict, device: Any) -> np.ndarray:
    from neuroalign.stats.bootstrap import bootstrap_rdm_comparison

    result = bootstrap_rdm_comparison(d["models"], d["data"], "spearman", n_bootstrap=d["n_boot"], seed=0,
                                      noise_ceiling=True, batch_size=100, device=device, progress=False)
    return np.hstack([result.samples, result.ceiling_samples])


def _cka(data: dict, device: Any) -> float:
    import torch

    from neuroalign.backend import resolve_device
    from neuroalign.metrics.cka import linear_cka

    where = resolve_device(device)
    return float(linear_cka(torch.from_numpy(data["x"]).to(where), torch.from_numpy(data["y"]).to(where)))


def _ridge(data: dict, device: Any) -> np.ndarray:
    from cases.predictivity_ridge_800x1000_to_5000 import ALPHAS, N_FOLDS

    from neuroalign.backend import resolve_device
    from neuroalign.metrics.predictivity import ridge_predictivity

    backend = "torch_cuda" if resolve_device(device).type == "cuda" else "torch"
    return ridge_predictivity(data["x"], data["y"], alphas=ALPHAS, n_folds=N_FOLDS, backend=backend).per_target


def _extract(data: dict, device: Any) -> np.ndarray:
    from cases.extract_hf_vit_tiny import LAYERS

    import neuroalign

    cache = data["cache"] / f"device{next(data['runs'])}"  # every call extracts; none is a cache hit
    acts = neuroalign.extract(f"hf:{data['model']}", data["folder"], data["out"], layers=list(LAYERS),
                              batch_size=data["batch"], device=device, cache=cache, progress=False)
    return np.concatenate([acts.layer(layer) for layer in LAYERS], axis=1)


@dataclass(frozen=True)
class GpuCase:
    """A perf case and how ours runs on a device; ``rtol``/``atol``: the agreement asked of the device's output
    (float64 engines agree to rounding; extraction runs the network in float32 with cuDNN's kernels)."""

    module: str
    on_device: Callable[[dict, Any], Any]
    rtol: float = 1e-9
    atol: float = 1e-10


CASES = {
    "rdm_correlation": GpuCase("rdm_correlation_1000x10000", _rdm_correlation),
    "rdm_crossnobis": GpuCase("rdm_crossnobis_1000x10000x2runs", _rdm_crossnobis),
    "bootstrap": GpuCase("bootstrap_pattern_spearman_1000", _bootstrap),
    "cka": GpuCase("cka_linear_10000x4096_vs_10000x2048", _cka),
    "ridge": GpuCase("predictivity_ridge_800x1000_to_5000", _ridge, rtol=1e-4, atol=1e-6),
    "extraction": GpuCase("extract_hf_vit_tiny", _extract, rtol=1e-3, atol=1e-4),
}


def _synchronize(device: Any) -> None:
    if device is not None and str(device).startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def _best(fn: Callable[[], Any], repeats: int, device: Any = None) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeats):
        _synchronize(device)
        start = time.perf_counter()
        out = fn()
        _synchronize(device)
        best = min(best, time.perf_counter() - start)
    return best, out


def _diff(a: Any, b: Any) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b))) if a.shape == b.shape else float("inf")


def run_case(name: str, device: str, workdir: Path, small: bool, with_reference: bool, repeats: int = 3
             ) -> dict[str, Any]:
    """Time one case's three sides and check the device's agreement; returns its JSON record.

    ``repeats``: the device side's timed calls after one warm-up (1: no warm-up, for the dry run); the CPU side
    runs ``min(repeats, 2)`` times, the reference once.
    """
    spec = CASES[name]
    case = importlib.import_module(f"cases.{spec.module}")
    data = case.setup(workdir, small)
    if repeats > 1:
        spec.on_device(data, device)  # warm-up: CUDA context, kernels, cuBLAS handles, allocator
    device_s, mine = _best(lambda: spec.on_device(data, device), repeats, device)
    cpu_s, cpu = _best(lambda: case.SIDES["ours"](data), min(repeats, 2))
    record: dict[str, Any] = {"case": name, "device": device, "device_s": round(device_s, 4),
                              "cpu_s": round(cpu_s, 4), "cpu_over_device": round(cpu_s / device_s, 2),
                              "max_abs_diff_cpu": _diff(mine, cpu)}
    agree = bool(np.allclose(np.asarray(mine, dtype=float), np.asarray(cpu, dtype=float), rtol=spec.rtol,
                             atol=spec.atol))
    if with_reference:
        ref_s, ref = _best(lambda: case.SIDES["reference"](data), 1)
        record.update(reference_s=round(ref_s, 4), reference_over_device=round(ref_s / device_s, 2),
                      max_abs_diff_reference=_diff(mine, ref))
    else:
        record["reference_s"] = "skipped (time budget)"
    record["agree"] = agree
    if small:
        record["small"] = True
    return record


def format_table(records: list[dict[str, Any]]) -> str:
    """The records as an aligned text table."""
    header = ("case", "reference_s", "cpu_s", "device_s", "cpu/device", "ref/device", "max|dev-cpu|", "agree")
    rows = [header] + [(r["case"], str(r["reference_s"]), str(r["cpu_s"]), str(r["device_s"]),
                        str(r["cpu_over_device"]), str(r.get("reference_over_device", "-")),
                        f"{r['max_abs_diff_cpu']:.2e}", "yes" if r["agree"] else "NO") for r in records]
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", choices=[[], *CASES], metavar="CASE",
                        help=f"cases to run (all when none): {', '.join(CASES)}")
    parser.add_argument("--device", default="cuda", help="where ours runs: 'cuda', 'cuda:1', or 'cpu' (dry run)")
    parser.add_argument("--small", action="store_true", help="tiny inputs (the dry run; its timings mean nothing)")
    parser.add_argument("--budget-s", type=float, default=420.0,
                        help="after this many seconds, skip the remaining references (default 420)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed device calls after one warm-up (default 3; 1 = no warm-up, for the dry run)")
    parser.add_argument("--workdir", type=Path, default=HERE / "_work", help="where cases keep generated files")
    args = parser.parse_args(argv)
    from neuroalign.backend import resolve_device

    resolve_device(args.device)  # a CUDA device that is not there fails now, not in the first case
    args.workdir.mkdir(parents=True, exist_ok=True)
    started, records = time.perf_counter(), []
    for name in args.cases or list(CASES):
        within = time.perf_counter() - started < args.budget_s
        records.append(run_case(name, args.device, args.workdir, args.small, with_reference=within,
                                repeats=args.repeats))
        print(json.dumps(records[-1]), flush=True)
    print(format_table(records))
    print(f"total {time.perf_counter() - started:.1f} s on {args.device}")
    return 0 if all(r["agree"] for r in records) else 1


if __name__ == "__main__":
    raise SystemExit(main())
