"""``compare``: one entry point for every registered RDM comparator."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.compare.comparators import get_comparator


def compare(a: Any, b: Any = None, method: str = "spearman", *, nan_policy: str = "raise", device: Any = None,
            **options: Any) -> np.ndarray:
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
    method : str
        A name or alias in :data:`~neuroalign.compare.COMPARATORS`: ``pearson``, ``cosine``, ``spearman``,
        ``rho_a``, ``kendall_tau_a``, ``whitened_cosine``, ``whitened_pearson``, ``bures_similarity``,
        ``sqbures`` (see ``docs/comparators.md``).
    nan_policy : {"raise", "pairwise"}
        What missing (NaN) pairs do. Pairs missing in every RDM are dropped (exact). Otherwise ``"raise"`` raises
        :class:`~neuroalign.compare.MissingPairsError` naming the RDMs, and ``"pairwise"`` compares each pair of
        RDMs on the pairs both have.
    device : None, "auto", str or torch.device
        Where dense products run for the comparators that use torch (``None``: the CPU default path, numpy for
        small products; ``"auto"``: CUDA when available; see ``docs/conventions.md``, "Devices").
    **options
        Comparator-specific keywords (``sigma_k`` for the whitened comparators).

    Returns
    -------
    ndarray, shape (n_a, n_b), float64
        ``out[i, j]`` compares RDM ``i`` of ``a`` with RDM ``j`` of ``b``.

    Raises
    ------
    UnknownNameError
        For an unknown ``method`` (close matches are suggested).
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
    comparator = get_comparator(method)
    unknown = sorted(set(options) - set(comparator.options))
    if unknown:
        accepted = ", ".join(comparator.options) or "none"
        raise TypeError(f"comparator {comparator.name!r} takes no option {', '.join(map(repr, unknown))} "
                        f"(its options: {accepted})")
    return comparator.function(a, b, nan_policy=nan_policy, device=device, **options)
