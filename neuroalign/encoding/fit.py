"""Voxel-wise (unit-wise, sensor-wise) encoding models: ridge from model features to every recorded target.

:func:`fit_encoding` predicts every column of ``responses`` from ``features`` on held-out stimuli. For each outer
fold, each target's penalty is chosen on the training rows only, by exact leave-one-out (``inner="loo"``, the
criterion of scikit-learn's ``RidgeCV(alpha_per_target=True)``) or by grouped inner folds (runs, categories: every
group wholly inside one inner fold, so autocorrelated neighbours never validate each other). The model is refit on
the whole training set with that penalty and scored on the test rows: Pearson r and R^2 (the test fold's own mean
as baseline, scikit-learn's ``r2_score``) per target. The algebra is in :mod:`neuroalign.metrics.ridge_solver`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.backend import get_backend
from neuroalign.errors import InvalidOptionError
from neuroalign.metrics.base import MetricInputError
from neuroalign.metrics.folds import Split, group_kfold_splits, kfold_splits, make_splits
from neuroalign.metrics.predictivity import DEFAULT_ALPHAS
from neuroalign.metrics.ridge_solver import ridge_cv

__all__ = ["EncodingResult", "fit_encoding"]

@dataclass(frozen=True)
class EncodingResult:
    """Held-out scores of an encoding model for every target.

    Attributes
    ----------
    r, r2 : ndarray, shape (n_targets,)
        Pearson r and R^2 per target, averaged over the outer folds.
    r_per_fold, r2_per_fold : ndarray, shape (n_folds, n_targets)
    alphas : ndarray, shape (n_folds, n_targets)
        The penalty chosen for each target in each outer fold (on its training rows only).
    splits : list of (train, test) index arrays
    backend : str
        Where it ran (``"numpy"``, ``"torch"``, ``"torch_cuda"``) and in which precision, e.g. ``"numpy/float32"``.
    """

    r: np.ndarray
    r2: np.ndarray
    r_per_fold: np.ndarray
    r2_per_fold: np.ndarray
    alphas: np.ndarray
    splits: list[Split]
    backend: str


def _all_finite(a: np.ndarray, elements: int = 1 << 20) -> bool:
    """``np.isfinite(a).all()`` a block of rows (about a million values) at a time: its boolean mask of all the
    targets (100 MB for 2000 stimuli x 50,000 voxels) would be the largest array of the whole fit."""
    rows = max(1, elements // max(1, a.shape[1]))
    return all(np.isfinite(a[start:start + rows]).all() for start in range(0, a.shape[0], rows))


def _check(x: np.ndarray, y: np.ndarray) -> None:
    if x.ndim != 2 or y.ndim != 2 or x.shape[0] != y.shape[0]:
        raise MetricInputError(f"fit_encoding: features and responses must be (n_stimuli, n_features) and "
                               f"(n_stimuli, n_targets) with the same rows; got {x.shape} and {y.shape}")
    if not (_all_finite(x) and _all_finite(y)):
        raise MetricInputError("fit_encoding: features and responses must be finite (no NaN or Inf); drop or "
                               "impute the missing values first")
    flat = np.flatnonzero(np.ptp(y, axis=0) == 0)
    if flat.size:
        raise MetricInputError(f"fit_encoding: targets {flat[:10].tolist()} ({flat.size} in all) are constant "
                               "across stimuli; their scores are undefined (drop them, e.g. with the mask)")


def _inner(train: np.ndarray, inner: Any, groups: Any) -> list[Split] | None:
    """Inner (train, validation) splits as positions into ``train``; ``None`` for exact leave-one-out."""
    if inner == "loo" or (inner == "auto" and groups is None):
        return None
    if groups is not None:
        sub = np.asarray(groups)[train]
        n_groups = len(np.unique(sub))
        return group_kfold_splits(sub, n_groups if inner == "auto" else min(int(inner), n_groups),
                                  measure="fit_encoding (inner folds)")
    return kfold_splits(len(train), int(inner), measure="fit_encoding (inner folds)")


def fit_encoding(features: Any, responses: Any, *, groups: Any = None, n_folds: int = 5, alphas: Any = DEFAULT_ALPHAS,
                 inner: int | str = "auto", device: Any = None, dtype: Any = "float32",
                 chunk: int | None = None) -> EncodingResult:
    """Held-out ridge encoding scores of every target (see the module).

    Parameters
    ----------
    features : array_like, shape (n_stimuli, n_features)
        Model features, one row per stimulus (or per stimulus presentation).
    responses : array_like, shape (n_stimuli, n_targets)
        Recorded responses (voxels, sensors, units), rows matched with ``features``.
    groups : array_like, shape (n_stimuli,), optional
        Run, session or category of each row: every group lies wholly in the training or the test set, in the outer
        and in the inner folds.
    n_folds : int
        Outer folds (contiguous without groups; see :mod:`neuroalign.metrics.folds`).
    alphas : array_like
        Penalty grid searched for every target.
    inner : "auto", "loo" or int
        How penalties are chosen on the training rows: ``"loo"`` exact leave-one-out (as ``RidgeCV``); an integer
        ``k``: k inner folds (grouped when ``groups`` is given); ``"auto"``: leave-one-out without groups, leave
        one group out with groups.
    device : None, "auto", "cpu", "cuda" or torch.device
        Where it runs (:func:`neuroalign.backend.get_backend`): ``None`` NumPy on the CPU, a CUDA device through
        himalaya's ``torch_cuda`` backend.
    dtype : "float32" or "float64"
        Compute precision; float32 halves memory and time and changes scores by about 1e-6.
    chunk : int, optional
        Targets per chunk (memory: a few ``n_train x chunk`` products at a time). By default a quarter of the
        training rows, more when they are few (:func:`neuroalign.metrics.ridge_solver.default_chunk`).

    Returns
    -------
    EncodingResult

    Raises
    ------
    MetricInputError
        Mismatched rows, NaN/Inf, constant targets, too few stimuli or groups for the folds.
    InvalidOptionError
        A bad penalty grid, ``inner`` or ``chunk``.
    """
    backend = get_backend(device, dtype)
    x = np.asarray(features)
    y = np.asarray(responses)
    _check(x, y)
    grid = np.asarray(alphas, dtype=np.float64).ravel()
    if grid.size == 0 or not (np.isfinite(grid).all() and (grid > 0).all()):
        raise InvalidOptionError("fit_encoding: alphas must be a non-empty grid of positive finite penalties")
    if not (inner in ("auto", "loo") or (isinstance(inner, (int, np.integer)) and inner >= 2)):
        raise InvalidOptionError(f"fit_encoding: inner must be 'auto', 'loo' or an integer >= 2; got {inner!r}")
    if chunk is not None and not (isinstance(chunk, (int, np.integer)) and chunk >= 1):
        raise InvalidOptionError(f"fit_encoding: chunk must be a positive number of targets (or None); got {chunk!r}")
    splits = make_splits(x.shape[0], n_folds, groups, measure="fit_encoding")
    inner_splits = [_inner(train, inner, groups) for train, _ in splits]
    r, r2, chosen = ridge_cv(x, y, splits, grid, inner_splits, backend, chunk=chunk)
    return EncodingResult(r.mean(0), r2.mean(0), r, r2, chosen, splits, f"{backend.name}/{backend.dtype}")
