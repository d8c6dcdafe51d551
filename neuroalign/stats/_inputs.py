"""Model and data RDMs as two condensed arrays over the same stimulus pairs (joined by id when both are RDMs)."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.core.rdm_arrays import condensed_rows
from neuroalign.core.rdms import RDMs
from neuroalign.errors import ShapeMismatchError


def paired_condensed(models: Any, data: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(n_models, n_pairs)`` and ``(n_data, n_pairs)`` float64 arrays; ``data`` is reordered to ``models``' ids.

    Arrays may be condensed or square, as :func:`~neuroalign.core.rdm_arrays.condensed_rows` reads them.

    Raises
    ------
    TypeError
        If one input is ``RDMs`` and the other an array: the array has no ids to join on (as in ``compare``).
    """
    if isinstance(models, RDMs) != isinstance(data, RDMs):
        raise TypeError("cannot pair RDMs with a plain array: RDMs are joined by stimulus id, and an array has "
                        "none. Wrap the array as RDMs(array, stimulus_ids) or pass .dissimilarities of both.")
    if isinstance(models, RDMs):
        data = data.aligned_to(models)
    # Plain arrays may be square RDMs: read them by the package's one layout rule (rows of a square are no RDMs).
    a = models.dissimilarities if isinstance(models, RDMs) else condensed_rows(models, name="the model RDMs")
    b = data.dissimilarities if isinstance(data, RDMs) else condensed_rows(data, name="the data RDMs")
    if a.shape[1] != b.shape[1]:
        raise ShapeMismatchError(f"model RDMs have {a.shape[1]} pairs but data RDMs have {b.shape[1]}")
    return a, b
