"""Significance and reliability of a registered metric: a permutation null, a split-half reliability.

They take a metric id, so they live with the registry that resolves it (statistics sit below metrics: the
resampling, p-value and Spearman-Brown building blocks stay in :mod:`neuroalign.stats`, see docs/architecture.md).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from neuroalign.errors import InvalidOptionError, NotEnoughRunsError, ShapeMismatchError
from neuroalign.metrics.registry import get_metric
from neuroalign.stats.permutation import PermutationResult, check_n_perm, permutation_p_value
from neuroalign.stats.reliability import Reliability, pearson_columns, spearman_brown, warn_undefined
from neuroalign.stats.resample import as_generator, draw_permutations
from neuroalign.utils.docs import fill_doc
from neuroalign.utils.progress import track

__all__ = ["permutation_test_metric", "split_half_reliability"]


@fill_doc
def permutation_test_metric(models: Sequence[Any] | Any, data: Any, metric: str, *, n_perm: int = 1000,
                            seed: int | np.random.Generator | None = None,
                            progress: bool | None = None) -> PermutationResult:
    """Permutation test of a registered alignment measure between model features and data features.

    The rows (stimuli) of ``data`` are permuted; every model is scored against the same permuted data.

    Parameters
    ----------
    models : array_like (n, d) or sequence of them
        One model's features, or several models' (each with the same ``n`` stimuli in the same order as ``data``).
    data : array_like, shape (n, d_data)
    metric : str
        A metric id (see :func:`neuroalign.metrics.get_metric`); for a distance small values count as extreme.
    n_perm : int
    %(seed)s
    %(progress)s

    Returns
    -------
    PermutationResult
    """
    check_n_perm(n_perm)
    measure = get_metric(metric)
    xs = [models] if np.ndim(models) == 2 else list(models)
    y = np.asarray(data, dtype=np.float64)
    for k, x in enumerate(xs):
        if np.shape(x)[0] != y.shape[0]:
            raise ShapeMismatchError(f"model {k} has {np.shape(x)[0]} stimuli but the data have {y.shape[0]}")
    perms = draw_permutations(as_generator(seed), n_perm, y.shape[0])
    observed = np.array([measure(x, y) for x in xs])
    null = np.array([[measure(x, y[perm]) for x in xs]
                     for perm in track(perms, len(perms), "permutations", enabled=progress)])
    larger = measure.info.kind == "similarity"
    return PermutationResult(observed=observed, null=null, p_values=permutation_p_value(observed, null,
                             larger_is_better=larger), metric=measure.info.id, larger_is_better=larger,
                             seed=seed if not isinstance(seed, np.random.Generator) else None)


@fill_doc
def split_half_reliability(responses: Any, metric: str | None = None, *, n_splits: int = 100,
                           seed: int | np.random.Generator | None = None) -> Reliability:
    """Split-half reliability of repeated responses, Spearman-Brown corrected.

    Parameters
    ----------
    responses : array_like, shape (n_repetitions, n_stimuli, n_features)
        Repeated measurements (trials, sessions) of the same stimuli.
    metric : str, optional
        A similarity metric id (see :func:`neuroalign.metrics.get_metric`) scoring one half's ``(n_stimuli,
        n_features)`` mean against the other's. ``None`` gives each feature's Pearson correlation across stimuli
        (the per-neuroid reliability Brain-Score uses). The Spearman-Brown correction assumes a correlation-like
        agreement; a distance metric is rejected.
    n_splits : int
        Random splits of the repetitions into two halves (an odd repetition is left out of each split in turn).
    %(seed)s

    Returns
    -------
    Reliability
        A feature constant across stimuli in a half of some split has NaN reliability; an
        :class:`UndefinedReliabilityWarning` names such features (and those whose half reliability is below -1/3,
        which the correction maps below -1).

    Raises
    ------
    NotEnoughRunsError
        With fewer than 2 repetitions.
    """
    data = np.asarray(responses, dtype=np.float64)
    if data.ndim != 3:
        raise ShapeMismatchError(f"responses must be (n_repetitions, n_stimuli, n_features); got {data.shape}")
    if data.shape[0] < 2:
        raise NotEnoughRunsError(f"split-half reliability needs >= 2 repetitions; got {data.shape[0]}")
    if n_splits < 1:
        raise InvalidOptionError(f"n_splits must be positive; got {n_splits}")
    measure = None
    if metric is not None:
        measure = get_metric(metric)
        if measure.info.kind != "similarity":
            raise InvalidOptionError(f"{metric} is a distance; the Spearman-Brown correction needs a similarity")
    half_size = data.shape[0] // 2
    splits = draw_permutations(as_generator(seed), n_splits, data.shape[0])
    values = []
    for order in splits:
        first = data[order[:half_size]].mean(axis=0)
        second = data[order[half_size:2 * half_size]].mean(axis=0)
        values.append(pearson_columns(first, second) if measure is None else measure(first, second))
    per_split = np.array(values)
    half = per_split.mean(axis=0)
    warn_undefined(np.atleast_1d(half))
    half = float(half) if np.ndim(half) == 0 else half
    return Reliability(half=half, corrected=spearman_brown(half), per_split=per_split,
                       metric="pearson_per_feature" if metric is None else measure.info.id)
