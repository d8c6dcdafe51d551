"""Plain arrays as RDMs: which layout an array has, and the checks a square dissimilarity matrix must pass.

An array of RDMs comes in three layouts: condensed rows ``(n_pairs,)`` / ``(n_rdms, n_pairs)``, one square matrix
``(n, n)``, or a stack of square matrices ``(n_rdms, n, n)``. Only a 2-D array whose two sides are equal reads two
ways, and the rule for it is:

- With a known number of stimuli ``m`` (an ``RDMs`` built with its ids), the shape decides: ``(m, m)`` is one
  square RDM and ``(k, m (m - 1) / 2)`` condensed rows. Both fit only for ``m = 3``.
- Without it (comparators and statistics given bare arrays), rows of ``n`` pairs are condensed RDMs only when ``n``
  is a triangular number (3, 6, 10, 15, ...); any other ``(n, n)`` array is one square RDM.
- Where both readings fit, a symmetric matrix or a zero diagonal (which a stack of condensed rows has only by
  coincidence) means the array looks square, and it is refused with :class:`AmbiguousLayoutError`, which says how
  to pass each reading; an array with neither is condensed rows. The rows of a square matrix are never read as
  RDMs.

The rule is for arrays a user passes. Internal stacks of condensed rows, which are square only by coincidence, are
wrapped in :class:`CondensedRows` and never guessed about.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from neuroalign.core.condensed import n_stimuli_from_pairs, square_to_condensed
from neuroalign.errors import AmbiguousLayoutError, InvalidRDMError, ShapeMismatchError

#: Default tolerances of the symmetry and zero-diagonal checks (``atol + rtol * largest absolute entry``). No
#: absolute part: dissimilarities of MEG data in tesla are ~1e-26, where any absolute tolerance hides asymmetry.
ATOL, RTOL = 0.0, 1e-8


def float_array(x: Any, name: str) -> np.ndarray:
    """``x`` as a float64 array; a ragged or non-numeric input becomes a :class:`ShapeMismatchError` naming ``name``."""
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ShapeMismatchError(f"{name} must be a numeric array of dissimilarities: {error}") from None


def _tolerance(mats: np.ndarray, atol: float, rtol: float) -> float:
    finite = np.abs(mats[np.isfinite(mats)])
    return atol + rtol * (float(finite.max()) if finite.size else 0.0)


def _label(ids: Sequence[str] | None, k: int) -> str:
    return repr(ids[k]) if ids is not None else f"stimulus {k}"


def check_square(mats: np.ndarray, ids: Sequence[str] | None = None, *, atol: float = ATOL, rtol: float = RTOL,
                 hint: str = "") -> None:
    """Raise unless every matrix of the ``(n_rdms, n, n)`` stack is symmetric with a zero diagonal.

    NaN marks a missing pair and must sit on both sides of the diagonal. ``hint`` is appended to the message.

    Raises
    ------
    InvalidRDMError
        Naming the RDM and the stimuli (by id when ``ids`` are given) of the first offending entry.
    """
    tol = _tolerance(mats, atol, rtol)
    diag = np.diagonal(mats, axis1=1, axis2=2)
    bad_diag = np.argwhere(~(np.abs(diag) <= tol))
    if bad_diag.size:
        rdm, i = bad_diag[0]
        raise InvalidRDMError(f"RDM {rdm} has a non-zero diagonal entry {diag[rdm, i]!r} for {_label(ids, i)}; "
                              f"a dissimilarity matrix must have zeros on its diagonal{hint}")
    flipped = mats.transpose(0, 2, 1)
    both_nan = np.isnan(mats) & np.isnan(flipped)
    bad = np.argwhere(~((np.abs(mats - flipped) <= tol) | both_nan))
    if bad.size:
        rdm, i, j = bad[0]
        a, b = _label(ids, i), _label(ids, j)
        raise InvalidRDMError(f"RDM {rdm} is not symmetric: entry ({a}, {b}) is {mats[rdm, i, j]!r} but ({b}, {a}) "
                              f"is {mats[rdm, j, i]!r}{hint}")


def square_signals(matrix: np.ndarray, *, atol: float = ATOL, rtol: float = RTOL) -> list[str]:
    """What makes an ``(n, n)`` array look like one square matrix: ``"symmetric"``, ``"a zero diagonal"`` or both."""
    tol = _tolerance(matrix, atol, rtol)
    both_nan = np.isnan(matrix) & np.isnan(matrix.T)
    signals = []
    if ((np.abs(matrix - matrix.T) <= tol) | both_nan).all():
        signals.append("symmetric")
    if (np.abs(np.diagonal(matrix)) <= tol).all():
        signals.append("a zero diagonal")
    return signals


def _triangular_root(n_pairs: int) -> int | None:
    """The number of stimuli of ``n_pairs`` condensed pairs, or ``None`` when no number of stimuli has that many."""
    try:
        return n_stimuli_from_pairs(n_pairs)
    except InvalidRDMError:
        return None


def _ambiguous(name: str, n: int, m: int, signals: list[str]) -> AmbiguousLayoutError:
    return AmbiguousLayoutError(
        f"{name} is a {n}x{n} array that is {' with '.join(signals)}: it reads as one square RDM over {n} stimuli "
        f"or as {n} condensed RDMs over {m} stimuli each, and the shape cannot say which. For one square RDM pass "
        f"a stack of shape (1, {n}, {n}) (matrix[None]) or RDMs.from_square(matrix, stimulus_ids); for condensed "
        f"rows pass RDMs.from_condensed(rows, stimulus_ids)."
    )


class CondensedRows:
    """Rows of condensed RDMs ``(n_rdms, n_pairs)``, declared as such: the layout rule never reads them as a square.

    Internal code holds stacks of condensed vectors (one row per subject, per resample, per permutation) whose shape
    can be square by coincidence (6 subjects of 4 stimuli: 6 x 6), or whose rows are not even RDMs over distinct
    stimuli (a stimulus resample repeats pairs). Such a stack is wrapped in this class before it reaches a public
    entry point, so that :func:`condensed_rows` takes it as it is and never guesses.

    Parameters
    ----------
    values : array_like, shape (n_pairs,) or (n_rdms, n_pairs)
        A 1-D vector is one row.

    Raises
    ------
    ShapeMismatchError
        For an array that is not 1-D or 2-D, or is not numeric.
    """

    __slots__ = ("values",)

    def __init__(self, values: Any) -> None:
        array = float_array(values, "condensed rows")
        if array.ndim == 1:
            array = array[None, :]
        if array.ndim != 2:
            raise ShapeMismatchError(f"condensed rows must be (n_pairs,) or (n_rdms, n_pairs); got shape {array.shape}")
        self.values = array

    def __repr__(self) -> str:
        return f"CondensedRows(shape={self.values.shape})"


def condensed_rows(x: Any, *, n_stimuli: int | None = None, name: str = "the RDMs",
                   ids: Sequence[str] | None = None) -> np.ndarray:
    """Condensed rows ``(n_rdms, n_pairs)`` of an array in any RDM layout (see the module docstring for the rule).

    Parameters
    ----------
    x : array_like
        ``(n_pairs,)``, ``(n_rdms, n_pairs)``, ``(n, n)`` or ``(n_rdms, n, n)``.
    n_stimuli : int, optional
        The number of stimuli, when known (it decides the layout of a 2-D square array).
    name : str
        What ``x`` is, for messages.
    ids : sequence of str, optional
        Stimulus ids, to name stimuli in messages about square matrices.

    Returns
    -------
    ndarray
        Float64 rows; a view of ``x`` when it already was condensed float64 rows.

    Raises
    ------
    AmbiguousLayoutError
        For a 2-D square array that reads both ways (see the module docstring).
    InvalidRDMError
        For a square matrix that is not symmetric or has a non-zero diagonal.
    ShapeMismatchError
        For arrays of other dimensions, non-square 3-D stacks, and non-numeric input.
    """
    if isinstance(x, CondensedRows):  # declared by internal code: no layout to guess
        return x.values
    values = float_array(x, name)
    if values.ndim == 1:
        return values[None, :]
    if values.ndim == 3:
        if values.shape[1] != values.shape[2]:
            raise ShapeMismatchError(f"{name}: a 3-D array must be a stack of square RDMs (n_rdms, n, n); got shape "
                                     f"{values.shape}")
        if n_stimuli is not None and values.shape[1] != n_stimuli:
            raise ShapeMismatchError(f"{name}: matrices are {values.shape[1]}x{values.shape[1]} but {n_stimuli} "
                                     "stimulus ids were given")
        check_square(values, ids)
        return square_to_condensed(values)
    if values.ndim != 2:
        raise ShapeMismatchError(f"{name} must be condensed RDMs (n_pairs,) or (n_rdms, n_pairs), one square RDM "
                                 f"(n, n) or a stack (n_rdms, n, n); got shape {values.shape}")
    n = values.shape[0]
    if values.shape[1] != n or n < 2:
        return values
    if n_stimuli is not None:
        square_fits, rows_fit = n == n_stimuli, n == n_stimuli * (n_stimuli - 1) // 2
        m = n_stimuli
    else:
        m = _triangular_root(n)
        square_fits, rows_fit = True, m is not None
    if not square_fits:
        return values
    if rows_fit:
        signals = square_signals(values)
        if signals:
            raise _ambiguous(name, n, m, signals)
        return values
    check_square(values[None], ids, hint=f" ({name} is {n}x{n}, so it must be one square RDM: {n} pairs are no "
                                         "condensed RDM)" if n_stimuli is None else "")
    return square_to_condensed(values[None])
