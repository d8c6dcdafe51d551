"""Run one RDM computation in a fresh process and print its measured peak memory next to the preflight's estimate.

Usage: ``python memory_probe.py '{"runs": 1, "n": 3000, "p": 300, "times": 4, "distance": "correlation"}'``.
The peak is the resident set's high-water mark (``VmHWM``, reset through ``/proc/self/clear_refs``) minus the
resident set just before the call, so the input patterns and the imported libraries are not counted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def main(config: dict) -> dict:
    from neuroalign import Recording
    from neuroalign.rdm import compute_rdms
    from neuroalign.rdm.api import _group_shape, _groups
    from neuroalign.rdm.backend import resolve_backend
    from neuroalign.rdm.catalog import resolve_distance
    from neuroalign.rdm.inputs import build_items
    from neuroalign.rdm.preflight import estimate_memory

    runs, n, p, times = config["runs"], config["n"], config["p"], config["times"]
    distance, dtype = config["distance"], getattr(torch, config.get("dtype", "float64"))
    dims = ("run", "stimulus", "channel", "time")
    rng = np.random.default_rng(0)
    data = np.abs(rng.standard_normal((runs, n, p, times)))
    if config.get("missing"):
        data[-1, : n // 2] = np.nan  # half the stimuli lack their last run
    recording = Recording(data, [f"s{k}" for k in range(n)], dims=dims)
    del data
    # warm every code path on a tiny input, so that lazy imports and library buffers are not counted
    compute_rdms(Recording(np.abs(rng.standard_normal((runs, 5, 4, 2))), list("abcde"), dims=dims), distance,
                 dtype=dtype)
    items, _ = build_items(recording, None, None)
    estimate = estimate_memory([_group_shape([items[k] for k in g]) for g in _groups(items)],
                               resolve_distance(distance), resolve_backend(None, dtype), None)
    del items
    before = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark to the current resident set
    compute_rdms(recording, distance, dtype=dtype)
    return {"measured": _status("VmHWM") - before, "estimated": estimate.host_peak}


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
