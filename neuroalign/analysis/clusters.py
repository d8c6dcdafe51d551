"""Cluster-based permutation tests over time, or over sensors and time, with MNE and plain results.

:func:`cluster_test_over_time` wraps MNE's ``permutation_cluster_1samp_test``; :func:`cluster_test_sensors_time`
wraps ``spatio_temporal_cluster_1samp_test`` with the channel adjacency of an ``mne.Info``, for sensor x time maps
such as the per-subject output of a sensor searchlight across time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.errors import ClusterTestError


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

    data = _checked_scores(scores, "(n_observations >= 2, n_times)")
    axis = _time_axis(times, data.shape[-1], "column of scores")
    _check_tail(tail)
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


def _checked_scores(scores: Any, axes: str) -> np.ndarray:
    """Scores as float64 with ``len(axes)`` dimensions, at least 2 observations and only finite values."""
    data = np.asarray(scores, dtype=np.float64)
    ndim = axes.count(",") + 1
    if data.ndim != ndim or data.shape[0] < 2:
        raise ClusterTestError(f"scores must be {ndim}-D {axes}; got shape {data.shape}")
    if not np.isfinite(data).all():
        raise ClusterTestError("scores must be finite (NaN or Inf found)")
    return data


def _time_axis(times: Any, n_times: int, what: str) -> np.ndarray:
    """The times of ``n_times`` samples (sample indices when ``times`` is None)."""
    axis = np.arange(n_times, dtype=np.float64) if times is None else np.asarray(times, dtype=np.float64)
    if axis.shape != (n_times,):
        raise ClusterTestError(f"times must have one entry per {what} ({n_times}); got shape {axis.shape}")
    return axis


def _check_tail(tail: int) -> None:
    if tail not in (-1, 0, 1):
        raise ClusterTestError(f"tail must be -1, 0 or 1; got {tail!r}")


@dataclass(frozen=True)
class SensorTimeCluster:
    """One cluster of adjacent (channel, time) points.

    Attributes
    ----------
    channels : tuple of str
        Names of the channels the cluster touches at any time, in the info's order.
    channel_indices : tuple of int
        Their positions on the scores' channel axis.
    start, stop : int
        Time samples: the cluster lies within ``[start, stop)``.
    tmin, tmax : float
        Times of its first and last sample (inclusive).
    p_value : float
        Cluster-level permutation p-value (family-wise over channels and times).
    mass : float
        Sum of the t-values inside the cluster (MNE's cluster statistic).
    mask : ndarray of bool, shape (n_channels, n_times)
        Exactly the points of the cluster.
    """

    channels: tuple[str, ...]
    channel_indices: tuple[int, ...]
    start: int
    stop: int
    tmin: float
    tmax: float
    p_value: float
    mass: float
    mask: np.ndarray


@dataclass(frozen=True)
class SensorTimeClusterResult:
    """Result of :func:`cluster_test_sensors_time`.

    Attributes
    ----------
    t_values : ndarray, shape (n_channels, n_times)
        The observed one-sample t-value at each channel and time.
    ch_names : tuple of str
    times : ndarray, shape (n_times,)
    clusters : tuple of SensorTimeCluster
        Every supra-threshold cluster, by start time then first channel.
    alpha : float
        The level used by :meth:`significant` and :meth:`mask`.
    """

    t_values: np.ndarray
    ch_names: tuple[str, ...]
    times: np.ndarray
    clusters: tuple[SensorTimeCluster, ...]
    alpha: float

    def significant(self) -> tuple[SensorTimeCluster, ...]:
        """The clusters with ``p_value < alpha``."""
        return tuple(c for c in self.clusters if c.p_value < self.alpha)

    def mask(self) -> np.ndarray:
        """``(n_channels, n_times)`` boolean mask of the points in significant clusters."""
        out = np.zeros(self.t_values.shape, dtype=bool)
        for cluster in self.significant():
            out |= cluster.mask
        return out


def channel_adjacency(info: Any, ch_type: str | None = None) -> Any:
    """Sparse ``(n_channels, n_channels)`` adjacency of ``info``'s channels in ``info["ch_names"]`` order.

    Parameters
    ----------
    info : mne.Info
        Every channel of the scores, with positions or a layout MNE knows.
    ch_type : str, optional
        Passed to :func:`mne.channels.find_ch_adjacency`.

    Raises
    ------
    ClusterTestError
        If the adjacency does not cover exactly ``info``'s channels (e.g. ``info`` mixes channel types: pick it to
        the tested channels first).
    """
    import mne
    import scipy.sparse

    with mne.utils.use_log_level("warning"):  # quiet, like the verbose=False cluster test it feeds
        adjacency, names = mne.channels.find_ch_adjacency(info, ch_type)
    if sorted(names) != sorted(info["ch_names"]):
        raise ClusterTestError(f"the {ch_type or 'channel'} adjacency covers {len(names)} of the info's "
                               f"{len(info['ch_names'])} channels; pick the info to the tested channels "
                               "(mne.pick_info) so that they match")
    order = [names.index(n) for n in info["ch_names"]]
    return scipy.sparse.csr_matrix(adjacency)[order][:, order]


def cluster_test_sensors_time(scores: Any, info: Any, times: Any = None, *, ch_type: str | None = None,
                              threshold: float | None = None, n_permutations: int = 1024, tail: int = 1,
                              alpha: float = 0.05, seed: int | None = 0,
                              n_jobs: int = 1) -> SensorTimeClusterResult:
    """Test where over sensors and time scores differ from zero, controlling the family-wise error with clusters.

    Sign-flip permutations of the observations as in MNE's :func:`mne.stats.spatio_temporal_cluster_1samp_test`;
    points above ``threshold`` form clusters when they are adjacent in time (neighbouring samples) or in space
    (channels adjacent in :func:`mne.channels.find_ch_adjacency`).

    Parameters
    ----------
    scores : array_like, shape (n_observations, n_channels, n_times)
        E.g. one sensor x time map of RSA scores per subject, channels in ``info["ch_names"]`` order (the layout
        of ``Evoked.data``). Subtract a baseline or chance first: the null is zero.
    info : mne.Info
        The channels of the maps.
    times : array_like, shape (n_times,), optional
        Time of each sample; sample indices by default.
    ch_type : str, optional
        Channel type for the adjacency (``"eeg"``, ``"mag"``, ``"grad"``).
    threshold, n_permutations, tail, alpha, seed, n_jobs
        As in :func:`cluster_test_over_time`.

    Returns
    -------
    SensorTimeClusterResult

    Raises
    ------
    ClusterTestError
        Scores that are not 3-D, fewer than 2 observations, non-finite values, a channel count other than the
        info's, ``times`` of the wrong length, or an adjacency that does not cover the info's channels.
    """
    from mne.stats import spatio_temporal_cluster_1samp_test

    data = _checked_scores(scores, "(n_observations >= 2, n_channels, n_times)")
    names = tuple(info["ch_names"])
    if data.shape[1] != len(names):
        raise ClusterTestError(f"scores have {data.shape[1]} channels but the info has {len(names)}; the channel "
                               "axis must follow info['ch_names']")
    axis = _time_axis(times, data.shape[2], "time sample of scores")
    _check_tail(tail)
    adjacency = channel_adjacency(info, ch_type)
    # MNE wants time before space: (n_observations, n_times, n_channels).
    t_obs, found, p_values, _ = spatio_temporal_cluster_1samp_test(
        np.ascontiguousarray(data.transpose(0, 2, 1)), adjacency=adjacency, threshold=threshold,
        n_permutations=n_permutations, tail=tail, rng=seed, out_type="mask", n_jobs=n_jobs, verbose=False)
    t_values = np.asarray(t_obs).T
    clusters = []
    for time_channel_mask, p in zip(found, p_values):
        mask = np.asarray(time_channel_mask).T
        channels = np.flatnonzero(mask.any(axis=1))
        samples = np.flatnonzero(mask.any(axis=0))
        start, stop = int(samples[0]), int(samples[-1]) + 1
        clusters.append(SensorTimeCluster(
            channels=tuple(names[c] for c in channels), channel_indices=tuple(int(c) for c in channels),
            start=start, stop=stop, tmin=float(axis[start]), tmax=float(axis[stop - 1]), p_value=float(p),
            mass=float(t_values[mask].sum()), mask=mask))
    clusters.sort(key=lambda c: (c.start, c.channel_indices[0]))
    return SensorTimeClusterResult(t_values=t_values, ch_names=names, times=axis, clusters=tuple(clusters),
                                   alpha=alpha)
