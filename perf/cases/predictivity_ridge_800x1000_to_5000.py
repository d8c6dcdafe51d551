"""Ridge predictivity, 800 stimuli x 1000 features -> 5000 targets, 5 outer folds, 10 alphas, a penalty per target.

ours: :func:`neuroalign.metrics.predictivity.ridge_predictivity` with ``inner_folds="loo"`` in float32 (himalaya's
numpy backend): per outer fold, one eigendecomposition of the training Gram matrix serves all 10 penalties and all
5000 targets (:mod:`neuroalign.metrics.ridge_solver`). reference: scikit-learn's
``RidgeCV(alphas=..., alpha_per_target=True)`` in float64 in the same 5 outer folds, scored the same way (held-out
Pearson r per target). Both choose each penalty by exact leave-one-out error, so they agree up to float32 rounding
(``median_abs_diff_r``, ``max_abs_diff_r``). The figure asked for is
``speedup`` = reference / ours seconds (target >= 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import himalaya.ridge  # noqa: F401  (imported here so neither side's timing includes an import)
import numpy as np

from cases._ridge_common import ridgecv_heldout_r
from neuroalign.metrics.folds import kfold_splits
from neuroalign.metrics.predictivity import ridge_predictivity

NAME = "predictivity_ridge_800x1000_to_5000"
ALPHAS = np.logspace(-1, 8, 10)
N_FOLDS = 5


def setup(workdir: Path, small: bool) -> dict[str, Any]:
    n, d, t = (100, 50, 200) if small else (800, 1000, 5000)
    rng = np.random.default_rng(800)
    x = rng.standard_normal((n, d))
    # Targets driven by a 20-dimensional subspace of x with varied signal-to-noise, so penalties differ per target.
    latent = x[:, :20] @ rng.standard_normal((20, t))
    y = latent * rng.uniform(0.02, 0.5, t) + rng.standard_normal((n, t))
    return {"x": x, "y": y}


def ours(data: dict[str, Any]) -> np.ndarray:
    return ridge_predictivity(data["x"], data["y"], alphas=ALPHAS, n_folds=N_FOLDS, inner_folds="loo",
                              dtype="float32").per_target


def reference(data: dict[str, Any]) -> np.ndarray:
    return ridgecv_heldout_r(data["x"], data["y"], kfold_splits(len(data["x"]), N_FOLDS), ALPHAS)


SIDES = {"ours": ours, "reference": reference}


def summarize(outputs: dict[str, Any], seconds: dict[str, float], peaks_mb: dict[str, float]) -> dict[str, Any]:
    diff = np.abs(outputs["ours"] - outputs["reference"])
    speedup = seconds["reference"] / seconds["ours"]
    return {"ratio": round(seconds["ours"] / seconds["reference"], 3), "target_met": bool(speedup >= 2.0),
            "mean_r_ours": round(float(outputs["ours"].mean()), 4),
            "mean_r_reference": round(float(outputs["reference"].mean()), 4),
            "median_abs_diff_r": float(np.median(diff)), "max_abs_diff_r": float(diff.max()),
            "corr_per_target": float(np.corrcoef(outputs["ours"], outputs["reference"])[0, 1])}
