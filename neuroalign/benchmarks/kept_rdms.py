"""The model's and the brain's RDM of a score, kept in its provenance for the report (small stimulus sets only).

An RSA score on at most :data:`KEPT_UP_TO` stimuli keeps, under ``provenance["details"]["rdms"]``, the layer's
RDM and the subjects' mean RDM on the scored stimuli, in the same stimulus order, so that the report can draw them
side by side without loading the model or the data again. Values are rounded to 6 significant digits (the
figure needs no more, and the store stays small: 92 stimuli are 2 x 4186 numbers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping


if TYPE_CHECKING:  # the containers import pandas; listing benchmarks imports this module and must stay light
    import numpy as np
    from neuroalign.core.rdms import RDMs

#: The most stimuli whose RDMs a score keeps.
KEPT_UP_TO = 100


def _rounded(values: np.ndarray) -> list[float | None]:
    import numpy as np

    return [None if not np.isfinite(v) else float(f"{v:.6g}") for v in np.asarray(values, dtype=np.float64)]


def kept_rdms(model: RDMs, target: RDMs, categories: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """``{"stimulus_ids", "model", "model_distance", "brain", "brain_distance", "n_subjects", "categories"}``
    (condensed RDMs in scipy order; ``categories`` per stimulus, in the same order, or None), or None above
    :data:`KEPT_UP_TO` stimuli."""
    if model.n_stimuli > KEPT_UP_TO:
        return None
    ids = model.stimulus_ids
    brain = target.reorder(ids).mean()
    labels = [str(categories[i]) for i in ids] if categories and all(i in categories for i in ids) else None
    return {"stimulus_ids": list(ids), "model": _rounded(model.to_condensed()[0]), "model_distance": model.distance,
            "brain": _rounded(brain.to_condensed()[0]), "brain_distance": target.distance,
            "n_subjects": int(target.n_rdms), "categories": labels}


def stimulus_categories(stimuli: Any) -> dict[str, str] | None:
    """``{stimulus id: category}`` from a stimulus set's ``category`` metadata column, or None without one."""
    metadata = getattr(stimuli, "metadata", None)
    if metadata is None or "category" not in metadata.columns:
        return None
    return {str(i): str(c) for i, c in zip(stimuli.stimulus_ids, metadata["category"])}
