"""A noise precision as the engine applies it: none (identity), diagonal (one weight per channel), or full.

A diagonal precision is additive over channels, so it streams block by block; a full ``p x p`` precision couples
every channel with every other, so it needs all channels in one block. The identity is never materialised (a
``p x p`` identity for 400,000 units would be 1.3 TB).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import torch

from neuroalign.errors import ShapeMismatchError
from neuroalign.rdm.backend import Backend
from neuroalign.errors import InvalidOptionError


def check_precision(noise: Any, n_channels: int, where: str) -> np.ndarray | None:
    """Validate one user-given precision: ``None``, a 1-D diagonal of ``n_channels`` or a full square matrix.

    Raises
    ------
    ShapeMismatchError
        If its size does not match the number of channels.
    InvalidOptionError
        If it is not a numpy array, has NaN/Inf, a negative diagonal weight, or is not symmetric.
    """
    if noise is None:
        return None
    if isinstance(noise, torch.Tensor):
        noise = noise.detach().cpu().numpy()
    if not isinstance(noise, np.ndarray):
        raise InvalidOptionError(f"a noise precision must be a numpy array (1-D diagonal or 2-D full); got "
                                 f"{type(noise).__name__} for {where}")
    if noise.ndim not in (1, 2) or (noise.ndim == 2 and noise.shape[0] != noise.shape[1]):
        raise ShapeMismatchError(f"a noise precision must be 1-D (its diagonal) or square 2-D; got shape "
                                 f"{noise.shape} for {where}")
    if noise.shape[0] != n_channels:
        raise ShapeMismatchError(f"the noise precision is for {noise.shape[0]} channels but {where} has "
                                 f"{n_channels} channels")
    values = np.asarray(noise, dtype=np.float64)
    if not np.isfinite(values).all():
        raise InvalidOptionError(f"the noise precision for {where} contains NaN or Inf")
    diagonal = values if values.ndim == 1 else np.diagonal(values)
    if (diagonal < 0).any():
        bad = np.flatnonzero(diagonal < 0)[:5].tolist()
        raise InvalidOptionError(f"the noise precision for {where} has negative diagonal entries (channels {bad}); "
                                 "a precision matrix is positive (semi-)definite")
    if values.ndim == 2 and not _symmetric(values):
        raise InvalidOptionError(f"the noise precision for {where} is not symmetric")
    return values


def _symmetric(matrix: np.ndarray, rtol: float = 1e-10) -> bool:
    # Row bands against column bands: a whole ``matrix - matrix.T`` would double the memory of a large precision.
    tol = rtol * np.abs(matrix).max()
    band = 1024
    return all(np.abs(matrix[k:k + band] - matrix[:, k:k + band].T).max() <= tol
               for k in range(0, matrix.shape[0], band))


@dataclass(frozen=True)
class Precision:
    """The precisions of a batch of ``B`` entries over ``p`` channels.

    ``weights`` is None (identity), ``(B or 1, p)`` (diagonal) or ``(B or 1, p, p)`` (full); a leading 1 is shared
    by every entry.
    """

    weights: torch.Tensor | None

    @property
    def is_full(self) -> bool:
        """Whether the precision couples channels (and so needs every channel in one block)."""
        return self.weights is not None and self.weights.ndim == 3

    def apply(self, block: torch.Tensor, span: tuple[int, int], backend: Backend) -> torch.Tensor:
        """``block @ P`` for a ``(B, R, n, c)`` block holding channels ``span = (start, stop)``."""
        if self.weights is None:
            return block
        start, stop = span
        if self.is_full:
            if (start, stop) != (0, self.weights.shape[-1]):
                raise InvalidOptionError("a full noise precision needs all channels in one block")  # guarded earlier
            return backend.product(block, self.weights[:, None])
        return torch.mul(block, self.weights[:, None, None, start:stop], out=backend.empty(block.shape))

    @classmethod
    def stack(cls, per_entry: Sequence[np.ndarray | None], backend: Backend) -> "Precision":
        """Build from one checked precision (or None) per batch entry; shared objects are not repeated."""
        if all(w is None for w in per_entry):
            return cls(None)
        if all(w is per_entry[0] for w in per_entry):
            per_entry = per_entry[:1]
        full = any(w is not None and w.ndim == 2 for w in per_entry)
        p = next(w.shape[0] for w in per_entry if w is not None)
        rows = [_as_kind(w, p, full) for w in per_entry]
        return cls(backend.tensor(np.stack(rows)))


def _as_kind(weights: np.ndarray | None, p: int, full: bool) -> np.ndarray:
    # Only a batch that mixes full precisions with others materialises identities or diagonals as matrices.
    if weights is None:
        weights = np.ones(p)
    if full and weights.ndim == 1:
        return np.diag(weights)
    return weights
