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
subset ratio carried to all voxels: an estimate, not a measurement). Memory, in MiB, of the full fit (``ours``): ``ours_traced_peak_mb`` is the peak of the arrays it allocated
(``TRACE_ARRAYS``: tracemalloc, which NumPy reports to), ``ours_peak_mb`` the RSS it added (which also counts the
pages of scipy's own OpenBLAS and LAPACK, about 18 MiB touched once per process, and memory the allocator keeps).
The issue's bound is the features and targets plus one fold's decomposition. Computing that decomposition takes
the Gram matrix (decomposed in place: it becomes the eigenbasis) and LAPACK's ``syevd`` workspace of two more
``n_train^2`` arrays: ``decomposition_mb`` (3 x 9.8 MiB); the answer (r and R^2 per fold and their means, the
penalties) is ``result_mb``. ``budget_mb`` = inputs + ``decomposition_mb`` + ``result_mb``; ``ours_held_mb`` =
inputs + ``ours_traced_peak_mb``; ``memory_target_met`` = held <= budget: the fit never holds more than the
decomposition's own working memory beside its inputs and its answer (every chunk of targets, with its products,
is smaller). ``eigenbasis_mb`` is one ``n_train x n_train`` float32 eigenbasis, the least any eigendecomposition
holds (``working_set_eigenbases`` = traced peak in those units); the bound read as inputs + that alone leaves no
memory for LAPACK's workspace, the targets' projections or the answer, so no fit can meet it.
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
#: The side whose allocations the harness traces (see ``perf/run.py``): the full fit.
TRACE_ARRAYS = ("ours",)


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


def summarize(outputs: dict[str, Any], seconds: dict[str, float], peaks_mb: dict[str, float],
              traced_mb: dict[str, float]) -> dict[str, Any]:
    n, d, t = SIZES["small" if len(outputs["ours"]) == SIZES["small"][2] else "full"]
    n_train = n * (N_FOLDS - 1) // N_FOLDS
    inputs_mb = (n * d + n * t) * 4 / 2**20
    eigenbasis_mb = n_train * n_train * 4 / 2**20
    decomposition_mb = 3 * eigenbasis_mb
    result_mb = (3 * N_FOLDS + 2) * t * 8 / 2**20
    budget_mb = inputs_mb + decomposition_mb + result_mb
    held_mb = inputs_mb + traced_mb["ours"]
    diff = np.abs(outputs["ours_subset"] - outputs["reference"])
    same = np.abs(outputs["ours"][SUBSET] - outputs["ours_subset"])
    speedup = seconds["reference"] / seconds["ours_subset"]
    return {"speedup": round(speedup, 2), "speedup_vs_sklearn": round(speedup, 3),
            "subset": f"every 10th voxel: {len(outputs['reference'])} of {t}",
            "ours_full_s": round(seconds["ours"], 2), "ours_subset_s": round(seconds["ours_subset"], 2),
            "reference_subset_s": round(seconds["reference"], 2),
            "extrapolated_full_ratio": round(seconds["reference"] * 10 / seconds["ours"], 2),
            "inputs_mb": round(inputs_mb, 1), "eigenbasis_mb": round(eigenbasis_mb, 1),
            "decomposition_mb": round(decomposition_mb, 1), "result_mb": round(result_mb, 1),
            "budget_mb": round(budget_mb, 1), "ours_held_mb": round(held_mb, 1),
            "memory_target_met": bool(held_mb <= budget_mb),
            "working_set_eigenbases": round(traced_mb["ours"] / eigenbasis_mb, 2),
            "mean_r_ours": round(float(outputs["ours"].mean()), 4),
            "mean_r_ours_subset": round(float(outputs["ours_subset"].mean()), 4),
            "mean_r_reference": round(float(outputs["reference"].mean()), 4),
            "median_abs_diff_r": float(np.median(diff)), "max_abs_diff_r": float(diff.max()),
            "max_abs_diff_r_full_vs_subset": float(same.max())}
