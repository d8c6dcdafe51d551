"""The stimulus resamples of a benchmark's bootstrap interval: drawn by seed, each defined.

A resampled RDM comparison needs at least 3 distinct stimuli; with few stimuli (8 Haxby categories) some draws
have fewer (about 4 in 10,000 with 8 stimuli, so one in three seeds meets one in 1000 resamples). Such a resample
has no score, so it is redrawn: the interval is the bootstrap distribution given a defined statistic, as
rsatoolbox's, which leaves these samples out. With many stimuli no draw is ever redrawn, and the resamples are
exactly those :func:`~neuroalign.stats.bootstrap.bootstrap_rdm_comparison` draws from the same seed.
"""

from __future__ import annotations

import numpy as np

#: The fewest distinct stimuli a resampled RDM comparison is defined for (2 stimuli give a single pair).
MIN_DISTINCT = 3


def _distinct(indices: np.ndarray) -> np.ndarray:
    ordered = np.sort(indices, axis=1)
    return 1 + (np.diff(ordered, axis=1) != 0).sum(axis=1)


def stimulus_resamples(n_stimuli: int, n_bootstrap: int, seed: int) -> np.ndarray:
    """``(n_bootstrap, n_stimuli)`` positions drawn with replacement, every resample with >= 3 distinct stimuli.

    Parameters
    ----------
    n_stimuli : int
        Stimuli to draw from (at least 3).
    n_bootstrap : int
        Resamples.
    seed : int
        Seeds the draws: the same seed gives the same resamples.

    Returns
    -------
    ndarray of int
    """
    rng = np.random.default_rng(seed)
    indices = rng.integers(0, n_stimuli, size=(n_bootstrap, n_stimuli))
    short = np.flatnonzero(_distinct(indices) < MIN_DISTINCT)
    while short.size:  # each redraw fails with the same small probability: this ends after a few rounds
        indices[short] = rng.integers(0, n_stimuli, size=(short.size, n_stimuli))
        short = short[_distinct(indices[short]) < MIN_DISTINCT]
    return indices
