"""Stimulus bootstrap of 5 models against 20 subjects' RDMs (40 conditions), Spearman, 1000 resamples, with the
leave-one-subject-out noise ceiling of every resample: neuroalign vs rsatoolbox.

Ours: :func:`neuroalign.stats.bootstrap_rdm_comparison` with ``noise_ceiling=True`` (pair weights instead of
expanded resamples; all resamples of a batch ranked and pooled in a few array calls). Reference: rsatoolbox's
``eval_bootstrap_pattern(models, data, method='spearman', N=1000, boot_noise_ceil=True)`` with ``ModelFixed``
models, one resample at a time. Each side draws its own resamples, so ``summarize`` compares the distributions
(means of the evaluations and of the ceiling bounds, within sampling error); the exact per-resample agreement on
the same indices is tested in ``tests/stats/test_bootstrap_ceiling.py``, and the ``ours_same_indices`` side
repeats it here on rsatoolbox's first 20 resamples. Target (issue 6): speedup >= 50.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import rsatoolbox
from rsatoolbox.inference import eval_bootstrap_pattern
from rsatoolbox.inference.noise_ceiling import boot_noise_ceiling
from rsatoolbox.model import ModelFixed

from neuroalign.stats import bootstrap_rdm_comparison

NAME = "bootstrap_pattern_spearman_1000"
TARGET_SPEEDUP = 50.0
N_CHECK = 20  # resamples re-evaluated on rsatoolbox's own indices


def setup(workdir: Path, small: bool) -> dict[str, Any]:
    n_subjects, n_cond, n_models = 20, 40, 5
    n_boot = 10 if small else 1000  # small: the smoke run (rsatoolbox takes ~0.2 s a resample)
    rng = np.random.default_rng(40)
    # Realistic RDMs: condition patterns with a shared structure, each subject's pattern noise on top.
    shared = rng.normal(size=(n_cond, 30))
    rows, cols = np.triu_indices(n_cond, k=1)

    def rdm(patterns: np.ndarray) -> np.ndarray:
        return np.linalg.norm(patterns[rows] - patterns[cols], axis=1)

    data = np.stack([rdm(shared + 1.2 * rng.normal(size=shared.shape)) for _ in range(n_subjects)])
    models = np.stack([rdm(shared + s * rng.normal(size=shared.shape)) for s in (0.5, 1.0, 2.0, 4.0, 8.0)])
    # rsatoolbox's own resamples for the exactness side: its bootstrap_sample_pattern draws n_cond indices.
    check = np.random.default_rng(41).integers(0, n_cond, size=(3 if small else N_CHECK, n_cond))
    return {"data": data, "models": models[:n_models], "n_boot": n_boot, "check": check}


def ours(d: dict[str, Any]) -> np.ndarray:
    result = bootstrap_rdm_comparison(d["models"], d["data"], "spearman", n_bootstrap=d["n_boot"], seed=0,
                                      noise_ceiling=True, batch_size=100)
    return np.hstack([result.samples, result.ceiling_samples])


def reference(d: dict[str, Any]) -> np.ndarray:
    np.random.seed(0)  # rsatoolbox draws from numpy's global generator
    data = rsatoolbox.rdm.RDMs(d["data"])
    models = [ModelFixed(f"m{k}", rsatoolbox.rdm.RDMs(m[None])) for k, m in enumerate(d["models"])]
    result = eval_bootstrap_pattern(models, data, method="spearman", N=d["n_boot"], boot_noise_ceil=True)
    return np.hstack([result.evaluations.reshape(d["n_boot"], -1), np.asarray(result.noise_ceiling).T])


def ours_same_indices(d: dict[str, Any]) -> np.ndarray:
    """Max abs difference from rsatoolbox on the same resamples (not a timing: an exactness check)."""
    result = bootstrap_rdm_comparison(d["models"], d["data"], "spearman", noise_ceiling=True, indices=d["check"])
    data, models = rsatoolbox.rdm.RDMs(d["data"]), rsatoolbox.rdm.RDMs(d["models"])
    worst = 0.0
    for k, idx in enumerate(d["check"]):
        sample = data.subsample_pattern("index", idx)
        theirs = rsatoolbox.rdm.compare(models.subsample_pattern("index", idx), sample, "spearman").mean(axis=1)
        ceiling = boot_noise_ceiling(sample, method="spearman", rdm_descriptor="index")
        worst = max(worst, np.abs(result.samples[k] - theirs).max(), np.abs(result.ceiling_samples[k] - ceiling).max())
    return np.array([worst])


SIDES = {"ours": ours, "reference": reference, "ours_same_indices": ours_same_indices}


def summarize(outputs: dict[str, Any], seconds: dict[str, float], peaks_mb: dict[str, float]) -> dict[str, Any]:
    mine, theirs = outputs["ours"], outputs["reference"]
    theirs = theirs[np.isfinite(theirs).all(axis=1)]  # rsatoolbox marks resamples of < 3 distinct conditions NaN
    mean_diff = np.abs(mine.mean(axis=0) - theirs.mean(axis=0))
    # Sampling error of a difference of two independent means of n draws each.
    se = np.sqrt(mine.var(axis=0, ddof=1) / len(mine) + theirs.var(axis=0, ddof=1) / len(theirs))
    speedup = seconds["reference"] / seconds["ours"]
    same = float(outputs["ours_same_indices"][0])
    within = bool((mean_diff <= 4 * se).all())
    return {"columns": "5 models, ceiling lower, ceiling upper", "n_bootstrap": int(len(mine)),
            "max_abs_diff_of_means": round(float(mean_diff.max()), 5),
            "max_diff_in_standard_errors": round(float((mean_diff / se).max()), 2),
            "ours_sd": [round(float(v), 4) for v in mine.std(axis=0, ddof=1)],
            "reference_sd": [round(float(v), 4) for v in theirs.std(axis=0, ddof=1)],
            "means_agree_within_4se": within, "same_indices_max_abs_diff": same,
            "target_speedup": TARGET_SPEEDUP,
            "target_met": bool(speedup >= TARGET_SPEEDUP and within and same < 1e-10)}
