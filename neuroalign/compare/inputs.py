"""Turn comparator inputs (``RDMs`` or condensed arrays) into validated, labelled stacks of row vectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.core.condensed import n_stimuli_from_pairs, upper_indices
from neuroalign.core.rdm_arrays import condensed_rows
from neuroalign.core.rdms import RDMs
from neuroalign.errors import InvalidRDMError, ShapeMismatchError


@dataclass(frozen=True)
class Stack:
    """A ``(n_rdms, n_pairs)`` float64 array with a label per row for error messages.

    The array may be a read-only view of the caller's data: comparators never write to it.
    """

    values: np.ndarray
    labels: tuple[str, ...]

    @property
    def n_rdms(self) -> int:
        """Number of rows (RDMs)."""
        return self.values.shape[0]

    @property
    def n_pairs(self) -> int:
        """Length of each row."""
        return self.values.shape[1]

    def rows(self, index: Any, *, columns: np.ndarray | None = None, note: str = "") -> "Stack":
        """Select rows (and optionally columns); ``note`` is appended to every label."""
        picked = np.atleast_1d(np.arange(self.n_rdms)[index])
        values = self.values[picked] if columns is None else self.values[np.ix_(picked, np.flatnonzero(columns))]
        return Stack(values, tuple(self.labels[k] + note for k in picked))


def _as_array(x: Any, name: str) -> np.ndarray:
    values = condensed_rows(x, name=name)
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise ShapeMismatchError(f"{name} is empty (shape {values.shape})")
    return values


def all_finite(values: np.ndarray) -> bool:
    """Whether ``values`` holds no NaN and no Inf (one summing pass, no temporary the size of ``values``)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(values.sum()):
            return True
    return bool(np.isfinite(values).all())  # the sum overflowed, or there is a NaN or Inf: look properly


def _check_finite(values: np.ndarray, name: str) -> None:
    if all_finite(values):
        return
    if np.isinf(values).any():
        rdm, pair = np.argwhere(np.isinf(values))[0]
        where = f"entry {pair}"
        try:  # name the stimulus pair when the length is a triangular number
            rows, cols = upper_indices(n_stimuli_from_pairs(values.shape[1]))
            where += f" (stimuli {rows[pair]} and {cols[pair]})"
        except InvalidRDMError:
            pass
        raise InvalidRDMError(f"RDM {rdm} of {name} has an infinite dissimilarity at {where}; comparators need "
                              "finite values (NaN marks a missing pair)")


def _labels(name: str, n: int) -> tuple[str, ...]:
    return tuple(f"RDM {k} of {name}" for k in range(n))


def as_stacks(a: Any, b: Any = None, *, require_condensed: bool = False) -> tuple[Stack, Stack | None]:
    """Validate comparator inputs; return stacks for ``a`` and ``b`` (``None`` when comparing ``a`` with itself).

    Parameters
    ----------
    a, b : RDMs or array_like
        Two ``RDMs`` (``b`` is reordered to ``a``'s stimulus ids) or two arrays: condensed ``(n_pairs,)`` or
        ``(n_rdms, n_pairs)``, or square ``(n, n)`` / ``(n_rdms, n, n)`` (symmetric, zero diagonal), read by the
        rule of :mod:`neuroalign.core.rdm_arrays`. Mixing ``RDMs`` and arrays is refused: an array has no ids to
        join on.
    require_condensed : bool
        Also require ``n_pairs == n * (n - 1) / 2`` for an integer ``n`` (comparators that rebuild matrices).

    Raises
    ------
    TypeError
        If one input is ``RDMs`` and the other an array.
    StimulusMismatchError
        If two ``RDMs`` do not hold the same stimulus ids.
    ShapeMismatchError
        If shapes are not 1-D/2-D/3-D or the rows of ``a`` and ``b`` differ in length.
    AmbiguousLayoutError
        For an ``(n, n)`` array that reads as one square RDM and as ``n`` condensed ones.
    InvalidRDMError
        If a value is infinite, a square matrix is not symmetric or has a non-zero diagonal, or
        (``require_condensed``) a length is not a triangular number.
    """
    if (b is not None) and (isinstance(a, RDMs) != isinstance(b, RDMs)):
        raise TypeError(
            "cannot compare an RDMs object with a plain array: RDMs are joined by stimulus id, and an array has "
            "none. Wrap the array as RDMs(array, stimulus_ids) or pass .dissimilarities of both."
        )
    if isinstance(a, RDMs):
        x = a.dissimilarities
        y = None if b is None else b.aligned_to(a).dissimilarities
    else:
        x = _as_array(a, "a")
        y = None if b is None else _as_array(b, "b")
    _check_finite(x, "a")
    if y is not None:
        _check_finite(y, "b")
        if y.shape[1] != x.shape[1]:
            raise ShapeMismatchError(f"RDMs in a have {x.shape[1]} pairs but RDMs in b have {y.shape[1]}; "
                                     "comparators need RDMs over the same stimulus pairs")
    if require_condensed:
        n_stimuli_from_pairs(x.shape[1])
    if x.shape[1] < 2:
        raise ShapeMismatchError(f"RDMs need at least 2 pairs (3 stimuli) to be compared; got {x.shape[1]}")
    return Stack(x, _labels("a", x.shape[0])), None if y is None else Stack(y, _labels("b", y.shape[0]))
