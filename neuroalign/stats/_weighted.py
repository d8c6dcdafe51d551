"""RDM comparators on weighted pairs: a stimulus bootstrap without expanding or re-sorting any RDM.

A resample of stimuli is the original condensed vector with pair weights ``w`` (see :mod:`._resample`); a
comparator of the expanded, resampled vectors equals a weighted comparator of the original vectors. Ranks in
particular need no new sort: each RDM is argsorted once, and the average rank of a pair in a resample is the
weight of all smaller values plus half (weight + 1) of its tie group, a cumulative sum in the sorted order.
"""

from __future__ import annotations

import numpy as np

#: Comparators with a weighted form here; the others are resampled through the explicit pair index.
WEIGHTED = ("pearson", "cosine", "spearman", "rho_a")


class _Sorted:
    """Per-RDM sort order and tie groups, computed once and reused by every batch of resamples."""

    def __init__(self, values: np.ndarray) -> None:
        self.order = np.argsort(values, axis=1, kind="stable")
        ordered = np.take_along_axis(values, self.order, axis=1)
        new_group = np.ones(ordered.shape, dtype=bool)
        new_group[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
        group = np.cumsum(new_group, axis=1) - 1
        starts = [np.flatnonzero(row) for row in new_group]
        # first and last sorted position of the tie group of every sorted position
        self.first = np.stack([s[g] for s, g in zip(starts, group)])
        ends = [np.append(s[1:], len(g)) - 1 for s, g in zip(starts, group)]
        self.last = np.stack([e[g] for e, g in zip(ends, group)])
        self.inverse = np.argsort(self.order, axis=1)


def weighted_ranks(values: np.ndarray, weights: np.ndarray, presorted: "_Sorted | None" = None) -> np.ndarray:
    """Average ranks of each RDM's pairs in each resample, as if every pair were repeated ``weight`` times.

    Parameters
    ----------
    values : ndarray, shape (n_rdms, n_pairs)
    weights : ndarray, shape (n_samples, n_pairs)

    Returns
    -------
    ndarray, shape (n_samples, n_rdms, n_pairs)
        Ranks from 1 to ``sum(weights)``; meaningless (but finite) where the weight is 0.
    """
    s = presorted or _Sorted(values)
    out = np.empty((weights.shape[0], values.shape[0], values.shape[1]))
    for r in range(values.shape[0]):
        ordered = weights[:, s.order[r]]
        through = np.cumsum(ordered, axis=1)  # weight up to and including each sorted position
        before_group = (through - ordered)[:, s.first[r]]
        group = through[:, s.last[r]] - before_group
        out[:, r, :] = (before_group + (group + 1.0) / 2.0)[:, s.inverse[r]]
    return out


def _centre(z: np.ndarray, w: np.ndarray, total: np.ndarray) -> np.ndarray:
    mean = np.einsum("brm,bm->br", z, w) / total[:, None]
    return z - mean[:, :, None]


def _prepare(values: np.ndarray, w: np.ndarray, method: str, presorted: "_Sorted | None") -> np.ndarray:
    """``(n_samples, n_rdms, n_pairs)`` vectors whose weighted inner products are the comparator's values."""
    total = w.sum(axis=1)
    if method in ("pearson", "cosine"):
        z = np.broadcast_to(values, (w.shape[0], *values.shape))
        z = _centre(z, w, total) if method == "pearson" else np.array(z)
    else:
        z = weighted_ranks(values, w, presorted)
        if method == "rho_a":
            # rho_a's closed form: z = (r - (m + 1) / 2) * sqrt(12 / (m^3 - m)) with m the resampled pair count
            z -= ((total + 1.0) / 2.0)[:, None, None]
            return z * np.sqrt(12.0 / (total**3 - total))[:, None, None]
        z = _centre(z, w, total)
    norms = np.sqrt(np.einsum("brm,brm,bm->br", z, z, w))
    return z / norms[:, :, None]


def weighted_compare(a: np.ndarray, b: np.ndarray, weights: np.ndarray, method: str, *,
                     sorted_a: "_Sorted | None" = None, sorted_b: "_Sorted | None" = None) -> np.ndarray:
    """Compare every RDM of ``a`` with every RDM of ``b`` under each row of pair weights.

    Parameters
    ----------
    a : ndarray, shape (n_a, n_pairs)
    b : ndarray, shape (n_b, n_pairs)
    weights : ndarray, shape (n_samples, n_pairs)
        Non-negative pair multiplicities (integers for a bootstrap; all ones reproduces the plain comparator).
    method : {"pearson", "cosine", "spearman", "rho_a"}

    Returns
    -------
    ndarray, shape (n_samples, n_a, n_b)
    """
    za = _prepare(a, weights, method, sorted_a)
    zb = _prepare(b, weights, method, sorted_b)
    return np.einsum("bim,bm,bjm->bij", za, weights, zb, optimize=True)


def presort(values: np.ndarray, method: str) -> "_Sorted | None":
    """The sort a rank comparator reuses across batches (``None`` for the others)."""
    return _Sorted(values) if method in ("spearman", "rho_a") else None
