"""Pearson, cosine, Spearman and rho-a: one row transform each, then one shared matrix product.

Each comparator maps every RDM (row) once to a vector ``z`` such that the comparison of two RDMs is the inner
product ``z_a . z_b``:

==========  ===================================================================================================
pearson     ``(d - mean d) / ||d - mean d||``
cosine      ``d / ||d||``
spearman    ``(r - mean r) / ||r - mean r||`` with ``r`` the average ranks of ``d`` (ties share their mean rank)
rho_a       ``(r - (m + 1) / 2) * sqrt(12 / (m**3 - m))``, so that ``z_a . z_b = 12 S / (m**3 - m)``
==========  ===================================================================================================

so an ``n_a x n_b`` comparison costs ``n_a + n_b`` transforms (one ranking per RDM) and one ``n_a x m x n_b``
product.
"""

from __future__ import annotations

import warnings
from functools import partial
from typing import Any, Callable

import numpy as np

from neuroalign.backend import get_backend
from neuroalign.compare.backend import cross_products
from neuroalign.errors import DegenerateRDMError
from neuroalign.compare.inputs import Stack, as_stacks
from neuroalign.compare.nan import apply_policy, joint_note, require_enough
from neuroalign.compare.ranks import centred_ranks

Transform = Callable[[Stack], np.ndarray]


# --- row transforms ------------------------------------------------------------------------------------------------
def _require_variance(s: Stack, method: str) -> None:
    flat = np.ptp(s.values, axis=1) == 0  # exact: a row is constant or it is not
    if flat.any():
        k = int(np.flatnonzero(flat)[0])
        raise DegenerateRDMError(
            f"{s.labels[k]} is constant (every dissimilarity is {s.values[k, 0]!r}); {method} is undefined for an "
            "RDM without variance. Remove it, or use a comparator that allows it (rho_a, kendall_tau_a give 0)."
        )


def _to_unit_rows(z: np.ndarray) -> np.ndarray:
    z /= np.sqrt(np.einsum("ij,ij->i", z, z))[:, None]
    return z


def _pearson_rows(s: Stack) -> np.ndarray:
    _require_variance(s, "Pearson correlation")
    return _to_unit_rows(s.values - s.values.mean(axis=1, keepdims=True))


def _cosine_rows(s: Stack) -> np.ndarray:
    zero = ~s.values.any(axis=1)
    if zero.any():
        k = int(np.flatnonzero(zero)[0])
        raise DegenerateRDMError(f"{s.labels[k]} is all zeros; the cosine is undefined for a vector without norm")
    return _to_unit_rows(s.values.copy())


def _spearman_rows(s: Stack) -> np.ndarray:
    _require_variance(s, "Spearman correlation")
    return centred_ranks(s.values, unit_norm=True)


def _rho_a_rows(s: Stack) -> np.ndarray:
    return centred_ranks(s.values, unit_norm=False)


# --- the shared core -----------------------------------------------------------------------------------------------
def _correlate(x: Stack, y: Stack | None, present: np.ndarray | None, *, transform: Transform,
               device: Any) -> np.ndarray:
    """``shared`` for :func:`apply_policy`: drop the pairs missing everywhere, transform rows, one product."""
    if present is not None:
        x = x.rows(slice(None), columns=present)
        y = None if y is None else y.rows(slice(None), columns=present)
    za = transform(x)
    zb = None if y is None else transform(y)
    return np.clip(cross_products(za, zb, device=device), -1.0, 1.0)


def _run(a: Any, b: Any, nan_policy: str, device: Any, *, method: str, transform: Transform,
         pairwise: Callable[..., np.ndarray] | None = None) -> np.ndarray:
    x, y = as_stacks(a, b)
    device = get_backend(device)  # checked once, before any work; the products read it (compare/backend.py)
    shared = partial(_correlate, transform=transform, device=device)
    vectorised = None if pairwise is None else partial(pairwise, shared=shared, device=device)
    return apply_policy(x, y, nan_policy, method=method, shared=shared, pairwise=vectorised)


# --- pairwise deletion by masked products (Pearson and cosine only: their sums add over pairs) --------------------
#: Below this fraction of its raw sum of squares, a variance computed from sums has lost more than three digits
#: to cancellation (or is zero); such RDM pairs are recomputed exactly on their joint subset.
_CANCELLATION = 1e-3


def _masked(s: Stack, *, standardise: bool) -> tuple[np.ndarray, np.ndarray]:
    present = ~np.isnan(s.values)
    values = s.values
    if standardise:  # per-row shift and scale leave every pairwise Pearson unchanged and limit cancellation below
        with warnings.catch_warnings():  # an all-NaN row warns here; it fails later with a clear MissingPairsError
            warnings.simplefilter("ignore", RuntimeWarning)
            centre = np.nanmean(values, axis=1, keepdims=True)
            scale = np.nanstd(values, axis=1, keepdims=True)
        values = (values - centre) / np.where(scale > 0, scale, 1.0)  # NaN rows stay NaN, masked below
    return np.where(present, values, 0.0), present.astype(np.float64)


def _fix_pairs(out: np.ndarray, bad: np.ndarray, x: Stack, y: Stack | None, shared: Callable) -> np.ndarray:
    """Recompute the flagged RDM pairs one by one on their joint subsets (exact; raises if truly degenerate)."""
    other = x if y is None else y
    for i, j in np.argwhere(bad):
        joint = ~np.isnan(x.values[i]) & ~np.isnan(other.values[j])
        note_x, note_y = joint_note(x, i, other, j, int(joint.sum()))
        require_enough(int(joint.sum()), f"comparing {x.labels[i]} with {other.labels[j]} on the pairs both have")
        out[i, j] = shared(x.rows(i, note=note_x), other.rows(j, note=note_y), joint)[0, 0]
    return out


def _pearson_pairwise(x: Stack, y: Stack | None, *, shared: Callable, device: Any) -> np.ndarray:
    vx, mx = _masked(x, standardise=True)
    vy, my = (vx, mx) if y is None else _masked(y, standardise=True)
    n = cross_products(mx, my, device=device)
    sx, sy = cross_products(vx, my, device=device), cross_products(mx, vy, device=device)
    sxx, syy = cross_products(vx * vx, my, device=device), cross_products(mx, vy * vy, device=device)
    sxy = cross_products(vx, vy, device=device)
    with np.errstate(divide="ignore", invalid="ignore"):
        var_x, var_y = sxx - sx * sx / n, syy - sy * sy / n
        r = (sxy - sx * sy / n) / np.sqrt(var_x * var_y)
        bad = (n < 2) | ~(var_x > _CANCELLATION * sxx) | ~(var_y > _CANCELLATION * syy)
    return np.clip(_fix_pairs(r, bad, x, y, shared), -1.0, 1.0)


def _cosine_pairwise(x: Stack, y: Stack | None, *, shared: Callable, device: Any) -> np.ndarray:
    vx, mx = _masked(x, standardise=False)
    vy, my = (vx, mx) if y is None else _masked(y, standardise=False)
    nx, ny = cross_products(vx * vx, my, device=device), cross_products(mx, vy * vy, device=device)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = cross_products(vx, vy, device=device) / np.sqrt(nx * ny)
    bad = ~((nx > 0) & (ny > 0)) | (cross_products(mx, my, device=device) < 2)
    return np.clip(_fix_pairs(r, bad, x, y, shared), -1.0, 1.0)


# --- public functions ----------------------------------------------------------------------------------------------
_PARAMETERS = """
    Parameters
    ----------
    a : RDMs or array_like, shape (n_pairs,) or (n_a, n_pairs)
        Condensed RDMs.
    b : RDMs or array_like, shape (n_pairs,) or (n_b, n_pairs), optional
        Condensed RDMs (``RDMs`` are reordered to ``a``'s stimulus ids). ``None`` compares ``a`` with itself.
    nan_policy : {"raise", "pairwise"}
        Missing (NaN) pairs: see :mod:`neuroalign.compare.nan`. Pairs missing in every RDM are always dropped.
    device : None, "auto", str or torch.device
        Where the products run (``None``: the CPU default path; see ``docs/conventions.md``, "Devices").

    Returns
    -------
    ndarray, shape (n_a, n_b), float64
"""


def pearson(a: Any, b: Any = None, *, nan_policy: str = "raise", device: Any = None) -> np.ndarray:
    """Pearson correlation between every RDM of ``a`` and every RDM of ``b``.
    {params}
    Raises
    ------
    DegenerateRDMError
        If an RDM is constant (zero variance).
    """
    return _run(a, b, nan_policy, device, method="pearson", transform=_pearson_rows, pairwise=_pearson_pairwise)


def cosine(a: Any, b: Any = None, *, nan_policy: str = "raise", device: Any = None) -> np.ndarray:
    """Cosine similarity (uncentred correlation) between every RDM of ``a`` and every RDM of ``b``.
    {params}
    Raises
    ------
    DegenerateRDMError
        If an RDM is all zeros.
    """
    return _run(a, b, nan_policy, device, method="cosine", transform=_cosine_rows, pairwise=_cosine_pairwise)


def spearman(a: Any, b: Any = None, *, nan_policy: str = "raise", device: Any = None) -> np.ndarray:
    """Spearman rank correlation (Pearson correlation of average ranks) between RDMs of ``a`` and ``b``.

    Each RDM is ranked once (ties get the average of their ranks, as ``scipy.stats.rankdata``); under
    ``nan_policy="pairwise"`` an RDM pair with missing values is re-ranked on the pairs both RDMs have.
    {params}
    Raises
    ------
    DegenerateRDMError
        If an RDM is constant (all ranks tied).
    """
    return _run(a, b, nan_policy, device, method="spearman", transform=_spearman_rows)


def rho_a(a: Any, b: Any = None, *, nan_policy: str = "raise", device: Any = None) -> np.ndarray:
    """Spearman's rho-a: ``12 * sum((r_a - (m+1)/2) * (r_b - (m+1)/2)) / (m**3 - m)`` over ``m`` pairs.

    ``r`` are average ranks. Without ties this equals Spearman's correlation; with ties it is the expected
    Spearman correlation under random tie-breaking, and it shrinks towards 0 as ties increase (a constant RDM
    gives 0). This is rsatoolbox's ``"rho-a"``.
    {params}
    """
    return _run(a, b, nan_policy, device, method="rho_a", transform=_rho_a_rows)


for _f in (pearson, cosine, spearman, rho_a):
    _f.__doc__ = _f.__doc__.replace("{params}", _PARAMETERS)  # type: ignore[union-attr]
