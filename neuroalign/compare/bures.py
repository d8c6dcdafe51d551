"""Bures similarity and squared Bures distance between the centred second-moment matrices of RDMs.

Each RDM gives ``G = -1/2 H D H``; its positive part ``G+`` (negative eigenvalues, which a non-Euclidean RDM can
have, set to 0) is a covariance-like matrix. With ``K = U diag(sqrt(lambda+))`` from one eigendecomposition per
RDM (``K K^T = G+``), the fidelity is

    F(G_a, G_b) = tr((G_a+^1/2 G_b+ G_a+^1/2)^1/2) = sum of singular values of K_a^T K_b,

so each pair of RDMs costs one ``n x n`` product and one batch of singular values, never a matrix square root.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.backend import get_backend
from neuroalign.errors import DegenerateRDMError, MissingPairsError
from neuroalign.compare.inputs import Stack, as_stacks
from neuroalign.compare.nan import check_policy
from neuroalign.compare.second_moment import CHUNK_ELEMENTS, chunks
from neuroalign.core.centring import double_centre
from neuroalign.core.condensed import n_stimuli_from_pairs


def _factors(s: Stack, device: Any) -> tuple[Any, np.ndarray]:
    """``K`` (as a torch tensor on ``device``) and ``tr(G+)`` for every RDM of the stack."""
    import torch

    dev = get_backend(device).torch_device
    n = n_stimuli_from_pairs(s.n_pairs)
    factors, traces = [], []
    for rows in chunks(s.n_rdms, n):
        g = torch.as_tensor(double_centre(s.values[rows]), device=dev)
        values, vectors = torch.linalg.eigh(g)
        positive = values.clamp(min=0.0)
        factors.append(vectors * positive.sqrt().unsqueeze(-2))
        traces.append(positive.sum(-1).cpu().numpy())
    trace = np.concatenate(traces)
    flat = ~(trace > 0)
    if flat.any():
        k = int(np.flatnonzero(flat)[0])
        raise DegenerateRDMError(f"{s.labels[k]} has no positive part: -1/2 H D H has no positive eigenvalue (an "
                                 "all-zero RDM?); the Bures comparison is undefined for it")
    return torch.cat(factors), trace


def _fidelities(x: Stack, y: Stack | None, device: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``F`` for every pair, and the traces of ``G+`` of both stacks."""
    import torch

    if np.isnan(x.values).any() or (y is not None and np.isnan(y.values).any()):
        raise MissingPairsError("the Bures comparators need complete RDMs: -1/2 H D H is undefined with missing "
                                "pairs. Fill them, or use a comparator that handles missing pairs")
    ka, ta = _factors(x, device)
    kb, tb = (ka, ta) if y is None else _factors(y, device)
    n = ka.shape[-1]
    if y is None:
        ii, jj = np.triu_indices(x.n_rdms)
    else:
        ii, jj = (g.ravel() for g in np.meshgrid(np.arange(x.n_rdms), np.arange(y.n_rdms), indexing="ij"))
    step = max(1, CHUNK_ELEMENTS // (n * n))
    values = np.empty(ii.size)
    for start in range(0, ii.size, step):
        i = torch.as_tensor(ii[start:start + step], device=ka.device)
        j = torch.as_tensor(jj[start:start + step], device=ka.device)
        cross = ka[i].transpose(-1, -2) @ kb[j]
        values[start:start + step] = torch.linalg.svdvals(cross).sum(-1).cpu().numpy()
    out = np.empty((x.n_rdms, x.n_rdms if y is None else y.n_rdms))
    out[ii, jj] = values
    if y is None:
        out[jj, ii] = values
    return out, ta, tb


_PARAMETERS = """
    Parameters
    ----------
    a : RDMs or array_like, shape (n_pairs,) or (n_a, n_pairs)
        Complete condensed RDMs (``n_pairs = n (n - 1) / 2``).
    b : RDMs or array_like, shape (n_pairs,) or (n_b, n_pairs), optional
        Complete condensed RDMs (``RDMs`` are reordered to ``a``'s stimulus ids). ``None``: ``a`` with itself.
    nan_policy : {"raise", "pairwise"}
        Accepted for a uniform signature: any missing pair raises :class:`MissingPairsError`.
    device : None, "auto", str or torch.device
        Where the eigendecompositions and singular values run (torch; ``None`` and ``"cpu"`` mean the CPU; see
        ``docs/conventions.md``, "Devices").

    Returns
    -------
    ndarray, shape (n_a, n_b), float64
"""


def bures_similarity(a: Any, b: Any = None, *, nan_policy: str = "raise", device: Any = None) -> np.ndarray:
    """Normalised Bures similarity ``F(G_a, G_b) / sqrt(tr G_a+ tr G_b+)``, in [0, 1].
    {params}
    Notes
    -----
    Equal to rsatoolbox's ``"bures"`` when both ``G`` are positive semidefinite (squared Euclidean, Euclidean,
    correlation and other Euclidean-embeddable RDMs). Otherwise rsatoolbox clips the negative eigenvalues of the
    first matrix only and divides by the unclipped traces, which makes its value asymmetric; this one is symmetric
    and is 1 for identical RDMs.
    """
    check_policy(nan_policy)
    x, y = as_stacks(a, b, require_condensed=True)
    fidelity, ta, tb = _fidelities(x, y, device)
    return np.clip(fidelity / np.sqrt(np.outer(ta, tb)), 0.0, 1.0)


def sqbures(a: Any, b: Any = None, *, nan_policy: str = "raise", device: Any = None) -> np.ndarray:
    """Squared Bures distance ``tr G_a+ + tr G_b+ - 2 F(G_a, G_b)`` (a dissimilarity: 0 for identical RDMs).
    {params}
    Notes
    -----
    Not normalised: it scales with the dissimilarities. Equal to rsatoolbox's ``"bures_metric"`` when both ``G``
    are positive semidefinite (see :func:`bures_similarity` for the difference otherwise).
    """
    check_policy(nan_policy)
    x, y = as_stacks(a, b, require_condensed=True)
    fidelity, ta, tb = _fidelities(x, y, device)
    return np.maximum(ta[:, None] + tb[None, :] - 2.0 * fidelity, 0.0)


for _f in (bures_similarity, sqbures):
    _f.__doc__ = _f.__doc__.replace("{params}", _PARAMETERS)  # type: ignore[union-attr]
