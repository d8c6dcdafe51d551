"""Extract a model's activations over a stimulus set, through the activation cache, into a file.

This is what ``neuroalign extract`` and :func:`neuroalign.extract` run once the model and the stimuli are resolved.
The extraction streams batch by batch into the activation cache (so an interrupted run, even one killed with
``kill -9``, resumes where it stopped, and a repeated one is a cache hit), then the result is copied block by block
into the output file. A dual encoder's reads (``image``, ``text``) each extract what the stimuli carry for them, into
one file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping, Sequence

from neuroalign.core.activations import Activations
from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import InvalidOptionError
from neuroalign.errors.adapters import StimulusModalityError
from neuroalign.models.export import FORMATS, provenance_attributes, write_hdf5, write_npz_layers, write_rsatoolbox
from neuroalign.models.layers import resolve_layers
from neuroalign.models.pooling import pooling_for_layers
from neuroalign.registry import unknown_name_error


def _reads(adapter: Any) -> list[Any]:
    """Both reads of a dual encoder named as a whole (``hf:ORG/NAME``), else the adapter alone."""
    reads = getattr(adapter, "reads", None)
    return list(reads.values()) if isinstance(reads, Mapping) and getattr(adapter, "paired", False) else [adapter]


def _plan(adapter: Any, stimuli: StimulusSet, layers: str | Sequence[str] | None) -> list[tuple[Any, list[str]]]:
    """``[(read, layer names)]``: the reads to run and their layers (each read's main layers by default)."""
    reads = _reads(adapter)
    if layers is None:
        usable = [r for r in reads if r.modality in stimuli.modalities or r.modality == "any"] if len(reads) > 1 \
            else reads
        if not usable:  # a dual encoder over stimuli it reads neither way: say so as a single model would
            raise StimulusModalityError(adapter.model_id, " or ".join(r.modality for r in reads), stimuli.modalities,
                                        stimuli.stimulus_ids[0] if len(stimuli) else "?")
        return [(r, list(getattr(r, "main_layers", None) or r.layers)) for r in usable]
    patterns = [layers] if isinstance(layers, str) else list(layers)
    if len(reads) == 1:
        return [(adapter, patterns)]
    plan: dict[int, list[str]] = {}
    for pattern in patterns:
        owners = [k for k, r in enumerate(reads) if _matches(pattern, r.layers)]
        if not owners:
            every = [name for r in reads for name in r.layers]
            raise unknown_name_error("layer", pattern, every, available=every[:60])
        for k in owners:
            plan.setdefault(k, []).append(pattern)
    return [(reads[k], names) for k, names in sorted(plan.items())]


def _matches(pattern: str, available: Sequence[str]) -> bool:
    try:
        resolve_layers(pattern, available)
    except LookupError:
        return False
    return True


def extract_activations(adapter: Any, stimuli: StimulusSet, layers: str | Sequence[str] | None = None, *,
                        pooling: Any = None, batch_size: int | None = None, device: Any = "auto",
                        cache: Any = "default", progress: bool | None = None
                        ) -> tuple[Activations, dict[str, str]]:
    """The activations of ``adapter`` (every read of a dual encoder that the stimuli carry) and each layer's
    pooling; see :func:`extract_to_file` for the parameters."""
    parts, poolings, keys = [], {}, {}
    for read, names in _plan(adapter, stimuli, layers):
        resolved = resolve_layers(names, read.layers)
        chosen = read.default_pooling if pooling is None else pooling
        poolings.update(pooling_for_layers(chosen, resolved))
        acts = read.extract(stimuli, list(resolved), pooling=chosen, batch_size=batch_size, device=device,
                            cache=cache, progress=progress)
        parts.append(acts)
        if "cache_file" in acts.descriptors:
            keys[read.model_id] = Path(acts.descriptors["cache_file"]).name.split(".")[0]
    if len(parts) == 1:
        only = parts[0]
        return Activations({n: only.source(n) for n in only.layer_names}, only.stimulus_ids, model_id=adapter_id(
            adapter), descriptors={**only.descriptors, "cache_keys": keys}), poolings
    merged = {n: part.source(n) for part in parts for n in part.layer_names}
    return Activations(merged, stimuli.stimulus_ids, model_id=adapter_id(adapter),
                       descriptors={"cache_keys": keys}), poolings


def adapter_id(adapter: Any) -> str:
    """The model's id; a dual encoder's without its read (``hf:ORG/NAME``, both reads)."""
    if len(_reads(adapter)) > 1 and getattr(adapter, "source", None) is not None:
        return adapter.source.model_id
    return adapter.model_id


def extract_to_file(adapter: Any, stimuli: StimulusSet, output: str | os.PathLike[str] | None = None, *,
                    layers: str | Sequence[str] | None = None, pooling: Any = None, batch_size: int | None = None,
                    device: Any = "auto", cache: Any = "default", progress: bool | None = None,
                    format: str | None = None) -> Activations:
    """Extract activations of ``adapter`` over ``stimuli`` and write them to ``output``.

    Parameters
    ----------
    adapter : ModelAdapter
        The model (a dual encoder's read extracts both reads the stimuli carry).
    stimuli : StimulusSet
        The stimuli.
    output : path-like, optional
        The HDF5 file (``format="hdf5"``, the default) or the folder (``"npz"``, ``"rsatoolbox"``) to write; nothing
        is written when omitted.
    layers : str or sequence of str, optional
        Layer names or globs (the model's main layers by default).
    pooling : str or mapping, optional
        The model's default per layer when omitted.
    batch_size, device, cache, progress
        As for :meth:`~neuroalign.models.Adapter.extract` (``device="auto"``: CUDA when available).
    format : str, optional
        ``"hdf5"``, ``"npz"`` (one ``<layer>.npz`` per layer) or ``"rsatoolbox"`` (one ``Dataset`` file per layer).

    Returns
    -------
    Activations
        Read lazily from the written HDF5 file, else the extraction's result.
    """
    format = format or "hdf5"
    if format not in FORMATS:
        raise InvalidOptionError(f"format {format!r} is not one of {', '.join(FORMATS)}")
    acts, poolings = extract_activations(adapter, stimuli, layers, pooling=pooling, batch_size=batch_size,
                                         device=device, cache=cache, progress=progress)
    if output is None:
        return acts
    if format == "npz":
        write_npz_layers(acts, output)
        return acts
    if format == "rsatoolbox":
        write_rsatoolbox(acts, output)
        return acts
    fingerprint = _fingerprint(adapter)
    attrs = provenance_attributes(acts.model_id or "", fingerprint, poolings, acts, stimuli.name)
    return Activations.from_hdf5(write_hdf5(acts, output, attrs, poolings))


def _fingerprint(adapter: Any) -> dict[str, Any]:
    fingerprint = getattr(adapter, "fingerprint", None)
    return dict(fingerprint()) if callable(fingerprint) else {}
