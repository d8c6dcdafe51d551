"""Cross-validated shape metrics, as netrep's ``LinearMetric`` fits and scores them (Williams et al. 2021).

The in-sample shape distances of :mod:`neuroalign.metrics.shape` choose the best alignment for the very stimuli
they score, which flatters any pair of high-dimensional representations. Here the alignment is *fitted* on
training stimuli and *scored* on held-out ones (netrep's ``fit`` / ``score``, with ``center_columns=True`` and
``zero_pad=True``):

- fit: centre each side by its training means (kept: test stimuli are centred with them), pad the narrower side
  with zero features, partially whiten each side (netrep's ``whiten``: ``Z = V diag(d) V^T`` from the eigenpairs
  ``(lam, V)`` of ``X^T X``, ``d = alpha + (1 - alpha) lam^(-1/2)``, rescaled so that ``X Z`` keeps the total
  variance of ``X``; ``alpha = 1`` leaves it as is), and align the whitened sides by the orthogonal Procrustes
  solution ``U V^T`` of ``Xw^T Yw = U S V^T``;
- score: map the test stimuli with the training means, whitening and rotation, then the angle
  ``arccos(<tX, tY>_F / (||tX||_F ||tY||_F))``.

:class:`ShapeAlignment` exposes the fitted maps (``rotation_``: the orthogonal map from ``x``'s whitened space to
``y``'s). The registered ``shape.cv.<alpha>`` (for example ``shape.cv.1``, ``shape.cv.0.5``) averages the held-out
angle over 5 contiguous folds, so ``alignment_matrix(..., metric="shape.cv.1")`` is cross-validated too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from neuroalign.metrics.base import Metric, MetricInfo, MetricInputError
from neuroalign.metrics._family import parse_float
from neuroalign.metrics.folds import make_splits

__all__ = ["CrossValidatedShape", "ShapeAlignment", "cross_validated_shape", "partial_whitening"]

_EIGVAL_TOL = 1e-7  # netrep's floor on the eigenvalues of X^T X before taking lam^(-1/2)


def partial_whitening(x: np.ndarray, alpha: float) -> np.ndarray:
    """netrep's partial whitening matrix ``Z`` of centred ``x`` (see the module); the identity for ``alpha = 1``."""
    if alpha > 1 - _EIGVAL_TOL:
        return np.eye(x.shape[1])
    lam, v = np.linalg.eigh(x.T @ x)
    lam = np.maximum(lam, _EIGVAL_TOL)
    d = alpha + (1 - alpha) * lam ** -0.5
    new_var = np.sum(alpha**2 * lam + 2 * alpha * (1 - alpha) * lam**0.5 + (1 - alpha) ** 2)
    d *= np.sqrt(np.sum(lam) / new_var)
    return (v * d[None, :]) @ v.T


def _pad(x: np.ndarray, width: int) -> np.ndarray:
    return x if x.shape[1] == width else np.hstack([x, np.zeros((x.shape[0], width - x.shape[1]))])


@dataclass
class ShapeAlignment:
    """An alignment of two representations fitted on training stimuli and scored on others (see the module).

    Attributes (after :meth:`fit`)
    ------------------------------
    mean_x_, mean_y_ : ndarray
        Training means.
    whiten_x_, whiten_y_ : ndarray
        Partial whitening matrices (of the zero-padded sides).
    rotation_ : ndarray
        Orthogonal map from ``x``'s whitened space to ``y``'s: ``(x - mean_x_) @ whiten_x_ @ rotation_`` is ``x``
        aligned to ``(y - mean_y_) @ whiten_y_``.
    """

    alpha: float = 1.0

    def fit(self, x: Any, y: Any) -> "ShapeAlignment":
        """Fit the means, whitening and rotation on training stimuli ``x``, ``y`` (rows matched)."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        self.width_ = max(x.shape[1], y.shape[1])
        self.mean_x_, self.mean_y_ = x.mean(axis=0), y.mean(axis=0)
        xc, yc = _pad(x - self.mean_x_, self.width_), _pad(y - self.mean_y_, self.width_)
        self.whiten_x_, self.whiten_y_ = partial_whitening(xc, self.alpha), partial_whitening(yc, self.alpha)
        u, _, vt = np.linalg.svd((xc @ self.whiten_x_).T @ (yc @ self.whiten_y_))
        self.rotation_ = u @ vt
        return self

    def transform(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        """Both sides mapped with the training means, whitening and (for ``x``) the rotation."""
        tx = _pad(np.asarray(x, dtype=np.float64) - self.mean_x_, self.width_) @ self.whiten_x_ @ self.rotation_
        ty = _pad(np.asarray(y, dtype=np.float64) - self.mean_y_, self.width_) @ self.whiten_y_
        return tx, ty

    def score(self, x: Any, y: Any) -> float:
        """Angular distance of the aligned test stimuli, in ``[0, pi]``."""
        tx, ty = self.transform(x, y)
        norms = np.linalg.norm(tx) * np.linalg.norm(ty)
        if norms == 0:
            raise MetricInputError("shape.cv: a side maps to zero on the test stimuli; the angle is undefined")
        return float(np.arccos(np.clip(np.sum(tx * ty) / norms, -1.0, 1.0)))


def cross_validated_shape(x: Any, y: Any, *, alpha: float = 1.0, n_folds: int = 5, groups: Any = None
                          ) -> np.ndarray:
    """Held-out angular shape distance in each fold (contiguous, or grouped with ``groups``)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    splits = make_splits(x.shape[0], n_folds, groups, measure="shape.cv")
    return np.array([ShapeAlignment(alpha).fit(x[train], y[train]).score(x[test], y[test])
                     for train, test in splits])


class CrossValidatedShape(Metric):
    """``shape.cv.<alpha>``: the mean over 5 contiguous folds of the held-out angular shape distance."""

    def __init__(self, alpha: float, rest: str, n_folds: int = 5) -> None:
        self.alpha, self.n_folds = alpha, n_folds
        self.info = MetricInfo(f"shape.cv.{rest}", "distance", True, False,
                               frozenset({"orthogonal", "permutation", "translation", "isotropic_scaling"}),
                               2 * n_folds, f"cross-validated angular shape distance, alpha {alpha:g} (netrep)")

    def compute(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The mean held-out angle as a 0-d float64 tensor."""
        folds = cross_validated_shape(x.detach().cpu().numpy(), y.detach().cpu().numpy(), alpha=self.alpha,
                                      n_folds=self.n_folds)
        return torch.tensor(folds.mean(), dtype=torch.float64)


def factory(rest: str | None) -> CrossValidatedShape:
    """``shape.cv.<alpha>``, alpha in [0, 1] (1: no whitening, 0: full whitening)."""
    return CrossValidatedShape(parse_float(rest, "shape.cv", default=1.0, low=0.0, high=1.0), rest or "1")
