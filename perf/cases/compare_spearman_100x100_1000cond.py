"""Spearman, 100 x 100 RDMs of 1000 conditions (499,500 pairs each): neuroalign vs rsatoolbox.

rsatoolbox ranks each RDM with ``apply_along_axis(rankdata)`` and multiplies with an unoptimised einsum;
neuroalign ranks each row once (one argsort) and ends in one product, which for operands this size runs in
torch (MKL) on the CPU. Library imports (rsatoolbox, neuroalign, torch) happen outside the timed call for both
sides. Target: 4x.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch  # noqa: F401  (imported here so that neither side's timing includes an import)
from rsatoolbox.rdm.compare import compare as rsatoolbox_compare

from neuroalign.compare import compare

NAME = "compare_spearman_100x100_1000cond"
TARGET_SPEEDUP = 4.0


def setup(workdir: Path, small: bool) -> dict[str, np.ndarray]:
    n_rdms, n_cond = (10, 100) if small else (100, 1000)
    rng = np.random.default_rng(1000)
    n_pairs = n_cond * (n_cond - 1) // 2
    a = rng.random((n_rdms, n_pairs))
    b = rng.random((n_rdms, n_pairs))
    b[: n_rdms // 4] = np.round(b[: n_rdms // 4] * 20)  # a quarter of model RDMs with heavy ties
    return {"a": a, "b": b}


def ours(data: dict[str, np.ndarray]) -> np.ndarray:
    return compare(data["a"], data["b"], "spearman")


def reference(data: dict[str, np.ndarray]) -> np.ndarray:
    return rsatoolbox_compare(data["a"], data["b"], method="spearman")


SIDES = {"ours": ours, "reference": reference}


def summarize(outputs: dict[str, Any], seconds: dict[str, float], peaks_mb: dict[str, float]) -> dict[str, Any]:
    diff = float(np.abs(outputs["ours"] - outputs["reference"]).max())
    speedup = seconds["reference"] / seconds["ours"]
    return {"max_abs_diff": diff, "agree": diff < 1e-10, "target_speedup": TARGET_SPEEDUP,
            "target_met": bool(speedup >= TARGET_SPEEDUP and diff < 1e-10)}
