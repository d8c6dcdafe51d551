"""Stratified fold labels: every held-out fold holds the same share of each condition (class, stratum).

A decoder scored by a correlation on held-out stimuli needs both (every) conditions in each test fold: a test fold
of one condition has a constant target, and its correlation is undefined. The labels follow scikit-learn's
unshuffled ``StratifiedKFold``: the members of each stratum, in order, fill the folds in contiguous blocks (so
neighbouring, autocorrelated trials of a condition stay together), the block sizes balanced over the folds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from neuroalign.errors.benchmarks import FoldsError

if TYPE_CHECKING:
    import numpy as np


def stratified_fold_labels(strata: Any, n_folds: int, *, what: str = "folds") -> np.ndarray:
    """The held-out fold of every stimulus, each fold holding a balanced share of every stratum.

    Parameters
    ----------
    strata : array_like, shape (n,)
        A label per stimulus (its condition), in the stimuli's order; any hashable values.
    n_folds : int
        Number of folds (>= 2).
    what : str
        Names the computation in error messages (a benchmark id).

    Returns
    -------
    ndarray of int, shape (n,)
        Fold index (``0 .. n_folds - 1``) of every stimulus; equal to ``StratifiedKFold(n_folds).split``'s test
        folds (scikit-learn, no shuffling).

    Raises
    ------
    FoldsError
        When a stratum has fewer members than there are folds (a test fold would miss that condition), or a fold
        would hold fewer than 2 stimuli (no correlation on it).
    """
    import numpy as np

    labels = np.asarray(strata)
    if labels.ndim != 1:
        raise FoldsError(f"{what}: strata must hold one label per stimulus; got shape {labels.shape}")
    uniques, first, codes, counts = np.unique(labels, return_index=True, return_inverse=True, return_counts=True)
    small = [f"{uniques[k]!r} ({counts[k]})" for k in range(len(uniques)) if counts[k] < n_folds]
    if small or len(labels) < 2 * n_folds:
        detail = (f"conditions with fewer stimuli than folds: {', '.join(small)}" if small else
                  f"{len(labels)} stimuli leave fewer than 2 per fold")
        raise FoldsError(f"{what}: {n_folds} held-out folds need every condition in every fold and 2 or more stimuli "
                         f"per fold; {detail}. Score more stimuli (commitment 'last' scores them all) or use fewer "
                         "folds")
    # Codes in order of first appearance, as StratifiedKFold encodes its classes.
    appearance = np.argsort(np.argsort(first))[codes.ravel()]
    ordered = np.sort(appearance)
    allocation = np.array([np.bincount(ordered[i::n_folds], minlength=len(uniques)) for i in range(n_folds)])
    folds = np.empty(len(labels), dtype=int)
    for k in range(len(uniques)):
        folds[appearance == k] = np.repeat(np.arange(n_folds), allocation[:, k])
    return folds
