"""Multiple-comparison corrections of p-values: Bonferroni (family-wise error) and Benjamini-Hochberg (FDR)."""

from __future__ import annotations

import numpy as np

from neuroalign.errors import InvalidOptionError

#: Accepted ``correction`` names.
CORRECTIONS = ("bonferroni", "fdr_bh", "none")


def _as_pvalues(p: np.ndarray) -> np.ndarray:
    p = np.asarray(p, dtype=np.float64)
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise InvalidOptionError("p-values must lie in [0, 1] and must not be NaN")
    return p


def bonferroni(pvalues: np.ndarray) -> np.ndarray:
    """Bonferroni-adjusted p-values, ``min(1, m p)`` with ``m`` the number of tests (any shape, all one family).

    Parameters
    ----------
    pvalues : array_like

    Returns
    -------
    ndarray, same shape
    """
    p = _as_pvalues(pvalues)
    return np.minimum(1.0, p * p.size)


def fdr_bh(pvalues: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); reject where ``q <= alpha`` controls the FDR at ``alpha``.

    ``q_(k) = min_{j >= k} min(1, m p_(j) / j)`` over the sorted p-values, which equals
    ``statsmodels.stats.multitest.multipletests(method="fdr_bh")`` and ``scipy.stats.false_discovery_control``.

    Parameters
    ----------
    pvalues : array_like

    Returns
    -------
    ndarray, same shape
    """
    p = _as_pvalues(pvalues)
    flat = p.ravel()
    m = flat.size
    order = np.argsort(flat, kind="stable")
    scaled = flat[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]  # enforce monotonicity from the largest p down
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out.reshape(p.shape)


def adjust_pvalues(pvalues: np.ndarray, correction: str = "fdr_bh") -> np.ndarray:
    """Adjust p-values by ``correction``: ``"bonferroni"``, ``"fdr_bh"`` or ``"none"``.

    Raises
    ------
    InvalidOptionError
        For an unknown correction.
    """
    if correction == "bonferroni":
        return bonferroni(pvalues)
    if correction == "fdr_bh":
        return fdr_bh(pvalues)
    if correction == "none":
        return _as_pvalues(pvalues).copy()
    raise InvalidOptionError(f"correction must be one of {CORRECTIONS}; got {correction!r}")
