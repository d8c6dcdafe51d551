"""Conformance checks of a model plugin: ``load()`` gives an adapter that extracts what it declares."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import numpy as np

from neuroalign.plugins.check.results import require
from neuroalign.plugins.check.stimuli import N_STIMULI, generated_stimuli
from neuroalign.plugins.contracts import as_model_adapter, require_callable
from neuroalign.plugins.resolve import PluginRecord


def declared_units(load: Any) -> dict[str, int] | None:
    """The optional ``LAYER_UNITS`` mapping (layer -> units under the default pooling) of the entry point's
    module."""
    units = getattr(sys.modules.get(getattr(load, "__module__", ""), None), "LAYER_UNITS", None)
    return dict(units) if units else None


def layers_to_check(adapter: Any, units: dict[str, int] | None) -> list[str]:
    """The declared layers, else the adapter's ``main_layers``, else its first and last layer."""
    if units:
        return list(units)
    main = getattr(adapter, "main_layers", None)
    if main:
        return list(main)
    layers = list(adapter.layers)
    require(bool(layers), "the adapter has no layers")
    return sorted({layers[0], layers[-1]}, key=layers.index)


def _extract(adapter: Any, stimuli: Any, layers: list[str], batch_size: int) -> Any:
    return adapter.extract(stimuli, layers, cache=None, device="cpu", batch_size=batch_size, progress=False)


def _rows_by_id(activations: Any, stimuli: Any, what: str) -> np.ndarray:
    """Positions of the stimuli's ids among the activations' rows: rows are joined by id, in any order."""
    returned = tuple(activations.stimulus_ids)
    missing = [i for i in stimuli.stimulus_ids if i not in returned]
    extra = [i for i in returned if i not in stimuli.stimulus_ids]
    require(not missing and not extra and len(returned) == len(set(returned)),
            f"the activations ({what}) must hold one row per stimulus, labelled by its id: missing {missing[:5]}, "
            f"extra {extra[:5]}, {len(returned)} rows for {len(stimuli.stimulus_ids)} stimuli")
    where = {sid: k for k, sid in enumerate(returned)}
    return np.array([where[sid] for sid in stimuli.stimulus_ids])


def check_extraction(record: PluginRecord) -> str:
    """``load()`` returns a model adapter; on generated stimuli of its modality every checked layer comes back as
    a finite ``(n_stimuli, units)`` matrix with the declared units, the same in one batch as in batches of one.

    Rows are matched to stimuli by their ids (the package's rule everywhere), so an adapter may return them in
    any order."""
    load = record.obj
    require_callable(load, "model", record.id, "a load(**options) function")
    adapter = as_model_adapter(load(), record.id)
    units = declared_units(load)
    layers = layers_to_check(adapter, units)
    with tempfile.TemporaryDirectory() as folder:
        stimuli = generated_stimuli(adapter.modality, Path(folder))
        whole = _extract(adapter, stimuli, layers, N_STIMULI)
        single = _extract(adapter, stimuli, layers, 1)
    whole_rows = _rows_by_id(whole, stimuli, "one batch")
    single_rows = _rows_by_id(single, stimuli, "batches of one")
    shapes = []
    for layer in layers:
        x = np.asarray(whole.layer(layer))
        require(x.ndim == 2 and x.shape[0] == N_STIMULI, f"layer {layer!r} has shape {x.shape}; expected "
                                                         f"({N_STIMULI}, units)")
        require(bool(np.isfinite(x).all()), f"layer {layer!r} has NaN or Inf values")
        if units:
            require(x.shape[1] == units[layer], f"layer {layer!r} has {x.shape[1]} units; LAYER_UNITS declares "
                                                f"{units[layer]}")
        scale = float(np.abs(x).max()) or 1.0
        x, x_single = x[whole_rows], np.asarray(single.layer(layer))[single_rows]
        require(np.allclose(x, x_single, rtol=1e-4, atol=1e-4 * scale),
                f"layer {layer!r} differs between one batch and batches of one (is the model in eval mode?)")
        shapes.append(f"{layer} {x.shape[1]}")
    return f"{adapter.modality} model; units: {', '.join(shapes)}"


#: (check name, check) pairs of a model plugin.
MODEL_CHECKS: list[tuple[str, Callable[[PluginRecord], str]]] = [
    ("load() extracts its layers with the declared shapes", check_extraction)]
