"""Run performance cases side by side with their reference implementations.

Usage::

    python perf/run.py [CASE ...] [--small] [--workdir DIR]

Every case (a module in ``perf/cases/``) names its sides (``ours``, ``reference`` and optional extras such as a
bare GEMM). Each side runs in its own fresh Python process so that timings and peak memory do not leak between
them: the case's ``setup`` builds the inputs (not timed), the peak-RSS counter is reset, the side is timed, and
its peak resident memory is read from ``/proc``. One JSON object per case is printed per line, with ``case``,
``ours_s``, ``reference_s``, ``speedup`` (reference / ours), ``ours_peak_mb``, ``reference_peak_mb`` (memory the
timed call added above what the process held after setup) and ``*_rss_peak_mb`` (the whole process's peak),
plus the case's own fields (agreement between sides, ratios, whether the target is met). A case that lists sides
in ``TRACE_ARRAYS`` also gets ``<side>_traced_peak_mb`` for them: the peak of the memory allocated through Python
(NumPy reports every array to ``tracemalloc``) during the timed call, which, unlike the RSS, does not count pages
a library touches once per process (scipy's own OpenBLAS buffers) or memory the allocator keeps after a free; its
``summarize`` then takes these peaks as a fourth argument.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root, so an uninstalled checkout works too
sys.path.insert(0, str(HERE))  # makes perf/cases importable as the package ``cases``


def _case_names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(HERE / "cases")]) if not m.name.startswith("_"))


def _load(name: str):
    return importlib.import_module(f"cases.{name}")


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _reset_peak() -> None:
    # Writing 5 to clear_refs resets the process's peak RSS (VmHWM) to its current RSS (Linux >= 4.0).
    Path("/proc/self/clear_refs").write_text("5")


def run_side(name: str, side: str, workdir: Path, small: bool, result_path: Path) -> dict:
    """Run one side of one case in this process and return its measurements."""
    case = _load(name)
    data = case.setup(workdir, small)
    fn = case.SIDES[side]
    # --small is a smoke test (its timings mean nothing): every side runs once
    repeats = 1 if small else getattr(case, "REPEATS", 1)
    best = float("inf")
    out = None
    import gc

    gc.collect()
    traced = side in getattr(case, "TRACE_ARRAYS", ())
    if traced:
        tracemalloc.start()
    before_kb = _status_kb("VmRSS")
    _reset_peak()
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn(data)
        best = min(best, time.perf_counter() - start)
    peak_kb = _status_kb("VmHWM")
    measured = {"seconds": best, "peak_mb": max(0, peak_kb - before_kb) / 1024, "rss_peak_mb": peak_kb / 1024}
    if traced:
        measured["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    if out is not None:
        np.save(result_path, np.asarray(out))
    return measured


def run_case(name: str, workdir: Path, small: bool) -> dict:
    """Run every side of a case, each in a fresh subprocess, and summarise.

    With ``small`` (a smoke test whose timings mean nothing) one fresh subprocess runs every side of the case in
    turn: most of a side's process is its start (importing torch and neuroalign), paid once per case instead.
    """
    case = _load(name)
    seconds, peaks, rss, traced, outputs = {}, {}, {}, {}, {}
    with tempfile.TemporaryDirectory(prefix=f"perf-{name}-") as tmp:
        batches = [list(case.SIDES)] if small else [[side] for side in case.SIDES]
        for sides in batches:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--_side", name, *sides, "--workdir", str(workdir),
                   "--_result", tmp] + (["--small"] if small else [])
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"case {name}, side(s) {', '.join(sides)} failed:\n{proc.stderr[-4000:]}")
            for side, measured in json.loads(proc.stdout.strip().splitlines()[-1]).items():
                seconds[side], peaks[side], rss[side] = (measured["seconds"], measured["peak_mb"],
                                                         measured["rss_peak_mb"])
                if "traced_peak_mb" in measured:
                    traced[side] = measured["traced_peak_mb"]
                result_path = Path(tmp) / f"{side}.npy"
                outputs[side] = np.load(result_path) if result_path.exists() else None
    record = {
        "case": name,
        "ours_s": round(seconds["ours"], 4),
        "reference_s": round(seconds["reference"], 4),
        "speedup": round(seconds["reference"] / seconds["ours"], 2),
        "ours_peak_mb": round(peaks["ours"], 1),
        "reference_peak_mb": round(peaks["reference"], 1),
        "ours_rss_peak_mb": round(rss["ours"], 1),
        "reference_rss_peak_mb": round(rss["reference"], 1),
    }
    for side in case.SIDES:
        if side not in ("ours", "reference"):
            record[f"{side}_s"] = round(seconds[side], 4)
    record.update({f"{side}_traced_peak_mb": round(mb, 1) for side, mb in traced.items()})
    if hasattr(case, "summarize"):
        record.update(case.summarize(outputs, seconds, peaks, *([traced] if traced else [])))
    if small:
        record["small"] = True
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (all when none)")
    parser.add_argument("--small", action="store_true", help="tiny inputs, for a smoke test of the harness")
    parser.add_argument("--workdir", type=Path, default=HERE / "_work", help="where cases keep generated files")
    parser.add_argument("--_side", nargs="+", help=argparse.SUPPRESS)  # CASE SIDE [SIDE ...]
    parser.add_argument("--_result", type=Path, help=argparse.SUPPRESS)  # folder of the sides' SIDE.npy
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args._side:
        name, *sides = args._side
        print(json.dumps({side: run_side(name, side, args.workdir, args.small, args._result / f"{side}.npy")
                          for side in sides}))
        return 0
    names = args.cases or _case_names()
    unknown = sorted(set(names) - set(_case_names()))
    if unknown:
        parser.error(f"unknown case(s) {unknown}; available: {_case_names()}")
    for name in names:
        print(json.dumps(run_case(name, args.workdir, args.small)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
