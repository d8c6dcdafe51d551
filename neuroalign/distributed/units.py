"""Work units: what a worker is asked to compute (one model x benchmark request), and what it gives back.

A unit carries references, not loaded objects: a model id (loaded on the worker through its plugin) or a
picklable adapter, and a benchmark id or benchmark object. The worker computes the score and returns it with its
timing; it never touches the results store, which only the client writes.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, Mapping

from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.benchmarks.scoring import layers_of, resolve_model, score
from neuroalign.errors.applications import UnshippableModelError
from neuroalign.distributed.memory import worker_memory_limit


@dataclass(frozen=True)
class ModelInfo:
    """What the client needs of a model to key its requests, without holding the model itself."""

    model_id: str
    modality: str | None
    model_fingerprint: Mapping[str, Any]
    #: The layers a request without ``layers`` reads (the adapter's ``main_layers``, else all its layers), so
    #: that a stored layer profile is found without loading the model; None when not known.
    default_layers: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.default_layers is not None:  # a recorded list (JSON) and a tuple describe the same model
            object.__setattr__(self, "default_layers", tuple(self.default_layers))

    def fingerprint(self) -> dict[str, Any]:
        """The model's fingerprint (as ``adapter.fingerprint()``)."""
        return dict(self.model_fingerprint)


@dataclass(frozen=True)
class WorkUnit:
    """One model x benchmark request: the references a worker resolves and the options of :func:`score`.

    ``position`` is the request's ``(model index, benchmark index)`` in the grid, so that results gathered in
    completion order are reported in grid order.
    """

    position: tuple[int, int]
    key: str
    model: Any
    benchmark: Any
    layers: Any = None
    pooling: Any = None
    stats: StatsPolicy | None = None
    device: Any = "auto"
    cache: Any = "default"
    progress: bool | None = False

    @property
    def name(self) -> str:
        """``model on benchmark``, for messages and task names."""
        model = self.model if isinstance(self.model, str) else getattr(self.model, "model_id", "model")
        bench = self.benchmark if isinstance(self.benchmark, str) else getattr(self.benchmark, "id", "benchmark")
        return f"{model} on {bench}"


@dataclass(frozen=True)
class TaskResult:
    """A worker's answer: the score, when it started and how long it took."""

    score: Any
    started_at: dt.datetime
    duration_s: float


# One loaded model per process: consecutive units of the same model (the serial order, and a worker that draws
# several units of one model) load it once.
_LOADED: dict[str, Any] = {}


def load_model_once(ref: Any) -> Any:
    """The adapter of ``ref`` (an id is loaded through its plugin and kept until another id is asked for)."""
    if not isinstance(ref, str):
        return ref
    if ref not in _LOADED:
        _LOADED.clear()
        _LOADED[ref] = resolve_model(ref)
    return _LOADED[ref]


def describe_model(ref: Any) -> ModelInfo:
    """The :class:`ModelInfo` of a model id or adapter.

    An id whose fingerprint was recorded from unchanged weights files is described from that record, without
    importing torch (:mod:`neuroalign.distributed.fingerprint_memo`); otherwise the model is loaded (the process
    keeps it for its units) and, for an id, its fingerprint recorded.
    """
    from neuroalign.distributed import fingerprint_memo

    if isinstance(ref, str) and ref not in _LOADED:
        known = fingerprint_memo.recall(ref)
        if known is not None:
            return ModelInfo(**known)
    model = load_model_once(ref)
    info = ModelInfo(model_id=getattr(model, "model_id", str(ref)), modality=getattr(model, "modality", None),
                     model_fingerprint=model.fingerprint(), default_layers=_default_layers(model))
    if isinstance(ref, str):
        fingerprint_memo.remember(ref, model, {"model_id": info.model_id, "modality": info.modality,
                                               "model_fingerprint": dict(info.model_fingerprint),
                                               "default_layers": None if info.default_layers is None else
                                               list(info.default_layers)})
    return info


def _default_layers(model: Any) -> tuple[str, ...] | None:
    """:func:`~neuroalign.benchmarks.scoring.layers_of` of ``model`` without ``layers``, or None when the adapter
    cannot list its layers (a precomputed table lists them; every adapter should, but a user's may not)."""
    try:
        return tuple(str(name) for name in layers_of(model, None))
    except Exception:  # noqa: BLE001 - an adapter's layer listing may raise anything; the list is a shortcut
        return None


def describe_entry(entry: tuple[int, Any]) -> ModelInfo:
    """:func:`describe_model` of an ``(index, model reference)`` pair (the grid keeps the index)."""
    return describe_model(entry[1])


def check_shippable(model: Any) -> None:
    """Raise :class:`UnshippableModelError` unless the adapter object pickles (to be sent to a worker)."""
    import cloudpickle

    try:
        cloudpickle.dumps(model)
    except Exception as error:  # pickling raises many types (TypeError, PicklingError, AttributeError...)

        raise UnshippableModelError(
            f"model {getattr(model, 'model_id', model)!r} cannot be sent to the workers: pickling it failed with "
            f"{type(error).__name__}: {error}. Give its registered model id instead (the workers load it), or run "
            "the grid serially.") from error


def run_unit(unit: WorkUnit) -> TaskResult:
    """Score one unit in this process (serial executor) or on a worker; the caller stores the result."""
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    result = score(load_model_once(unit.model), unit.benchmark, layers=unit.layers, pooling=unit.pooling,
                   stats=unit.stats, device=unit.device, cache=unit.cache, progress=unit.progress,
                   memory_limit=worker_memory_limit())
    return TaskResult(score=result, started_at=started, duration_s=time.perf_counter() - clock)
