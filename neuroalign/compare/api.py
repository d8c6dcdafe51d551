"""``compare``: one entry point for every registered RDM comparator."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.compare.comparators import DEFAULT_COMPARATOR, Comparator, get_comparator
from neuroalign.core.rdm_arrays import CondensedRows
from neuroalign.utils.docs import fill_doc
from neuroalign.utils.renamed import renamed_keywords


@fill_doc
@renamed_keywords(method="comparator")
def compare(a: Any, b: Any = None, comparator: str | Comparator = DEFAULT_COMPARATOR, *, nan_policy: str = "raise",
            device: Any = None, **options: Any) -> np.ndarray:
    """Compare every RDM of ``a`` with every RDM of ``b``.

    Parameters
    ----------
    a : RDMs or array_like, shape (n_pairs,), (n_a, n_pairs), (n, n) or (n_a, n, n)
        Condensed RDMs (scipy's ``squareform`` order) or square ones (symmetric, zero diagonal). A 2-D ``(n, n)``
        array is one square RDM unless ``n`` is triangular and the array looks square, which is refused as
        ambiguous (see ``docs/comparators.md``); its rows are never read as RDMs.
    b : RDMs or array_like, same layouts as ``a``, optional
        ``RDMs`` are reordered to ``a``'s stimulus ids first (different id sets raise
        :class:`~neuroalign.errors.StimulusMismatchError`); ``None`` compares ``a`` with itself. An ``RDMs`` and a
        plain array cannot be mixed (the array has no ids to join on).
    %(comparator)s
    %(nan_policy)s
    %(device)s
        For the comparators that use torch; numpy runs small products on the default path.
    **options
        Comparator-specific keywords (``sigma_k`` for the whitened comparators).

    Returns
    -------
    ndarray, shape (n_a, n_b), float64
        ``out[i, j]`` compares RDM ``i`` of ``a`` with RDM ``j`` of ``b``.

    Raises
    ------
    UnknownNameError
        For an unknown ``comparator`` (close matches are suggested).
    TypeError
        For an option the comparator does not take.
    AmbiguousLayoutError
        For an ``(n, n)`` array that reads as one square RDM and as ``n`` condensed ones.

    Examples
    --------
    >>> import numpy as np
    >>> compare(np.array([1.0, 2.0, 3.0]), np.array([[1.0, 2.0, 4.0], [3.0, 2.0, 1.0]]), "spearman")
    array([[ 1., -1.]])
    """
    entry = get_comparator(comparator)
    unknown = sorted(set(options) - set(entry.options))
    if unknown:
        accepted = ", ".join(entry.options) or "none"
        raise TypeError(f"comparator {entry.name!r} takes no option {', '.join(map(repr, unknown))} "
                        f"(its options: {accepted})")
    return entry.function(a, b, nan_policy=nan_policy, device=device, **options)


def compare_condensed(a: Any, b: Any = None, comparator: str | Comparator = DEFAULT_COMPARATOR, *,
                      nan_policy: str = "raise", device: Any = None, **options: Any) -> np.ndarray:
    """:func:`compare` for stacks of condensed rows: every row is one RDM, whatever the stack's shape.

    Internal code holds ``(n_rdms, n_pairs)`` stacks (subjects, resamples, permutations) that are square only by
    coincidence, or whose rows are not RDMs over distinct stimuli (a stimulus resample repeats pairs).
    :func:`compare` would read a square stack by the public layout rule; this entry never does.

    Parameters
    ----------
    a, b : array_like, shape (n_pairs,) or (n_rdms, n_pairs)
        Condensed rows (``b=None`` compares ``a`` with itself).
    comparator, nan_policy, device, **options
        As for :func:`compare`.

    Returns
    -------
    ndarray, shape (n_a, n_b), float64

    Examples
    --------
    >>> import numpy as np
    >>> rows = np.arange(36.0).reshape(6, 6) % 5 + 1  # six RDMs of four stimuli: square by coincidence
    >>> np.fill_diagonal(rows, 0.0)  # and with a zero diagonal, compare() would refuse it as ambiguous
    >>> compare_condensed(rows[:1], rows, "spearman").shape
    (1, 6)
    """
    return compare(CondensedRows(a), None if b is None else CondensedRows(b), comparator, nan_policy=nan_policy,
                   device=device, **options)
