"""Condensed RDMs over a selection of stimuli that may repeat (a bootstrap sample of stimuli).

A resample that draws stimulus ``i`` twice has a pair ``(i, i)`` whose dissimilarity is zero by construction and
trivial for any model to predict; as in rsatoolbox's ``RDMs.subsample_pattern``, such pairs are missing (NaN), and
the comparators drop pairs that are missing in every RDM exactly.
"""

from __future__ import annotations

import numpy as np

from neuroalign.core.condensed import n_stimuli_from_pairs


def pair_index(n: int, selection: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Condensed positions of the pairs of ``selection`` (sorted first) and a mask of the repeated-stimulus pairs.

    Parameters
    ----------
    n : int
        Number of stimuli of the full RDMs.
    selection : ndarray of int
        Stimulus positions, repeats allowed; sorted here, as rsatoolbox orders a subsample.

    Returns
    -------
    positions : ndarray of int, shape (m * (m - 1) / 2,)
        Index into the full condensed vector of each pair of the selection (scipy order).
    repeated : ndarray of bool
        True where both ends of the pair are the same stimulus.
    """
    picked = np.sort(np.asarray(selection, dtype=np.int64))
    i, j = np.triu_indices(len(picked), k=1)
    a, b = np.minimum(picked[i], picked[j]), np.maximum(picked[i], picked[j])
    repeated = a == b
    # Position of (a, b), a < b, in scipy's condensed order; repeated pairs point anywhere valid and become NaN.
    positions = np.where(repeated, 0, n * a - a * (a + 1) // 2 + (b - a - 1))
    return positions, repeated


def subsample(values: np.ndarray, selection: np.ndarray) -> np.ndarray:
    """Condensed RDMs ``(k, n_pairs)`` restricted to ``selection`` (repeats allowed, repeated pairs NaN)."""
    n = n_stimuli_from_pairs(values.shape[-1])
    positions, repeated = pair_index(n, selection)
    out = values[..., positions].astype(np.float64, copy=True)
    out[..., repeated] = np.nan
    return out
