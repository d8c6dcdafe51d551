"""Many-vs-many alignment: one measure between every pair of representations, in one call.

Every representation is validated, converted and *prepared* once (:meth:`Metric.prepare`: centring, self-terms,
Grams where a measure shares them), then each pair costs only its cross term. Layers of one model against layers
of another, or models against brain regions, are both "representations" here.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd
import torch

from neuroalign.backend import get_backend
from neuroalign.core.activations import Activations
from neuroalign.core.ids import positions, require_same_ids
from neuroalign.errors import ShapeMismatchError
from neuroalign.metrics.base import Metric, as_representation
from neuroalign.metrics.registry import get_metric

Representations = Mapping[str, Any] | Activations


def _as_mapping(reps: Representations, order: tuple[str, ...] | None) -> tuple[dict[str, Any], tuple[str, ...] | None]:
    """Name -> matrix; for :class:`Activations`, rows reordered to ``order`` by stimulus id (never by position)."""
    if isinstance(reps, Activations):
        ids = reps.stimulus_ids
        if order is None:
            return {name: reps.layer(name) for name in reps.layer_names}, ids
        require_same_ids(ids, order, a_name=f"activations of {reps.model_id!r}", b_name="the other representations")
        rows = positions(ids, order)
        return {name: reps.layer(name)[rows] for name in reps.layer_names}, order
    if not reps:
        raise ShapeMismatchError("alignment_matrix needs at least one representation on each side")
    return dict(reps), order


def alignment_matrix(a: Representations, b: Representations | None = None, metric: str | Metric = "cka.linear",
                     *, device: str | torch.device | None = None) -> pd.DataFrame:
    """The measure between every representation of ``a`` and every representation of ``b``.

    Parameters
    ----------
    a, b : mapping of name to array, or Activations
        Representations ``(n, d_k)`` of the same ``n`` stimuli. :class:`~neuroalign.core.activations.Activations`
        are joined by stimulus id (``b``'s rows are reordered to ``a``'s); plain arrays carry no ids, so their rows
        must already be in the same stimulus order. ``b=None`` compares ``a`` with itself.
    metric : str or Metric
        A registered id (``"cka.linear"``, ``"knn.mutual.10"``, ...) or a measure object.
    device : None, "auto", str or torch.device
        Where the computation runs: torch on the CPU for ``None`` and ``"cpu"``, CUDA for ``"cuda"`` or for
        ``"auto"`` with a GPU (``docs/conventions.md``, "Devices").

    Returns
    -------
    pandas.DataFrame
        Rows are ``a``'s names, columns ``b``'s names. For a symmetric measure with ``b=None`` each unordered pair
        is computed once.
    """
    measure = get_metric(metric) if isinstance(metric, str) else metric
    reps_a, ids = _as_mapping(a, None)
    reps_b, _ = _as_mapping(a if b is None else b, ids)
    dev = get_backend(device).torch_device

    def prepared(reps: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for name, matrix in reps.items():
            tensor = as_representation(matrix, name, measure.info).to(dev)
            out[name] = (tensor.shape[0], measure.prepare(tensor))
        return out

    prep_a = prepared(reps_a)
    prep_b = prep_a if b is None else prepared(reps_b)
    sizes = {n for n, _ in prep_a.values()} | {n for n, _ in prep_b.values()}
    if len(sizes) != 1:
        raise ShapeMismatchError(f"{measure.info.id}: representations have different numbers of stimuli {sorted(sizes)}")
    values = np.empty((len(prep_a), len(prep_b)))
    names_b = list(prep_b)
    for i, (name_a, (_, pa)) in enumerate(prep_a.items()):
        for j, name_b in enumerate(names_b):
            if b is None and measure.info.symmetric and j < i:
                values[i, j] = values[j, i]
                continue
            values[i, j] = float(measure.compute_prepared(pa, prep_b[name_b][1]))
    return pd.DataFrame(values, index=list(prep_a), columns=names_b)
