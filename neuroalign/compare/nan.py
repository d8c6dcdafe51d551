"""Missing pairs (NaN) in comparisons: when dropping them is exact, and pairwise deletion when it is not.

A comparator supplies ``shared(x, y, present)``: its many-vs-many computation for stacks in which every RDM misses
the same pairs (``present`` marks the pairs to use, ``None`` when nothing is missing). This module decides how to
call it:

* nothing missing, or every RDM of both stacks missing exactly the same pairs: one call, exact under any policy
  (pairwise deletion would drop the same pairs for every pair of RDMs);
* otherwise, ``nan_policy="raise"`` raises :class:`MissingPairsError` naming the RDMs with missing pairs, and
  ``nan_policy="pairwise"`` compares each pair of RDMs on the pairs both have: complete RDMs against complete RDMs
  in one vectorised call, every other pair of RDMs in its own call (rank-based comparators must re-rank on the
  joint subset, so that loop cannot be vectorised). A comparator whose algebra allows it passes a vectorised
  ``pairwise(x, y)`` instead.

Each pair of RDMs uses its own joint mask only, so one RDM's missing pairs never change another pair's result.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from neuroalign.errors import MissingPairsError
from neuroalign.compare.inputs import Stack, all_finite

#: Accepted values of ``nan_policy``.
NAN_POLICIES = ("raise", "pairwise")

Shared = Callable[[Stack, "Stack | None", "np.ndarray | None"], np.ndarray]
Pairwise = Callable[[Stack, "Stack | None"], np.ndarray]


def check_policy(nan_policy: str) -> None:
    """Raise ``ValueError`` unless ``nan_policy`` is one of :data:`NAN_POLICIES`."""
    if nan_policy not in NAN_POLICIES:
        raise ValueError(f"nan_policy must be one of {NAN_POLICIES}; got {nan_policy!r}")


def _missing_summary(stacks: list[Stack], masks: list[np.ndarray]) -> str:
    parts = [f"{s.labels[k]} misses {int((~m[k]).sum())}"
             for s, m in zip(stacks, masks) for k in np.flatnonzero(~m.all(axis=1))]
    shown = "; ".join(parts[:6]) + (f"; and {len(parts) - 6} more RDMs" if len(parts) > 6 else "")
    return shown


def joint_note(x: Stack, i: int, y: Stack, j: int, n_joint: int) -> tuple[str, str]:
    """Label suffixes that say an error arose on the pairs two RDMs share."""
    return (f" (compared with {y.labels[j]} on the {n_joint} pairs both have)",
            f" (compared with {x.labels[i]} on the {n_joint} pairs both have)")


def require_enough(n_present: int, what: str, minimum: int = 2) -> None:
    """Raise :class:`MissingPairsError` when fewer than ``minimum`` pairs are left to compare."""
    if n_present < minimum:
        raise MissingPairsError(f"{what} leaves {n_present} pair(s) to compare; at least {minimum} are needed")


def apply_policy(x: Stack, y: Stack | None, nan_policy: str, *, method: str, shared: Shared,
                 pairwise: Pairwise | None = None) -> np.ndarray:
    """Compute an ``(n_a, n_b)`` comparison matrix, handling missing pairs as the module docstring describes.

    Parameters
    ----------
    x, y : Stack
        The two stacks (``y`` None: ``x`` against itself).
    nan_policy : {"raise", "pairwise"}
    method : str
        Comparator name, for messages.
    shared : callable
        ``shared(x, y, present)`` as described in the module docstring.
    pairwise : callable, optional
        A vectorised pairwise-deletion computation; without it, RDM pairs with missing values are computed one by
        one through ``shared``.
    """
    check_policy(nan_policy)
    if all_finite(x.values) and (y is None or all_finite(y.values)):  # the common case, without building masks
        return shared(x, y, None)
    mx = ~np.isnan(x.values)
    my = None if y is None else ~np.isnan(y.values)
    all_masks = mx if my is None else np.concatenate([mx, my])
    if all_masks.all():
        return shared(x, y, None)
    if (all_masks == all_masks[0]).all():  # identical missing pairs everywhere: drop them once, exactly
        require_enough(int(all_masks[0].sum()), "dropping the pairs missing in every RDM")
        return shared(x, y, all_masks[0])
    if nan_policy == "raise":
        stacks, masks = ([x], [mx]) if y is None else ([x, y], [mx, my])
        raise MissingPairsError(
            f"{method}: RDMs miss different pairs ({_missing_summary(stacks, masks)}). Pass "
            "nan_policy='pairwise' to compare each pair of RDMs on the pairs both have, or fill the missing pairs."
        )
    if pairwise is not None:
        return pairwise(x, y)
    return _pair_by_pair(x, y, mx, my, shared)


def _pair_by_pair(x: Stack, y: Stack | None, mx: np.ndarray, my: np.ndarray | None, shared: Shared) -> np.ndarray:
    symmetric = y is None
    if symmetric:
        y, my = x, mx
    out = np.empty((x.n_rdms, y.n_rdms))
    full_x, full_y = mx.all(axis=1), my.all(axis=1)
    if full_x.any() and full_y.any():
        block = shared(x.rows(full_x), None if symmetric else y.rows(full_y), None)
        out[np.ix_(full_x, full_y)] = block
    for i in range(x.n_rdms):
        for j in range(i if symmetric else 0, y.n_rdms):
            if full_x[i] and full_y[j]:
                continue
            joint = mx[i] & my[j]
            n_joint = int(joint.sum())
            require_enough(n_joint, f"comparing {x.labels[i]} with {y.labels[j]} on the pairs both have")
            note_x, note_y = joint_note(x, i, y, j, n_joint)
            out[i, j] = shared(x.rows(i, note=note_x), y.rows(j, note=note_y), joint)[0, 0]
            if symmetric:
                out[j, i] = out[i, j]
    return out
