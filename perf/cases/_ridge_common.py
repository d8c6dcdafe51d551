"""The scikit-learn side of the ridge perf cases: RidgeCV with a penalty per target on given folds."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import RidgeCV


def ridgecv_heldout_r(x: np.ndarray, y: np.ndarray, splits: list, alphas: np.ndarray) -> np.ndarray:
    """Held-out Pearson r per target of ``RidgeCV(alphas, alpha_per_target=True)``, averaged over ``splits``."""
    folds = []
    for train, test in splits:
        pred = RidgeCV(alphas=alphas, alpha_per_target=True).fit(x[train], y[train]).predict(x[test])
        yc, pc = y[test] - y[test].mean(0), pred - pred.mean(0)
        folds.append((yc * pc).sum(0) / np.sqrt((yc * yc).sum(0) * (pc * pc).sum(0)))
    return np.mean(folds, axis=0)
