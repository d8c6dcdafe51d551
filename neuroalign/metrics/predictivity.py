"""Linear predictivity: cross-validated ridge from one representation to every unit of the other, on himalaya.

For each outer fold, :mod:`neuroalign.metrics.ridge_solver` decomposes the Gram matrix of the training rows once
(and once per inner fold) on himalaya's backend and evaluates every penalty for every target from that one
decomposition; each target keeps the penalty with the best inner cross-validated score (the inner folds' mean
squared errors summed; exact leave-one-out for ``inner_folds="loo"``), is refit on the whole training set, and is
scored on the held-out fold. Nothing is scored in-sample and no penalty is shared between targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from neuroalign.backend import NUMPY, TORCH_CUDA, Backend, resolve_device, resolve_dtype
from neuroalign.errors import InvalidOptionError
from neuroalign.metrics.base import Metric, MetricInfo, MetricInputError
from neuroalign.metrics.folds import Split, group_kfold_splits, kfold_splits, make_splits
from neuroalign.metrics.ridge_solver import BACKENDS, himalaya_backend  # noqa: F401  (himalaya_backend: re-export)
from neuroalign.metrics.ridge_solver import ridge_cv

#: Default penalty grid: ten values, log-spaced over nine decades.
DEFAULT_ALPHAS = np.logspace(-3, 6, 10)


#: Held-out scores per target: Pearson r, or R^2 with the test fold's own mean as baseline (scikit-learn's).
SCORES = ("pearson", "r2")


@dataclass(frozen=True)
class RidgePredictivity:
    """Held-out ridge predictivity of every target.

    Attributes
    ----------
    per_target : ndarray, shape (n_targets,)
        Score of each target averaged over the outer folds.
    per_fold : ndarray, shape (n_folds, n_targets)
        Score of each target on each held-out fold.
    alphas : ndarray, shape (n_folds, n_targets)
        Penalty chosen for each target by the inner cross-validation of each outer fold.
    splits : list of (train, test) index arrays
        The outer folds.
    score : str
        ``"pearson"`` or ``"r2"``.
    """

    per_target: np.ndarray
    per_fold: np.ndarray
    alphas: np.ndarray
    splits: list[Split]
    score: str

    @property
    def mean(self) -> float:
        """The summary: the mean over targets of :attr:`per_target`."""
        return float(self.per_target.mean())


def _inner_splits(train: np.ndarray, inner_folds: int | str, groups: Any, measure: str) -> list[Split] | None:
    """Inner folds over the training rows; grouped when the outer folds are, so no group leaks into selection.

    ``None`` is leave-one-out without groups, computed in closed form (the same numbers as ``len(train)`` folds).
    """
    if groups is None and inner_folds == "loo":
        return None
    if groups is not None:
        sub = np.asarray(groups)[train]
        n_groups = len(np.unique(sub))
        return group_kfold_splits(sub, n_groups if inner_folds == "loo" else min(inner_folds, n_groups),
                                  measure=f"{measure} (inner folds)")
    return kfold_splits(len(train), inner_folds, measure=f"{measure} (inner folds)")


def _check(x: np.ndarray, y: np.ndarray, score: str, measure: str) -> None:
    if score not in SCORES:
        raise InvalidOptionError(f"{measure}: score must be one of {sorted(SCORES)}; got {score!r}")
    if x.ndim != 2 or y.ndim != 2 or x.shape[0] != y.shape[0]:
        raise MetricInputError(f"{measure}: x and y must be (n, d_x) and (n, d_y) with the same n; got "
                               f"{x.shape} and {y.shape}")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise MetricInputError(f"{measure}: x and y must be finite (no NaN or Inf)")
    if not np.ptp(x, axis=0).any():
        raise MetricInputError(f"{measure}: the predictors have zero variance; predictions would be constant")
    flat = np.flatnonzero(np.ptp(y, axis=0) == 0)
    if flat.size:
        raise MetricInputError(f"{measure}: targets {flat[:10].tolist()} have zero variance; their scores are "
                               "undefined (drop them)")


def ridge_predictivity(x: Any, y: Any, *, alphas: Any = DEFAULT_ALPHAS, n_folds: int = 5, groups: Any = None,
                       inner_folds: int | str = 5, score: str = "pearson", backend: str = "numpy",
                       dtype: str = "float64", measure: str = "predictivity.ridge") -> RidgePredictivity:
    """Cross-validated ridge predictivity of every column of ``y`` from ``x``, with a penalty per target.

    Parameters
    ----------
    x : array_like or Tensor, shape (n, d_x)
        Predictors (one row per stimulus). ``d_x > n`` is fine (himalaya's SVD solver).
    y : array_like or Tensor, shape (n, d_y)
        Targets, rows matched with ``x``.
    alphas : array_like
        Penalty grid searched for every target.
    n_folds : int
        Outer folds (contiguous, unshuffled; see :mod:`neuroalign.metrics.folds`).
    groups : array_like, shape (n,), optional
        A label per stimulus (run, category); each group is wholly in train or in test, in the outer and in the
        inner folds.
    inner_folds : int or "loo"
        Inner folds on each training set for choosing the penalties (``"loo"``: leave-one-out; with groups, leave
        one group out, and never more folds than the training set has groups).
    score : {"pearson", "r2"}
        Held-out score per target: Pearson r, or R^2 with the test fold's own mean as baseline.
    backend : {"numpy", "torch", "torch_cuda"}
        himalaya backend; ``"torch_cuda"`` runs on the GPU.
    dtype : {"float64", "float32"}
        Compute precision; float32 about halves the time and changes scores by about 1e-6.
    measure : str
        Name used in error messages.

    Returns
    -------
    RidgePredictivity
        Per-target and per-fold scores and the chosen penalties.

    Raises
    ------
    MetricInputError
        Mismatched shapes, NaN/Inf, constant predictors or targets, too few samples or groups for the folds.
    """
    xa = (x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)).astype(np.float64)
    ya = (y.detach().cpu().numpy() if isinstance(y, torch.Tensor) else np.asarray(y)).astype(np.float64)
    _check(xa, ya, score, measure)
    splits = make_splits(xa.shape[0], n_folds, groups, measure=measure)
    grid = np.sort(np.asarray(alphas, dtype=np.float64).ravel())
    if grid.size == 0 or not (np.isfinite(grid).all() and (grid > 0).all()):
        raise InvalidOptionError(f"{measure}: alphas must be a non-empty grid of positive finite penalties")
    if backend not in BACKENDS:
        raise InvalidOptionError(f"predictivity: backend must be one of {BACKENDS}; got {backend!r}")
    engine = Backend(backend, "cuda" if backend == TORCH_CUDA else "cpu", resolve_dtype(dtype))
    if engine.on_cuda:
        resolve_device("cuda")  # a clear DeviceUnavailableError where there is no GPU
    inner = [_inner_splits(train, inner_folds, groups, measure) for train, _ in splits]
    r, r2, chosen = ridge_cv(xa, ya, splits, grid, inner, engine)
    folds = r if score == "pearson" else r2
    return RidgePredictivity(folds.mean(0), folds, chosen, splits, score)


class RidgePredictivityMetric(Metric):
    """Mean held-out predictivity of the target representation's units (see :func:`ridge_predictivity`).

    ``predictivity.ridge`` predicts each unit of ``y`` from ``x``; ``predictivity.ridge.reverse`` each unit of
    ``x`` from ``y``. Invariant to translation of either side (an intercept is fitted and the scores are
    centred); orthogonal transforms of the predictors leave it unchanged too, but not of the targets, so that is
    not declared. Not invariant to scaling the predictors (the penalty grid is fixed). ``backend="auto"`` fits
    the ridge with himalaya's ``torch_cuda`` backend when the metric is called on CUDA
    (``metric(x, y, device="cuda")``), else with ``numpy``.
    """

    def __init__(self, *, reverse: bool = False, alphas: Any = DEFAULT_ALPHAS, n_folds: int = 5,
                 groups: Any = None, inner_folds: int | str = 5, score: str = "pearson",
                 backend: str = "auto") -> None:
        if backend != "auto" and backend not in BACKENDS:
            raise InvalidOptionError(f"predictivity: backend must be 'auto' or one of {BACKENDS}; got {backend!r}")
        self.reverse = reverse
        self.options = dict(alphas=alphas, n_folds=n_folds, groups=groups, inner_folds=inner_folds, score=score,
                            backend=backend)
        self.info = MetricInfo(
            id="predictivity.ridge.reverse" if reverse else "predictivity.ridge", kind="similarity",
            symmetric=False, is_metric=False, invariances=frozenset({"translation"}), min_samples=10,
            description=f"held-out ridge predictivity ({score}) of {'x from y' if reverse else 'y from x'}")

    def compute(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The mean over target units of the held-out score, as a 0-d tensor."""
        source, target = (y, x) if self.reverse else (x, y)
        options = dict(self.options)
        if options["backend"] == "auto":  # the device the metric was called with (``metric(x, y, device=...)``)
            options["backend"] = TORCH_CUDA if source.is_cuda else NUMPY
        result = ridge_predictivity(source, target, measure=self.info.id, **options)
        return torch.tensor(result.mean, dtype=torch.float64)


def factory(rest: str | None) -> RidgePredictivityMetric:
    """Held-out ridge predictivity of y from x (``predictivity.ridge``, or ``predictivity.ridge.reverse``)."""
    if rest not in (None, "reverse"):
        raise InvalidOptionError(f"predictivity.ridge takes no parameter but 'reverse'; got {rest!r}")
    return RidgePredictivityMetric(reverse=rest == "reverse")
