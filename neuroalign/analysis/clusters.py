"""Cluster-based permutation tests over time (MNE's ``permutation_cluster_1samp_test``) with plain results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.analysis.errors import ClusterTestError


@dataclass(frozen=True)
class TimeCluster:
    """One cluster of adjacent time points.

    Attributes
    ----------
    start, stop : int
        Sample indices: the cluster is ``[start, stop)``.
    tmin, tmax : float
        Times of its first and last sample (inclusive).
    p_value : float
        Cluster-level permutation p-value (family-wise over time).
    statistic : float
        Sum of the t-values inside the cluster (MNE's cluster mass).
    """

    start: int
    stop: int
    tmin: float
    tmax: float
    p_value: float
    statistic: float


@dataclass(frozen=True)
class ClusterResult:
    """Result of :func:`cluster_test_over_time`.

    Attributes
    ----------
    t_values : ndarray, shape (n_times,)
        The observed one-sample t-value at each time point.
    times : ndarray, shape (n_times,)
    clusters : tuple of TimeCluster
        Every supra-threshold cluster, in time order.
    alpha : float
        The level used by :meth:`significant`.
    """

    t_values: np.ndarray
    times: np.ndarray
    clusters: tuple[TimeCluster, ...]
    alpha: float

    def significant(self) -> tuple[TimeCluster, ...]:
        """The clusters with ``p_value < alpha``."""
        return tuple(c for c in self.clusters if c.p_value < self.alpha)


def cluster_test_over_time(scores: Any, times: Any = None, *, threshold: float | None = None,
                           n_permutations: int = 1024, tail: int = 1, alpha: float = 0.05,
                           seed: int | None = 0, n_jobs: int = 1) -> ClusterResult:
    """Test where over time scores differ from zero, controlling the family-wise error with clusters.

    Sign-flip permutations of the observations (subjects, or trials) as in MNE's
    :func:`mne.stats.permutation_cluster_1samp_test`; adjacent time points above ``threshold`` form clusters.

    Parameters
    ----------
    scores : array_like, shape (n_observations, n_times)
        E.g. one time course of RSA scores per subject (subtract a baseline or chance first: the null is zero).
    times : array_like, shape (n_times,), optional
        Time of each column; sample indices by default.
    threshold : float, optional
        Cluster-forming t threshold; None uses MNE's default (the t quantile at p = 0.05 for the tail).
    n_permutations : int
        Number of sign-flip permutations (all of them when ``2 ** n_observations`` is smaller).
    tail : {1, 0, -1}
        1: scores above zero; -1: below; 0: both.
    alpha : float
        Level of :meth:`ClusterResult.significant`.
    seed : int, optional
        Seed of the permutations (reproducible by default).
    n_jobs : int
        Passed to MNE.

    Returns
    -------
    ClusterResult

    Raises
    ------
    ClusterTestError
        Scores that are not 2-D, fewer than 2 observations, non-finite values, or ``times`` of the wrong length.
    """
    from mne.stats import permutation_cluster_1samp_test

    data = np.asarray(scores, dtype=np.float64)
    if data.ndim != 2 or data.shape[0] < 2:
        raise ClusterTestError(f"scores must be 2-D (n_observations >= 2, n_times); got shape {data.shape}")
    if not np.isfinite(data).all():
        raise ClusterTestError("scores must be finite (NaN or Inf found)")
    axis = np.arange(data.shape[1], dtype=np.float64) if times is None else np.asarray(times, dtype=np.float64)
    if axis.shape != (data.shape[1],):
        raise ClusterTestError(f"times must have one entry per column of scores ({data.shape[1]}); got shape "
                               f"{axis.shape}")
    if tail not in (-1, 0, 1):
        raise ClusterTestError(f"tail must be -1, 0 or 1; got {tail!r}")
    t_obs, found_clusters, p_values, _ = permutation_cluster_1samp_test(
        data, threshold=threshold, n_permutations=n_permutations, tail=tail, rng=seed, out_type="indices",
        n_jobs=n_jobs, verbose=False)
    clusters = []
    for found, p in zip(found_clusters, p_values):
        # MNE gives a tuple of slices (or of index arrays) per cluster; without a spatial adjacency a cluster over
        # one axis is a contiguous run of samples, so its first and last index delimit it.
        mask = np.zeros(data.shape[1], dtype=bool)
        mask[found] = True
        index = np.flatnonzero(mask)
        start, stop = int(index[0]), int(index[-1]) + 1
        clusters.append(TimeCluster(start, stop, float(axis[start]), float(axis[stop - 1]), float(p),
                                    float(t_obs[start:stop].sum())))
    clusters.sort(key=lambda c: c.start)
    return ClusterResult(t_values=np.asarray(t_obs), times=axis, clusters=tuple(clusters), alpha=alpha)
