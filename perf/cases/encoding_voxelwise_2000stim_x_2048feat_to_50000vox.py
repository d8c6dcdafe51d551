"""Voxel-wise encoding, 2000 stimuli x 2048 features -> 50,000 voxels, 5 grouped outer folds (10 runs), 10 alphas.

Three sides, each in its own process (``perf/run.py``):

- ``ours``: :func:`neuroalign.encoding.fit_encoding` on all 50,000 voxels (float32, exact leave-one-out penalty
  per voxel, one Gram eigendecomposition per fold, targets in chunks): the full run's seconds and peak memory.
- ``reference``: scikit-learn's ``RidgeCV(alphas=..., alpha_per_target=True)`` on the same folds and the same
  float32 arrays, scored the same way (held-out Pearson r per voxel, averaged over folds), on a FIXED SUBSET of
  the voxels: every 10th (:data:`SUBSET`, 5000 voxels). On all 50,000 it did not finish in 25 minutes at load 11;
  its cost is linear in voxels beyond one eigendecomposition per fold, as ours is.
- ``ours_subset``: ours on the same 5000 voxels, so the ratio is like for like in the same run.

Both choose penalties by exact leave-one-out error, so they agree to float32 rounding (the agreement fields
compare ``ours_subset`` with ``reference`` and ``ours`` restricted to the subset with ``ours_subset``).
Figures: ``speedup_vs_sklearn`` (= ``speedup``, overriding the harness's full-versus-subset ratio) = reference /
ours_subset seconds; ``ours_full_s``; ``extrapolated_full_ratio`` = reference seconds x 10 / ours full seconds (the
subset ratio carried to all voxels: an estimate, not a measurement). Memory, in MiB: ``budget_mb`` = features +
targets + one fold's decomposition (a 1600 x 1600 float32 eigenbasis), the issue's target; ``ours_held_mb`` =
inputs + ``ours_peak_mb`` (what the full fit added above the inputs); ``memory_target_met`` = held < budget, the
issue's words taken literally; ``working_set_eigenbases`` = ``ours_peak_mb`` in units of that eigenbasis (the
eigendecomposition alone needs the Gram matrix, its eigenvectors and LAPACK's 2 n^2 workspace, about 4).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import himalaya.backend  # noqa: F401  (imported here so that neither side's timing includes an import)
import numpy as np
import threadpoolctl  # noqa: F401  (likewise: the solver limits BLAS threads around its eigendecomposition)

from cases._ridge_common import ridgecv_heldout_r
from neuroalign.encoding import fit_encoding
from neuroalign.metrics.folds import group_kfold_splits

NAME = "encoding_voxelwise_2000stim_x_2048feat_to_50000vox"
ALPHAS = np.logspace(-1, 8, 10)
N_FOLDS, N_RUNS = 5, 10
#: The voxels scikit-learn fits (and ``ours_subset`` with it): every 10th.
SUBSET = slice(None, None, 10)
SIZES = {"small": (100, 64, 200), "full": (2000, 2048, 50000)}


def setup(workdir: Path, small: bool) -> dict[str, Any]:
    n, d, t = SIZES["small" if small else "full"]
    rng = np.random.default_rng(2000)
    x = rng.standard_normal((n, d), dtype=np.float32)
    weights = rng.standard_normal((32, t), dtype=np.float32) * rng.uniform(0.01, 0.3, t).astype(np.float32)
    y = x[:, :32] @ weights
    y += rng.standard_normal((n, t), dtype=np.float32)
    return {"x": x, "y": y, "runs": np.repeat(np.arange(N_RUNS), n // N_RUNS)}


def _ours(x: np.ndarray, y: np.ndarray, runs: np.ndarray) -> np.ndarray:
    return fit_encoding(x, y, groups=runs, n_folds=N_FOLDS, alphas=ALPHAS, inner="loo", dtype="float32").r


def ours(data: dict[str, Any]) -> np.ndarray:
    return _ours(data["x"], data["y"], data["runs"])


def ours_subset(data: dict[str, Any]) -> np.ndarray:
    return _ours(data["x"], np.ascontiguousarray(data["y"][:, SUBSET]), data["runs"])


def reference(data: dict[str, Any]) -> np.ndarray:
    y = np.ascontiguousarray(data["y"][:, SUBSET])
    return ridgecv_heldout_r(data["x"], y, group_kfold_splits(data["runs"], N_FOLDS), ALPHAS)


SIDES = {"ours": ours, "reference": reference, "ours_subset": ours_subset}


def summarize(outputs: dict[str, Any], seconds: dict[str, float], peaks_mb: dict[str, float]) -> dict[str, Any]:
    n, d, t = SIZES["small" if len(outputs["ours"]) == SIZES["small"][2] else "full"]
    n_train = n * (N_FOLDS - 1) // N_FOLDS
    inputs_mb = (n * d + n * t) * 4 / 2**20
    budget_mb = inputs_mb + n_train * n_train * 4 / 2**20
    diff = np.abs(outputs["ours_subset"] - outputs["reference"])
    same = np.abs(outputs["ours"][SUBSET] - outputs["ours_subset"])
    speedup = seconds["reference"] / seconds["ours_subset"]
    return {"speedup": round(speedup, 2), "speedup_vs_sklearn": round(speedup, 3),
            "subset": f"every 10th voxel: {len(outputs['reference'])} of {t}",
            "ours_full_s": round(seconds["ours"], 2), "ours_subset_s": round(seconds["ours_subset"], 2),
            "reference_subset_s": round(seconds["reference"], 2),
            "extrapolated_full_ratio": round(seconds["reference"] * 10 / seconds["ours"], 2),
            "inputs_mb": round(inputs_mb, 1), "budget_mb": round(budget_mb, 1),
            "ours_held_mb": round(inputs_mb + peaks_mb["ours"], 1),
            "memory_target_met": bool(inputs_mb + peaks_mb["ours"] < budget_mb),
            "working_set_eigenbases": round(peaks_mb["ours"] / (budget_mb - inputs_mb), 1),
            "mean_r_ours": round(float(outputs["ours"].mean()), 4),
            "mean_r_ours_subset": round(float(outputs["ours_subset"].mean()), 4),
            "mean_r_reference": round(float(outputs["reference"].mean()), 4),
            "median_abs_diff_r": float(np.median(diff)), "max_abs_diff_r": float(diff.max()),
            "max_abs_diff_r_full_vs_subset": float(same.max())}
