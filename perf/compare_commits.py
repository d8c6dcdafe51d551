"""Before/after numbers of the perf cases between two commits: the same call, the same inputs, two checkouts.

Usage::

    python perf/compare_commits.py OLD NEW [CASE ...] [--small CASE ...] [--rounds 2] [--json PATH] [--md PATH]

``OLD`` and ``NEW`` are commits (a detached ``git worktree`` is added at ``/tmp/na_<commit>`` when none is there)
or paths of checkouts. For every case present in both (or the cases named), the ``ours`` side runs in a fresh
process per commit, with that checkout first on ``sys.path`` and in ``PYTHONPATH`` (so Dask workers and CLI
subprocesses import it too), from the case's own ``setup`` with its own seed; the side's output is saved as
``.npy``. Runs alternate old/new, new/old, ... (``--rounds``; each run takes the best of the case's ``REPEATS``),
and each time is the best over the rounds. Reported per case: the largest absolute difference between the old and
the new output (0 when the code computes the same numbers), old and new seconds (wall and CPU, the CPU time of the
process and of the children it waited for), ``new / old``, and the 1-minute load average when each run started.

A case module that differs between the commits (its API spelling changed, say ``method=`` -> ``comparator=``) runs
as each commit's own module. When their outputs then differ, the old module also runs against the new code
(``same_call``): its difference to the old run says whether the code or the case's call changed the numbers.
``rdm_streaming_hdf5`` runs at its small size unless named with ``--full`` (at full size it writes an 8 GB file).
No test runs this tool: one case between two checkouts takes two fresh processes (~35 s on the loaded 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
#: Cases run at their ``--small`` size unless named with ``--full``, and why.
SMALL_BY_DEFAULT = {"rdm_streaming_hdf5": "its full size writes and streams an 8 GB HDF5 file"}


def checkout(spec: str) -> Path:
    """The checkout a command-line argument names: an existing folder, or a commit (a worktree under /tmp)."""
    if Path(spec).is_dir():
        return Path(spec).resolve()
    sha = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--verify", f"{spec}^{{commit}}"], check=True,
                         capture_output=True, text=True).stdout.strip()
    path = Path(tempfile.gettempdir()) / f"na_{sha[:7]}"
    if not (path / "neuroalign").is_dir():
        subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", str(path), sha], check=True,
                       capture_output=True)
    return path


def case_names(root: Path) -> set[str]:
    return {p.stem for p in (root / "perf" / "cases").glob("*.py") if not p.stem.startswith("_")}


def run_side(name: str, cases_root: Path, code_root: Path, workdir: Path, small: bool, result: Path) -> dict:
    """Run the ``ours`` side of one case in this process (the child): ``cases_root``'s module on ``code_root``'s
    neuroalign."""
    sys.path[:0] = [str(code_root), str(cases_root / "perf")]
    import importlib

    import neuroalign

    where = Path(neuroalign.__file__).resolve()
    if code_root not in where.parents:
        raise RuntimeError(f"imported {where}, not the checkout {code_root}")
    case = importlib.import_module(f"cases.{name}")
    data = case.setup(workdir, small)
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(getattr(case, "REPEATS", 1)):
        cpu0 = _cpu_s()
        start = time.perf_counter()
        out = case.SIDES["ours"](data)
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, _cpu_s() - cpu0)
    if out is not None:
        np.save(result, np.asarray(out))
    return {"seconds": best_wall, "cpu_s": best_cpu, "neuroalign": str(where.parent)}


def _cpu_s() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _spawn(name: str, cases_root: Path, code_root: Path, workdir: Path, small: bool, result: Path) -> dict:
    """One side in a fresh process; its measurements and the load average when it started."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code_root), str(cases_root / "perf")])}
    load = os.getloadavg()[0]
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_side", name, str(cases_root), str(code_root),
           str(workdir), str(result)] + (["--_small"] if small else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        return {"error": proc.stderr[-3000:], "load": load}
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "load": load}


def max_abs_diff(a: Path, b: Path) -> float | str:
    """The largest absolute difference between two saved outputs (NaN where both are NaN counts as equal)."""
    if not (a.exists() and b.exists()):
        return "no output"
    x, y = np.load(a), np.load(b)
    if x.shape != y.shape:
        return f"shapes differ: {x.shape} vs {y.shape}"
    if not (np.issubdtype(x.dtype, np.number) and np.issubdtype(y.dtype, np.number)):
        return 0.0 if np.array_equal(x, y) else "differ"
    both_nan = np.isnan(x) & np.isnan(y) if np.issubdtype(x.dtype, np.floating) else np.zeros(x.shape, bool)
    if (np.isnan(x) != np.isnan(y)).any():
        return "NaN in one output only"
    return float(np.abs(np.where(both_nan, 0, x.astype(np.float64) - y.astype(np.float64))).max(initial=0.0))


def compare_case(name: str, old: Path, new: Path, small: bool, rounds: int, outputs: Path, workdir: Path) -> dict:
    """Interleaved runs of one case's ``ours`` side on both checkouts; see the module docstring."""
    same_module = ((old / "perf/cases" / f"{name}.py").read_bytes() == (new / "perf/cases" / f"{name}.py").read_bytes())
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    paths = {side: outputs / f"{name}.{side}.npy" for side in ("old", "new", "same_call")}
    for r in range(rounds):
        for side in (("old", "new") if r % 2 == 0 else ("new", "old")):
            root = old if side == "old" else new
            runs[side].append(_spawn(name, root, root, workdir / side, small, paths[side]))
    record: dict[str, Any] = {"case": name, "small": small, "case_module": "same" if same_module else "each its own"}
    errors = {side: run["error"] for side in runs for run in runs[side] if "error" in run}
    if errors:
        return {**record, "errors": errors}
    record["max_abs_diff"] = max_abs_diff(paths["old"], paths["new"])
    if not same_module and record["max_abs_diff"] != 0.0:
        cross = _spawn(name, old, new, workdir / "new", small, paths["same_call"])
        record["same_call_max_abs_diff"] = cross.get("error") or max_abs_diff(paths["old"], paths["same_call"])
    for side in ("old", "new"):
        record[f"{side}_s"] = round(min(run["seconds"] for run in runs[side]), 4)
        record[f"{side}_cpu_s"] = round(min(run["cpu_s"] for run in runs[side]), 4)
        record[f"{side}_neuroalign"] = runs[side][0]["neuroalign"]
    record["new_over_old"] = round(record["new_s"] / record["old_s"], 3) if record["old_s"] > 0 else None
    record["cpu_new_over_old"] = round(record["new_cpu_s"] / record["old_cpu_s"], 3) if record["old_cpu_s"] else None
    record["load"] = [round(run["load"], 2) for pair in zip(runs["old"], runs["new"]) for run in pair]
    record["outputs"] = {side: str(p) for side, p in paths.items() if p.exists()}
    return record


def markdown(records: list[dict], old_label: str, new_label: str) -> str:
    """The before/after table."""
    lines = [f"| case | size | case module | max abs diff old vs new | {old_label} s | {new_label} s | new/old | "
             "CPU s old / new | load (1 min) at each run |", "|---|---|---|---|---|---|---|---|---|"]
    for r in records:
        if "errors" in r:
            lines.append(f"| `{r['case']}` | {'small' if r['small'] else 'full'} | {r['case_module']} | failed: "
                         f"{'; '.join(e.strip().splitlines()[-1] for e in r['errors'].values())} | | | | | |")
            continue
        diff = r["max_abs_diff"] if isinstance(r["max_abs_diff"], str) else f"{r['max_abs_diff']:.3g}"
        if "same_call_max_abs_diff" in r:
            same = r["same_call_max_abs_diff"]
            diff += f" (same call: {same if isinstance(same, str) else f'{same:.3g}'})"
        lines.append(f"| `{r['case']}` | {'small' if r['small'] else 'full'} | {r['case_module']} | {diff} | "
                     f"{r['old_s']:.4g} | {r['new_s']:.4g} | {r['new_over_old']:.3g} | "
                     f"{r['old_cpu_s']:.3g} / {r['new_cpu_s']:.3g} | {', '.join(f'{x:g}' for x in r['load'])} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", nargs="?")
    parser.add_argument("new", nargs="?")
    parser.add_argument("cases", nargs="*", help="case names (default: every case present in both commits)")
    parser.add_argument("--small", nargs="*", default=[], metavar="CASE", help="run these cases at --small size")
    parser.add_argument("--all-small", action="store_true", help="every case at --small size")
    parser.add_argument("--full", nargs="*", default=[], metavar="CASE", help=f"full size even for {SMALL_BY_DEFAULT}")
    parser.add_argument("--rounds", type=int, default=2, help="runs per commit, alternating (default 2)")
    parser.add_argument("--json", type=Path, help="write the records here (a JSON list)")
    parser.add_argument("--md", type=Path, help="write the markdown table here")
    parser.add_argument("--outputs", type=Path, default=Path(tempfile.gettempdir()) / "na_compare_outputs")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "na_compare_work")
    parser.add_argument("--_side", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--_small", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._side:
        name, cases_root, code_root, workdir, result = args._side
        Path(workdir).mkdir(parents=True, exist_ok=True)
        print(json.dumps(run_side(name, Path(cases_root), Path(code_root), Path(workdir), args._small,
                                  Path(result))))
        return 0
    if args.old is None or args.new is None:
        parser.error("give the two commits (or checkouts) to compare")
    old, new = checkout(args.old), checkout(args.new)
    names = args.cases or sorted(case_names(old) & case_names(new))
    args.outputs.mkdir(parents=True, exist_ok=True)
    records = []
    for name in names:
        small = args.all_small or name in args.small or (name in SMALL_BY_DEFAULT and name not in args.full)
        record = compare_case(name, old, new, small, args.rounds, args.outputs, args.workdir)
        print(json.dumps(record), flush=True)
        records.append(record)
    if args.json:
        args.json.write_text(json.dumps(records, indent=1) + "\n")
    if args.md:
        args.md.write_text(markdown(records, args.old, args.new))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
