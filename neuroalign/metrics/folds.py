"""Cross-validation folds for predictivity: contiguous K-fold, and grouped K-fold (runs, categories).

Folds are deterministic (no shuffling): stimuli are usually ordered by run or by presentation, and a contiguous
split keeps neighbouring (autocorrelated) samples together. Shuffle the rows yourself if that is what you want.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.metrics.base import MetricInputError

Split = tuple[np.ndarray, np.ndarray]


def kfold_splits(n: int, n_folds: int, *, measure: str = "folds") -> list[Split]:
    """Contiguous K-fold splits of ``n`` samples (as scikit-learn's unshuffled ``KFold``).

    Parameters
    ----------
    n : int
        Number of samples.
    n_folds : int
        Number of folds, ``2 <= n_folds <= n``. The first ``n % n_folds`` folds hold one sample more.
    measure : str
        Name used in error messages.

    Returns
    -------
    list of (train, test) index arrays
    """
    if not 2 <= n_folds <= n:
        raise MetricInputError(f"{measure}: needs 2 <= n_folds <= n samples; got n_folds={n_folds}, n={n}")
    sizes = np.full(n_folds, n // n_folds)
    sizes[: n % n_folds] += 1
    stops = np.cumsum(sizes)
    everything = np.arange(n)
    return [(np.setdiff1d(everything, np.arange(stop - size, stop)), np.arange(stop - size, stop))
            for size, stop in zip(sizes, stops)]


def group_kfold_splits(groups: Any, n_folds: int, *, measure: str = "folds") -> list[Split]:
    """K-fold splits in which every group lies wholly in the training or wholly in the test set.

    Groups are assigned greedily, largest first (ties by order of first appearance), to the fold that has the
    fewest samples so far (the lowest fold index on ties), the balancing rule of scikit-learn's ``GroupKFold``.

    Parameters
    ----------
    groups : array_like, shape (n,)
        A label per sample (run, session, stimulus category); any hashable values.
    n_folds : int
        Number of folds, ``2 <= n_folds <= number of distinct groups``.
    measure : str
        Name used in error messages.

    Returns
    -------
    list of (train, test) index arrays, test indices sorted
    """
    labels = np.asarray(groups)
    if labels.ndim != 1:
        raise MetricInputError(f"{measure}: groups must be 1-D (one label per stimulus); got shape {labels.shape}")
    uniques, first, codes, counts = np.unique(labels, return_index=True, return_inverse=True, return_counts=True)
    if not 2 <= n_folds <= len(uniques):
        raise MetricInputError(f"{measure}: needs 2 <= n_folds <= number of groups; got n_folds={n_folds} "
                               f"with {len(uniques)} groups")
    order = sorted(range(len(uniques)), key=lambda g: (-counts[g], first[g]))
    fold_of_group = np.empty(len(uniques), dtype=int)
    load = np.zeros(n_folds, dtype=int)
    for g in order:
        target = int(np.argmin(load))  # argmin returns the first minimum: deterministic on ties
        fold_of_group[g] = target
        load[target] += counts[g]
    fold = fold_of_group[codes.ravel()]
    return [(np.flatnonzero(fold != f), np.flatnonzero(fold == f)) for f in range(n_folds)]


def make_splits(n: int, n_folds: int, groups: Any = None, *, measure: str = "folds") -> list[Split]:
    """Grouped splits when ``groups`` is given (checked to have one label per sample), contiguous ones otherwise."""
    if groups is None:
        return kfold_splits(n, n_folds, measure=measure)
    if len(groups) != n:
        raise MetricInputError(f"{measure}: groups has {len(groups)} labels for {n} stimuli")
    return group_kfold_splits(groups, n_folds, measure=measure)
