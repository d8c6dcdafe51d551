"""Representation sources: what sits on each side of an alignment, a model's layers or a brain region.

A source yields, for the stimuli of a study, one :class:`Representation` per "layer": features ``(n, d)`` (a model
layer, a recording's patterns, a brain RDM's embedding) and, for RDM-only data, the RDM itself. Rows follow the
study's stimulus order, joined by id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

import numpy as np

from neuroalign.alignment.embedding import embed_rdm
from neuroalign.errors.applications import AlignmentError, MissingPayloadError
from neuroalign.core.ids import positions
from neuroalign.core.rdms import RDMs
from neuroalign.core.recording import Recording
from neuroalign.core.stimuli import StimulusSet
from neuroalign.utils.canonical import SPACED, digest
from neuroalign.utils.renamed import renamed_attribute, renamed_keywords


@dataclass(frozen=True)
class Representation:
    """One layer of one source over a study's stimuli.

    Attributes
    ----------
    features : ndarray, shape (n, d)
        float64 features (for an RDM-only source, the embedding of :func:`~neuroalign.alignment.embedding.embed_rdm`).
    rdm : ndarray, shape (n, n), or None
        The measured RDM of an RDM-only source (RDM-based metrics use it instead of the features).
    distance : str or None
        The RDM's distance name (``RDMs.distance``; ``measure`` is its deprecated spelling).
    """

    features: np.ndarray
    rdm: np.ndarray | None = None
    distance: str | None = None

    measure = renamed_attribute("measure", "distance")


# ``Representation(..., measure=...)``, the field's old name, keeps working with a FutureWarning.
Representation.__init__ = renamed_keywords(measure="distance")(Representation.__init__)  # type: ignore[method-assign]


@runtime_checkable
class Source(Protocol):
    """What :func:`~neuroalign.alignment.align` needs from one side of an alignment."""

    name: str
    kind: str  # "model" or "brain"
    modality: str | None

    @property
    def layers(self) -> tuple[str, ...]:
        """The layer names, in order."""

    def stimulus_ids(self, stimuli: StimulusSet) -> tuple[str, ...]:
        """The ids of ``stimuli`` this source can represent."""

    def representations(self, stimuli: StimulusSet, ids: Sequence[str]) -> dict[str, Representation]:
        """One representation per layer, rows in the order of ``ids``."""

    def describe(self) -> dict[str, Any]:
        """Everything about the source that changes the numbers (enters the results' request keys)."""


def _sha256(doc: Any) -> str:
    # Fingerprints sit inside stored request keys, and what they hash is not stored, so no migration could
    # recompute them: they keep the spacing they were first written with (json's default).
    return digest(doc, strict=False, separators=SPACED)


def check_payloads(stimuli: StimulusSet, modality: str, source: str) -> None:
    """Raise :class:`MissingPayloadError` naming the stimuli without a usable ``modality`` payload.

    A payload is missing when the set has no such modality, when it is empty text, or when it names a file that
    does not exist.
    """
    ids = stimuli.stimulus_ids
    if modality not in stimuli.modalities:
        raise MissingPayloadError(
            f"{source} reads {modality!r} payloads, but the stimulus set {stimuli.name or ''!s} carries only "
            f"{list(stimuli.modalities)}: all {len(ids)} stimuli lack one (ids {list(ids[:10])}"
            f"{' ...' if len(ids) > 10 else ''}). Use a paired set with a {modality!r} payload per stimulus.")
    missing = []
    for sid in ids:
        value = stimuli.payload(sid, modality)
        if (isinstance(value, str) and not value.strip()) or (isinstance(value, Path) and not value.is_file()):
            missing.append(sid)
    if missing:
        raise MissingPayloadError(f"{source} reads {modality!r} payloads, but {len(missing)} of {len(ids)} stimuli "
                                  f"have none (empty or a missing file): stimulus ids {missing[:20]}"
                                  f"{' ...' if len(missing) > 20 else ''}")


def spread_layers(layers: Sequence[str], count: int | None) -> tuple[str, ...]:
    """``count`` layers evenly spread over ``layers`` (first and last included); all of them for ``None``."""
    layers = tuple(layers)
    if count is None or count >= len(layers):
        return layers
    if count < 1:
        raise AlignmentError(f"the number of layers must be >= 1; got {count}")
    if count == 1:
        return (layers[-1],)
    picks = np.unique(np.round(np.linspace(0, len(layers) - 1, count)).astype(int))
    return tuple(layers[k] for k in picks)


class ModelSource:
    """A model adapter with the layers and pooling to record, extracted through the activation cache.

    Parameters
    ----------
    adapter : Adapter
        Any model adapter (:class:`~neuroalign.models.TorchAdapter`, the HuggingFace adapters, a plugin's model).
    layers : sequence of str, optional
        Layers (or globs) to compare; the adapter's ``main_layers`` by default (every layer when it has none).
    pooling : str or mapping, optional
        As for :meth:`~neuroalign.models.Adapter.extract`; the adapter's default when omitted.
    name : str, optional
        The source's name in results; the adapter's ``model_id`` by default.
    cache, device, batch_size, progress
        Passed to ``extract``.
    """

    kind = "model"

    def __init__(self, adapter: Any, layers: Sequence[str] | None = None, *, pooling: Any = None,
                 name: str | None = None, cache: Any = "default", device: Any = "auto",
                 batch_size: int | None = None, progress: bool | None = None) -> None:
        self.adapter = adapter
        chosen = layers if layers is not None else (getattr(adapter, "main_layers", None) or adapter.layers)
        self._layers = tuple(chosen)
        self.pooling = pooling
        self.name = name or adapter.model_id
        self.modality = adapter.modality
        self._options = {"cache": cache, "device": device, "batch_size": batch_size, "progress": progress}
        self._fingerprint: str | None = None

    def __repr__(self) -> str:
        return f"ModelSource({self.name!r}, {len(self._layers)} layers, {self.modality})"

    @property
    def layers(self) -> tuple[str, ...]:
        return self._layers

    def stimulus_ids(self, stimuli: StimulusSet) -> tuple[str, ...]:
        return stimuli.stimulus_ids

    def representations(self, stimuli: StimulusSet, ids: Sequence[str]) -> dict[str, Representation]:
        check_payloads(stimuli, self.modality, f"model {self.name!r}")
        acts = self.adapter.extract(stimuli, list(self._layers), pooling=self.pooling, **self._options)
        rows = positions(acts.stimulus_ids, list(ids), source_name=f"activations of {self.name!r}")
        self._layers = tuple(acts.layer_names)  # globs resolved
        return {layer: Representation(np.asarray(acts.layer(layer), dtype=np.float64)[rows])
                for layer in acts.layer_names}

    def describe(self) -> dict[str, Any]:
        if self._fingerprint is None:
            self._fingerprint = _sha256({"model_id": self.adapter.model_id, **self.adapter.fingerprint()})
        return {"name": self.name, "kind": self.kind, "model_id": self.adapter.model_id,
                "fingerprint": self._fingerprint, "layers": list(self._layers), "pooling": self.pooling}


def _recording_features(recording: Recording) -> np.ndarray:
    """``(stimulus, channel * time)`` patterns of a recording, runs averaged."""
    patterns = recording.average_runs().patterns()[0]  # (stimulus, channel, time)
    return np.asarray(patterns.reshape(patterns.shape[0], -1), dtype=np.float64)


def average_rdm(rdms: RDMs, by: str | None = "subject") -> RDMs:
    """The mean RDM, averaging within each value of ``by`` first (sessions into subjects) where that exists."""
    if by is not None and by in rdms.descriptors.columns:
        rdms = rdms.mean_by(by)
    return rdms.mean()


class BrainSource:
    """A brain region (or any measured system) as one side of an alignment.

    Parameters
    ----------
    name : str
        The source's name in results, e.g. ``"kriegeskorte2008.human_it"``.
    data : RDMs, Recording, or mapping of layer name to either
        RDMs are averaged (within subjects first, see :func:`average_rdm`) into one RDM per layer; RDM-based
        metrics use that RDM, feature metrics its embedding (:mod:`neuroalign.alignment.embedding`). A
        recording gives patterns (runs averaged, channel x time flattened), used like a model layer.
    layer : str
        The layer name when ``data`` is not a mapping.
    """

    kind = "brain"
    modality = None

    def __init__(self, name: str, data: RDMs | Recording | Mapping[str, RDMs | Recording], *,
                 layer: str = "region") -> None:
        self.name = name
        items = dict(data) if isinstance(data, Mapping) else {layer: data}
        if not items:
            raise AlignmentError(f"brain source {name!r} has no data")
        self._data = {k: average_rdm(v) if isinstance(v, RDMs) else v for k, v in items.items()}
        for k, v in self._data.items():
            if not isinstance(v, (RDMs, Recording)):
                raise AlignmentError(f"brain source {name!r}, layer {k!r}: expected RDMs or a Recording; got "
                                     f"{type(v).__name__}")
        #: layer -> share of the embedded RDM's spectrum that was negative (dropped), after representations()
        self.negative_share: dict[str, float] = {}

    def __repr__(self) -> str:
        return f"BrainSource({self.name!r}, layers={list(self._data)})"

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(self._data)

    def stimulus_ids(self, stimuli: StimulusSet) -> tuple[str, ...]:
        shared = set.intersection(*(set(v.stimulus_ids) for v in self._data.values()))
        return tuple(sid for sid in stimuli.stimulus_ids if sid in shared)

    def representations(self, stimuli: StimulusSet, ids: Sequence[str]) -> dict[str, Representation]:
        out = {}
        for layer, value in self._data.items():
            if isinstance(value, Recording):
                out[layer] = Representation(_recording_features(value.select_stimuli(list(ids))))
                continue
            square = value.reorder(list(ids)).to_square()[0]
            embedding = embed_rdm(square, value.distance)
            self.negative_share[layer] = embedding.negative_share
            out[layer] = Representation(embedding.features, square, value.distance)
        return out

    def describe(self) -> dict[str, Any]:
        content = {}
        for layer, value in self._data.items():
            array = value.to_condensed() if isinstance(value, RDMs) else _recording_features(value)
            content[layer] = hashlib.sha256(np.ascontiguousarray(array, dtype=np.float64).tobytes()).hexdigest()
        return {"name": self.name, "kind": self.kind, "fingerprint": _sha256(content), "layers": list(self._data),
                "pooling": None}
