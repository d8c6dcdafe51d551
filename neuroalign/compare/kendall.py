"""Kendall's tau-a between many RDMs in O(m log m) per pair of RDMs, each RDM sorted once."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.backend import get_backend
from neuroalign.compare.inputs import Stack, as_stacks
from neuroalign.compare.nan import apply_policy

#: Pairs x entries below which the kernel runs on one thread (about 1 ms of work): a parallel launch costs more.
_PARALLEL_MIN_WORK = 1 << 20


def _kernel_input(values: np.ndarray) -> np.ndarray:
    """C-ordered, writable float64: a read-only array (an ``RDMs`` view) would make numba compile a second kernel
    (seconds, on first use) where a copy of the stack costs a millisecond."""
    out = np.ascontiguousarray(values, dtype=np.float64)
    return out if out.flags.writeable else out.copy()


def _tau_a(x: Stack, y: Stack | None, present: np.ndarray | None) -> np.ndarray:
    """``shared`` for :func:`apply_policy`: tau-a of every pair of rows, on the pairs in ``present``."""
    # numba is imported (and compiled) on first use
    from neuroalign.compare._kendall_numba import tau_a_sums, tau_a_sums_serial

    if present is not None:
        x = x.rows(slice(None), columns=present)
        y = None if y is None else y.rows(slice(None), columns=present)
    a = _kernel_input(x.values)
    b = a if y is None else _kernel_input(y.values)
    kernel = tau_a_sums if a.shape[0] * b.shape[0] * a.shape[1] >= _PARALLEL_MIN_WORK else tau_a_sums_serial
    sums = kernel(a, b, y is None)  # one compiled call for the whole block: sorting and counting
    if y is None:
        upper = np.triu_indices(x.n_rdms, k=1)
        sums[upper[1], upper[0]] = sums[upper]
    m = x.n_pairs
    # S is an exact integer and m (m - 1) / 2 is exact in float64 up to m ~ 1e8: one rounding in total.
    return np.clip(sums / (m * (m - 1) / 2.0), -1.0, 1.0)


def kendall_tau_a(a: Any, b: Any = None, *, nan_policy: str = "raise", device: Any = None) -> np.ndarray:
    """Kendall's tau-a between every RDM of ``a`` and every RDM of ``b``.

    ``tau_a = (concordant - discordant) / (m (m - 1) / 2)`` over the ``m`` stimulus pairs: pairs of entries tied
    in either RDM count as neither, and the denominator counts them anyway (unlike tau-b), so tau-a does not
    reward a model RDM for predicting ties. A constant RDM gives 0.

    Parameters
    ----------
    a : RDMs or array_like, shape (n_pairs,) or (n_a, n_pairs)
        Condensed RDMs.
    b : RDMs or array_like, shape (n_pairs,) or (n_b, n_pairs), optional
        Condensed RDMs (``RDMs`` are reordered to ``a``'s stimulus ids). ``None`` compares ``a`` with itself.
    nan_policy : {"raise", "pairwise"}
        Missing (NaN) pairs: see :mod:`neuroalign.compare.nan`. Under ``"pairwise"`` each RDM pair with missing
        values is re-sorted on the pairs both RDMs have, and ``m`` is their number.
    device : None, "auto", str or torch.device
        Checked like every ``device`` (``docs/conventions.md``, "Devices"), then ignored: the kernel runs on the
        CPU (numba, all cores).

    Returns
    -------
    ndarray, shape (n_a, n_b), float64

    Notes
    -----
    One compiled call does the whole block (:mod:`neuroalign.compare._kendall_numba`). Each RDM is sorted once
    (a stable radix sort), which also counts its tied pairs; each pair of RDMs is then one O(m) walk over a
    permutation (ties broken consistently, their pairs subtracted back) that counts earlier entries ranking below
    with a bit set and packed prefix counters, in parallel over pairs of RDMs. The kernel is compiled by numba on
    first use and cached on disk.
    """
    get_backend(device)  # a bad spelling is an error here too; the kernel itself is CPU only
    x, y = as_stacks(a, b)
    return apply_policy(x, y, nan_policy, method="kendall_tau_a", shared=_tau_a)

