"""Model and data RDMs as two condensed arrays over the same stimulus pairs (joined by id when both are RDMs)."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.core.rdms import RDMs
from neuroalign.errors import ShapeMismatchError


def paired_condensed(models: Any, data: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(n_models, n_pairs)`` and ``(n_data, n_pairs)`` float64 arrays; ``data`` is reordered to ``models``' ids."""
    if isinstance(models, RDMs) and isinstance(data, RDMs):
        data = data.aligned_to(models)
    a = np.atleast_2d(np.asarray(models.dissimilarities if isinstance(models, RDMs) else models, dtype=np.float64))
    b = np.atleast_2d(np.asarray(data.dissimilarities if isinstance(data, RDMs) else data, dtype=np.float64))
    if a.shape[1] != b.shape[1]:
        raise ShapeMismatchError(f"model RDMs have {a.shape[1]} pairs but data RDMs have {b.shape[1]}")
    return a, b
