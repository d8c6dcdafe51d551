"""How a noise ceiling pools subjects' RDMs for a comparator: on the scale the comparator is blind to.

A correlation-type comparator is a cosine in some space (z-scores for Pearson, ranks for rank correlations, the raw
vector for the cosine, the whitened vector for the whitened comparators); the RDM whose vector in that space is the
mean of the subjects' unit vectors has the highest mean score against them. Each function maps condensed RDMs
``(n_rdms, n_pairs)`` into that space (up to a factor shared by all rows); a comparator's entry names its pooling
(:attr:`neuroalign.compare.Comparator.pooling`). Missing pairs (NaN) stay missing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.compare.ranks import average_ranks
from neuroalign.compare.whitened import whitened_norms
from neuroalign.core.rdm_arrays import CondensedRows


def ranks(values: np.ndarray, **options: Any) -> np.ndarray:
    """Average ranks of each row among its present pairs (as ``scipy.stats.rankdata(nan_policy="omit")``)."""
    missing = np.isnan(values)
    if not missing.any():
        return average_ranks(values)
    out = np.full(values.shape, np.nan)
    for k in range(values.shape[0]):
        present = ~missing[k]
        if present.any():
            out[k, present] = average_ranks(values[k:k + 1, present])[0]
    return out


def zscores(values: np.ndarray, **options: Any) -> np.ndarray:
    """Each row centred and divided by its standard deviation (Pearson's scale)."""
    centred = values - np.nanmean(values, axis=1, keepdims=True)
    return centred / np.nanstd(centred, axis=1, keepdims=True)


def unit_rms(values: np.ndarray, **options: Any) -> np.ndarray:
    """Each row divided by its root mean square (the cosine's scale)."""
    return values / np.sqrt(np.nanmean(values**2, axis=1, keepdims=True))


def whitened_unit(values: np.ndarray, *, sigma_k: Any = None, **options: Any) -> np.ndarray:
    """Each row divided by its whitened norm (``whitened_cosine``'s scale)."""
    return values / whitened_norms(CondensedRows(values), sigma_k=sigma_k, centre=False)[:, None]


def whitened_centred_unit(values: np.ndarray, *, sigma_k: Any = None, **options: Any) -> np.ndarray:
    """Each row centred and divided by its whitened norm (``whitened_pearson``'s scale)."""
    # The whitening is linear, so the mean of whitened unit vectors is the whitening of this mean.
    centred = values - np.nanmean(values, axis=1, keepdims=True)
    return centred / whitened_norms(CondensedRows(values), sigma_k=sigma_k, centre=True)[:, None]
