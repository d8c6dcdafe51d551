""":class:`ResultRecord`: a :class:`~neuroalign.core.Score` with the context that identifies it, ready to store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from neuroalign.core.score import Score
from neuroalign.store.canonical import plain
from neuroalign.store.key import as_label, request_key
from neuroalign.store.timestamps import to_utc_iso


@dataclass(frozen=True)
class ResultRecord:
    """One scored request to write with :meth:`ResultsStore.put`.

    Parameters
    ----------
    score : Score
        The result.
    model_id, benchmark_id : str
        What was scored against what.
    benchmark_version : str
        The benchmark's version (an int is turned into its decimal text).
    parameters : mapping
        Everything else that changes the number; part of the request key (put the layer here too when each
        layer is its own request).
    layer : str, optional
        The layer the result is for or was committed to (an int index is turned into text); not part of the key.
    kind : str
        ``"score"`` (default), ``"layer_sweep"``, ``"alignment"``, or another label; part of the key.
    seed : int, optional
        The random seed used; recorded, not part of the key (put it in ``parameters`` if it defines the request).
    started_at : datetime or str, optional
        When the computation started; a time-zone-aware datetime or ISO 8601 text, stored in UTC.
    duration_s : float, optional
        How long it took, in seconds.
    provenance : mapping, optional
        Provenance to store on top of ``score.provenance`` (e.g. ``{"environment": environment_provenance()}``);
        nested mappings are merged, these values winning on conflicts.
    """

    score: Score
    model_id: str
    benchmark_id: str
    benchmark_version: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    layer: str | None = None
    kind: str = "score"
    seed: int | None = None
    started_at: datetime | str | None = None
    duration_s: float | None = None
    provenance: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.score, Score):
            raise TypeError(f"score must be a neuroalign Score; got {type(self.score).__name__}")
        for name in ("model_id", "benchmark_id", "kind"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ValueError(f"{name} must be a non-empty string; got {value!r}")
        object.__setattr__(self, "benchmark_version", as_label("benchmark_version", self.benchmark_version))
        object.__setattr__(self, "layer", as_label("layer", self.layer, optional=True))
        if self.seed is not None:
            seed = plain(self.seed)
            if not isinstance(seed, int) or isinstance(seed, bool):
                raise TypeError(f"seed must be an integer; got {self.seed!r}")
            object.__setattr__(self, "seed", seed)
        if self.started_at is not None:
            object.__setattr__(self, "started_at", to_utc_iso(self.started_at))
        # validate now, so a bad parameter fails where the record is built, not inside a transaction
        object.__setattr__(self, "parameters", plain(dict(self.parameters)))

    @property
    def request_key(self) -> str:
        """The :func:`~neuroalign.store.request_key` of this request."""
        return request_key(self.model_id, self.benchmark_id, self.benchmark_version, self.parameters, kind=self.kind)
