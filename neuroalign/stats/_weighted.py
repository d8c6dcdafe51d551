"""RDM comparators on weighted pairs: a stimulus bootstrap without expanding or re-sorting any RDM.

A resample of stimuli is the original condensed vector with pair weights ``w`` (see :mod:`._resample`); a
comparator of the expanded, resampled vectors equals a weighted comparator of the original vectors. Ranks in
particular need no new sort: each RDM is argsorted once, and the average rank of a pair in a resample is the
weight of all smaller values plus half (weight + 1) of its tie group, a cumulative sum in the sorted order (the
package's one ranking rule, :func:`neuroalign.compare.ranks.tie_average_ranks`).

A noise ceiling pools the subjects' vectors in each resample; a pool of ranks has its own order in every resample,
so :func:`weighted_ranks_per_sample` sorts each such row (all of a batch in one argsort) and
:func:`noise_ceiling_prepared` compares every subject with the pools.

Every function takes NumPy arrays or torch tensors (float64, all on one device) and computes in the namespace of
its inputs: NumPy's own functions for arrays, :class:`_TorchNamespace` (the few NumPy functions used here, on
torch) for tensors, so one code serves both and the NumPy path is NumPy as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.compare import Comparator, get_comparator
from neuroalign.compare.ranks import new_tie_groups, tie_average_ranks


class _TorchNamespace:
    """The NumPy functions this module calls, with NumPy's signatures, on torch tensors of one device."""

    def __init__(self, device: Any) -> None:
        import torch

        self.torch, self.device = torch, device

    def argsort(self, a: Any, axis: int = -1, kind: str | None = None) -> Any:
        return self.torch.argsort(a, dim=axis, stable=kind == "stable")

    def take_along_axis(self, a: Any, indices: Any, axis: int) -> Any:
        return self.torch.take_along_dim(a, indices, dim=axis)

    def take(self, a: Any, indices: Any) -> Any:  # index_select is about twice as fast as torch.take on a CPU
        return a.reshape(-1).index_select(0, indices.reshape(-1)).reshape(indices.shape)

    def cumsum(self, a: Any, axis: int | None = None) -> Any:
        return self.torch.cumsum(a.reshape(-1) if axis is None else a, dim=0 if axis is None else axis)

    def flatnonzero(self, a: Any) -> Any:
        return self.torch.nonzero(a.reshape(-1)).reshape(-1)

    def ones(self, shape: tuple[int, ...], dtype: Any = None) -> Any:
        return self.torch.ones(shape, dtype=self.torch.bool if dtype is bool else self.torch.float64,
                               device=self.device)

    def empty(self, shape: tuple[int, ...]) -> Any:
        return self.torch.empty(shape, dtype=self.torch.float64, device=self.device)

    def arange(self, n: int) -> Any:
        return self.torch.arange(n, device=self.device)

    def ascontiguousarray(self, a: Any) -> Any:
        return a.contiguous()

    def broadcast_to(self, a: Any, shape: tuple[int, ...]) -> Any:
        return self.torch.broadcast_to(a, shape)

    def sqrt(self, a: Any) -> Any:
        return self.torch.sqrt(a)

    def diagonal(self, a: Any, axis1: int, axis2: int) -> Any:
        return self.torch.diagonal(a, dim1=axis1, dim2=axis2)

    def stack(self, arrays: list, axis: int = 0) -> Any:
        return self.torch.stack(arrays, dim=axis)

    def concatenate(self, arrays: list, axis: int = 0) -> Any:
        return self.torch.cat(arrays, dim=axis)

    def einsum(self, subscripts: str, *operands: Any) -> Any:
        return self.torch.einsum(subscripts, *operands)

    def where(self, condition: Any, a: Any, b: Any) -> Any:
        return self.torch.where(condition, a, b)

    def amax(self, a: Any, axis: int) -> Any:
        return self.torch.amax(a, dim=axis)

    def amin(self, a: Any, axis: int) -> Any:
        return self.torch.amin(a, dim=axis)

    def abs(self, a: Any) -> Any:
        return self.torch.abs(a)


def _namespace(x: Any) -> Any:
    """``numpy`` for a NumPy array, a :class:`_TorchNamespace` on the tensor's device for a torch tensor."""
    return np if isinstance(x, np.ndarray) else _TorchNamespace(x.device)


class _Sorted:
    """Per-RDM sort order and tie groups, computed once and reused by every batch of resamples."""

    def __init__(self, values: np.ndarray) -> None:
        xp = _namespace(values)
        self.order = xp.argsort(values, axis=1, kind="stable")
        self.new_group = new_tie_groups(xp.take_along_axis(values, self.order, axis=1), xp)
        self.inverse = xp.argsort(self.order, axis=1)


def weighted_ranks(values: np.ndarray, weights: np.ndarray, presorted: "_Sorted | None" = None) -> np.ndarray:
    """Average ranks of each RDM's pairs in each resample, as if every pair were repeated ``weight`` times.

    Parameters
    ----------
    values : ndarray, shape (n_rdms, n_pairs)
    weights : ndarray, shape (n_samples, n_pairs)
    presorted : _Sorted, optional
        ``values``' sort, when already computed (it is reused across batches).

    Returns
    -------
    ndarray, shape (n_samples, n_rdms, n_pairs)
        Ranks from 1 to ``sum(weights)``; meaningless (but finite) where the weight is 0.
    """
    s = presorted or _Sorted(values)
    out = _namespace(values).empty((weights.shape[0], values.shape[0], values.shape[1]))
    for r in range(values.shape[0]):
        ranks = tie_average_ranks(weights[:, s.order[r]], s.new_group[r], _namespace(values))
        out[:, r, :] = ranks[:, s.inverse[r]]
    return out


def weighted_ranks_per_sample(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Average weighted ranks of vectors that differ in every resample (one sort per row).

    :func:`weighted_ranks` sorts each RDM once for all resamples; a vector built from a resample (such as the
    pooled RDM of a noise ceiling) has its own order in each, so here every row is sorted, all in one call.

    Parameters
    ----------
    values : ndarray, shape (n_samples, n_rdms, n_pairs)
    weights : ndarray, shape (n_samples, n_pairs)
        Pair weights of each resample, shared by its ``n_rdms`` rows.

    Returns
    -------
    ndarray, shape (n_samples, n_rdms, n_pairs)
        As :func:`weighted_ranks`.
    """
    xp = _namespace(values)
    order = _argsort_rows(values) if xp is np else xp.argsort(values, axis=-1)
    n_samples, n_rdms, n_pairs = values.shape
    # Flat indices gather and scatter several times faster than take_along_axis / put_along_axis.
    rows = xp.arange(n_samples * n_rdms).reshape(n_samples, n_rdms, 1) * n_pairs
    flat = order + rows
    ordered_weights = xp.take(weights.reshape(-1), order + xp.arange(n_samples).reshape(-1, 1, 1) * n_pairs)
    ranks = tie_average_ranks(ordered_weights, new_tie_groups(xp.take(values.reshape(-1), flat), xp), xp)
    out = xp.empty(values.shape)
    out.reshape(-1)[flat] = ranks
    return out


def _argsort_rows(values: np.ndarray) -> np.ndarray:
    """Argsort over the last axis; integer-valued keys sort as small integers, which is several times faster.

    Doubled sums of ranks under integer weights are integers; below 2**16 numpy radix-sorts them (``stable``).
    The order within ties is irrelevant to average ranks (which is why torch's unstable argsort serves as well).
    """
    if values.size and np.array_equal(np.rint(values), values) and values.min() >= 0:
        top = values.max()
        if top < 2**16:
            return np.argsort(values.astype(np.uint16), axis=-1, kind="stable")
        if top < 2**31:
            return np.argsort(values.astype(np.int32), axis=-1)
    return np.argsort(values, axis=-1)


def _centre(z: np.ndarray, w: np.ndarray, total: np.ndarray) -> np.ndarray:
    mean = _weighted_sum(z, w) / total[:, None]
    return z - mean[:, :, None]


def _standardise(z: np.ndarray, w: np.ndarray, total: np.ndarray, comparator: Comparator) -> np.ndarray:
    """Values or ranks ``(n_samples, n_rdms, n_pairs)`` as vectors whose weighted inner products give the
    comparator (its :class:`~neuroalign.compare.WeightedForm`)."""
    form = comparator.weighted
    if form.norm == "untied":
        # ranks' closed form (rho_a): z = (r - (m + 1) / 2) * sqrt(12 / (m^3 - m)) with m the resampled pair count
        z = z - ((total + 1.0) / 2.0)[:, None, None]
        return z * _namespace(z).sqrt(12.0 / (total**3 - total))[:, None, None]
    return _unit_norm(_centre(z, w, total) if form.centre else z, w)


def _unit_norm(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    return z / _namespace(z).sqrt(_weighted_sum(z * z, w))[:, :, None]


def _weighted_sum(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``(n_samples, n_rdms)`` sums over pairs of ``z`` weighted by each sample's ``w`` (a batched BLAS product;
    einsum's unoptimised loop is several times slower here)."""
    return (z @ w[:, :, None])[..., 0]


def prepare(values: np.ndarray, w: np.ndarray, comparator: str | Comparator,
            presorted: "_Sorted | None" = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Vectors whose weighted inner products are the comparator's values, and the ranks behind them.

    Parameters
    ----------
    values : ndarray, shape (n_rdms, n_pairs)
    w : ndarray, shape (n_samples, n_pairs)
        Pair weights of each resample.
    comparator : str or Comparator
        A comparator with a weighted form (:attr:`~neuroalign.compare.Comparator.weighted`).
    presorted : _Sorted, optional
        ``values``' sort, for the rank-based comparators.

    Returns
    -------
    z : ndarray, shape (n_samples, n_rdms, n_pairs)
    ranks : ndarray, shape (n_samples, n_rdms, n_pairs), or None for a comparator that is not rank-based
        Weighted average ranks, which a noise ceiling pools.
    """
    entry = get_comparator(comparator)
    total = w.sum(axis=1)
    if not entry.rank_based:
        z = _namespace(values).broadcast_to(values, (w.shape[0], *values.shape))
        return _standardise(z, w, total, entry), None
    ranks = weighted_ranks(values, w, presorted)
    return _standardise(ranks, w, total, entry), ranks


def inner(za: np.ndarray, zb: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``(n_samples, n_a, n_b)`` weighted inner products of prepared vectors (a batched matrix product)."""
    return (za * w[:, None, :]) @ zb.swapaxes(1, 2)


def weighted_compare(a: np.ndarray, b: np.ndarray, weights: np.ndarray, comparator: str | Comparator, *,
                     sorted_a: "_Sorted | None" = None, sorted_b: "_Sorted | None" = None) -> np.ndarray:
    """Compare every RDM of ``a`` with every RDM of ``b`` under each row of pair weights.

    Parameters
    ----------
    a : ndarray, shape (n_a, n_pairs)
    b : ndarray, shape (n_b, n_pairs)
    weights : ndarray, shape (n_samples, n_pairs)
        Non-negative pair multiplicities (integers for a bootstrap; all ones reproduces the plain comparator).
    comparator : str or Comparator
        A comparator with a weighted form.

    Returns
    -------
    ndarray, shape (n_samples, n_a, n_b)
    """
    return inner(prepare(a, weights, comparator, sorted_a)[0], prepare(b, weights, comparator, sorted_b)[0], weights)


def noise_ceiling_prepared(z: np.ndarray, ranks: np.ndarray | None, w: np.ndarray,
                           comparator: Comparator) -> tuple[np.ndarray, np.ndarray]:
    """Leave-one-out noise ceiling of every resample from the subjects' prepared vectors (see :func:`prepare`).

    The pooled RDM is the mean of the subjects on the comparator's scale: ranks for a rank-based comparator, else
    its standardised vectors (z-scores for pearson, unit-RMS vectors for cosine), which are ``z`` up to a factor
    shared by the subjects of a resample and so pool to the same RDM up to scale. Those need only the Gram matrix
    ``G`` of ``z``:
    subject ``s`` against the pool of all gives ``sum_j G_sj / sqrt(sum G)`` and against the others
    ``(sum_j G_sj - G_ss) / sqrt(sum G - 2 sum_j G_sj + G_ss)``. A pool of ranks must be ranked again under the
    resample's weights, one sort per resample and pooled vector.

    Parameters
    ----------
    z : ndarray, shape (n_samples, n_subjects, n_pairs)
    ranks : ndarray, same shape, or None
        The weighted ranks behind ``z`` (rank-based comparators only).
    w : ndarray, shape (n_samples, n_pairs)
    comparator : Comparator
        A comparator with a weighted form.

    Returns
    -------
    bounds : ndarray, shape (n_samples, 2, n_subjects)
        Per-subject lower (index 0) and upper (index 1) bound.
    undefined : ndarray of bool, shape (n_samples,)
        Resamples whose pool of all subjects, or of all but one, is an RDM the comparator is undefined for
        (:attr:`~neuroalign.compare.Comparator.undefined_for`): it divides by zero there and those bounds are
        meaningless.
    """
    xp = _namespace(z)
    if ranks is None:
        gram = inner(z, z, w)
        own = xp.diagonal(gram, axis1=1, axis2=2)
        row = gram.sum(axis=2)
        everyone = row.sum(axis=1, keepdims=True)
        others = everyone - 2 * row + own
        # Squared norms of sums of unit vectors, at most n_subjects**2; an exact zero comes out as rounding noise.
        floor = _POOL_ROUNDING * z.shape[1] ** 2
        undefined = (everyone[:, 0] <= floor) | (xp.amin(others, axis=1) <= floor)
        return xp.stack([(row - own) / xp.sqrt(others), row / xp.sqrt(everyone)], axis=1), undefined
    summed = ranks.sum(axis=1, keepdims=True)
    # Doubled sums of half-integer ranks are integers for integer weights, which sort faster (see the helper);
    # ranking is blind to the scale, so the sums rank as the means would.
    pools = 2.0 * xp.concatenate([summed, summed - ranks], axis=1)
    undefined = flat_on_support(pools, w, comparator).any(axis=1)  # exact: the pools are integer-valued
    pooled = _standardise(weighted_ranks_per_sample(pools, w), w, w.sum(axis=1), comparator)
    zw = z * w[:, None, :]
    upper = xp.einsum("bsm,bm->bs", zw, pooled[:, 0])
    lower = xp.einsum("bsm,bsm->bs", zw, pooled[:, 1:])
    return xp.stack([lower, upper], axis=1), undefined


#: Below this share of its largest possible squared norm, a pooled vector of unit vectors counts as zero.
_POOL_ROUNDING = 1e-12


def flat_on_support(values: np.ndarray, w: np.ndarray, comparator: Comparator) -> np.ndarray:
    """Where an RDM gives the comparator nothing to divide by on the pairs a resample keeps (``w > 0``).

    The comparator's entry says which RDMs it is undefined for (:attr:`~neuroalign.compare.Comparator.undefined_for`):
    constant ones (Pearson, Spearman), all-zero ones (cosine), or none (rho-a: a constant RDM scores 0). The test
    is exact (the largest kept value equals the smallest), as :func:`neuroalign.compare.compare`'s own, so no
    tolerance decides it.

    Parameters
    ----------
    values : ndarray, shape (n_rdms, n_pairs) or (n_samples, n_rdms, n_pairs)
    w : ndarray, shape (n_samples, n_pairs)
    comparator : Comparator

    Returns
    -------
    ndarray of bool, shape (n_samples, n_rdms)
    """
    xp = _namespace(values)
    support = (w > 0)[:, None, :]
    if comparator.undefined_for == "zero":
        return xp.amax(xp.where(support, xp.abs(values), 0.0), axis=-1) == 0
    flat = xp.amax(xp.where(support, values, -np.inf), axis=-1) == xp.amin(xp.where(support, values, np.inf), axis=-1)
    return flat & (comparator.undefined_for == "constant")


def presort(values: np.ndarray, comparator: Comparator) -> "_Sorted | None":
    """The sort a rank-based comparator reuses across batches (``None`` for the others)."""
    return _Sorted(values) if comparator.rank_based else None
