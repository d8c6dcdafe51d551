"""Voxel-wise encoding, 2000 stimuli x 2048 features -> 50,000 voxels, 5 grouped outer folds (10 runs), 10 alphas.

ours: :func:`neuroalign.encoding.fit_encoding` (float32, exact leave-one-out penalties per voxel, one Gram
eigendecomposition per fold, targets in chunks of 4096). reference: scikit-learn's
``RidgeCV(alphas=..., alpha_per_target=True)`` on the same folds and the same float32 arrays, scored the same
way (held-out Pearson r per voxel, averaged over folds). Both choose penalties by exact leave-one-out, so they
agree to float32 rounding. Figures: ``speedup`` (reference / ours seconds) and ``ours_peak_mb`` against
``budget_mb`` = features + targets + one fold's decomposition (a 1600 x 1600 eigenbasis), the memory target.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import himalaya.backend  # noqa: F401  (imported here so that neither side's timing includes an import)
import numpy as np

from cases._ridge_common import ridgecv_heldout_r
from neuroalign.encoding import fit_encoding
from neuroalign.metrics.folds import group_kfold_splits

NAME = "encoding_voxelwise_2000stim_x_2048feat_to_50000vox"
ALPHAS = np.logspace(-1, 8, 10)
N_FOLDS, N_RUNS = 5, 10


def setup(workdir: Path, small: bool) -> dict[str, Any]:
    n, d, t = (100, 64, 200) if small else (2000, 2048, 50000)
    rng = np.random.default_rng(2000)
    x = rng.standard_normal((n, d), dtype=np.float32)
    weights = rng.standard_normal((32, t), dtype=np.float32) * rng.uniform(0.01, 0.3, t).astype(np.float32)
    y = x[:, :32] @ weights
    y += rng.standard_normal((n, t), dtype=np.float32)
    return {"x": x, "y": y, "runs": np.repeat(np.arange(N_RUNS), n // N_RUNS)}


def ours(data: dict[str, Any]) -> np.ndarray:
    return fit_encoding(data["x"], data["y"], groups=data["runs"], n_folds=N_FOLDS, alphas=ALPHAS, inner="loo",
                        dtype="float32").r


def reference(data: dict[str, Any]) -> np.ndarray:
    return ridgecv_heldout_r(data["x"], data["y"], group_kfold_splits(data["runs"], N_FOLDS), ALPHAS)


SIDES = {"ours": ours, "reference": reference}


def summarize(outputs: dict[str, Any], seconds: dict[str, float], peaks_mb: dict[str, float]) -> dict[str, Any]:
    n, d, t = (100, 64, 200) if len(outputs["ours"]) == 200 else (2000, 2048, 50000)
    n_train = n * (N_FOLDS - 1) // N_FOLDS
    budget_mb = (n * d + n * t + n_train * n_train) * 4 / 2**20
    diff = np.abs(outputs["ours"] - outputs["reference"])
    speedup = seconds["reference"] / seconds["ours"]
    return {"budget_mb": round(budget_mb, 1), "memory_target_met": bool(peaks_mb["ours"] < budget_mb),
            "speedup_vs_sklearn": round(speedup, 3), "mean_r_ours": round(float(outputs["ours"].mean()), 4),
            "mean_r_reference": round(float(outputs["reference"].mean()), 4),
            "median_abs_diff_r": float(np.median(diff)), "max_abs_diff_r": float(diff.max())}
