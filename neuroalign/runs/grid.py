"""``run(models, benchmarks)``: score a grid of models on benchmarks, every result kept in the results store.

Each model x benchmark request has a key (the model's id and fingerprint, the benchmark's id and version, the
layers, pooling and statistics policy; see :func:`neuroalign.store.request_key`). A request already in the store
is answered from it unless ``force``; every new score is written in its own transaction as soon as it is
computed, so a grid interrupted at any point resumes where it stopped. A model is loaded once for all its
benchmarks; a pair whose modalities do not fit (a vision model on a text benchmark) is reported as skipped.

Several grids may write one store at once: a request another process stored while this one computed it is
reported as already stored, and the row stored first is kept. A request that fails does not stop the grid: every
other request runs, and the failures are raised together at the end (:class:`GridError`).
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from neuroalign.backend import resolve_device
from neuroalign.errors.benchmarks import GridError
from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.benchmarks.scoring import modality_mismatch, resolve_benchmark
from neuroalign.distributed.executors import SerialExecutor, TaskFailure, as_executor
from neuroalign.distributed.units import WorkUnit, check_shippable, describe_entry, run_unit
from neuroalign.store import RequestKeyMismatchError, ResultRecord, ResultsStore, request_key
from neuroalign.store.default_store import RESULTS_ENV, default_store_path, open_store  # noqa: F401 (public here)
from neuroalign.utils.progress import progress_bar

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class GridRow:
    """The outcome of one model x benchmark request.

    ``status`` is ``"scored"``, ``"stored"`` (found in the store; ``reason`` says when another process stored it
    while this one computed it), ``"skipped"`` (modalities do not fit) or ``"failed"`` (``reason`` holds the
    error, ``error`` the exception).
    """

    model: str
    benchmark: str
    status: str
    key: str | None
    score: Any = None
    reason: str | None = None
    error: BaseException | None = None


#: What a grid row says of a request another process stored while this one computed it.
STORED_MEANWHILE = "already stored by another run while this one computed it; the stored result is kept"


def request_parameters(model: Any, layers: Any, pooling: Any, policy: StatsPolicy) -> dict[str, Any]:
    """Everything besides the ids that changes a score: the model's fingerprint, layers, pooling, policy."""
    return {"model_fingerprint": model.fingerprint(), "layers": layers, "pooling": pooling,
            "stats": policy.as_dict()}


def run(models: Sequence[Any], benchmarks: Sequence[Any], *, store: Any = None, force: bool = False,
        layers: str | Sequence[str] | None = None, pooling: Any = None, stats: StatsPolicy | None = None,
        device: Any = "auto", cache: Any = "default", progress: bool | None = None, executor: Any = None,
        on_result: Callable[[GridRow], None] | None = None) -> "pd.DataFrame":
    """Score every model on every benchmark, answering from (and writing to) the results store.

    Parameters
    ----------
    models : sequence of model adapters or model ids
        Ids are loaded where the work runs (on the workers of a distributed executor); an adapter object is
        shipped to the workers by pickling.
    benchmarks : sequence of Benchmark or benchmark ids
    store : ResultsStore or path, optional
        The results database (see :func:`default_store_path`). Only this process writes it.
    force : bool
        Recompute requests already in the store (the stored result is replaced in one transaction).
    layers, pooling, stats, device, cache, progress
        As for :func:`neuroalign.score`; ``stats`` overrides every benchmark's own policy. With a distributed
        executor ``cache`` must be a directory every worker sees.
    executor : None, "serial" or an executor, optional
        Where the requests run: in this process, one after the other (the default), or on Dask
        (:class:`neuroalign.distributed.DaskExecutor`). The results are the same.
    on_result : callable, optional
        Called with each :class:`GridRow` as soon as it is stored (scored), found (stored, skipped) or failed.

    Returns
    -------
    pandas.DataFrame
        One row per request, in model x benchmark order: ``model``, ``benchmark``, ``status`` (``scored``,
        ``stored`` or ``skipped``), ``value``, ``ceiling``, ``ceiling_low``, ``normalized``, ``interval_low``,
        ``interval_high``, ``layer``, ``reason``, ``key`` (no score: the score's fields are None).

    Raises
    ------
    GridError
        After every request has run, when some failed (a model that does not load, a score that raises): the
        error lists each failed model x benchmark with its error, and carries the whole table (``.table``, the
        failed rows with status ``"failed"``). Every other request's result is stored.
    """
    import pandas as pd


    benches = [resolve_benchmark(b) for b in benchmarks]
    runner = as_executor(executor)
    # A device that is no device fails the grid now, not each request; a cluster's workers check theirs. The
    # spellings that are always valid are not checked: that would import torch, which a grid answered from the
    # store never needs.
    if not (device is None or (isinstance(device, str) and device in ("auto", "cpu"))):
        resolve_device(device, here=not runner.ships)
    results = open_store(store)
    rows: dict[tuple[int, int], GridRow] = {}
    infos: dict[int, Any] = {}
    # What every unit shares; the planner fills in the request (position, key, model, benchmark, policy).
    template = WorkUnit((-1, -1), "", None, None, layers=layers, pooling=pooling, stats=stats, device=device,
                        cache=cache, progress=progress if not runner.ships else False)

    def record(position: tuple[int, int], row: GridRow) -> None:
        rows[position] = row
        advance(1)
        if on_result is not None:
            on_result(row)

    def units() -> Iterator["WorkUnit"]:
        for index, info in _describe(runner, models):
            infos[index] = info
            if isinstance(info, TaskFailure):  # the model did not load: each of its requests failed
                for b, bench in enumerate(benches):
                    record((index, b), _failed(_model_name(models[index]), bench.id, None, info))
                continue
            for b, bench in enumerate(benches):
                shipped = benchmarks[b] if runner.ships and isinstance(benchmarks[b], str) else bench
                unit = _plan(results, template, (index, b), models[index], info, bench, shipped, force, record)
                if unit is not None:
                    yield unit

    # An executor given by the caller stays open for the next grid; one made here is closed with the grid.
    owned = runner if runner is not executor else contextlib.nullcontext()
    with progress_bar(len(models) * len(benches), "scoring", enabled=progress) as advance, owned, \
            contextlib.closing(runner.map_unordered(run_unit, units(), priority=_benchmark_first,
                                                    keep_going=True)) as outcomes:
        # closing(): an exception here (Ctrl-C) cancels the tasks still queued at once, not when collected.
        for unit, outcome in outcomes:
            info, bench = infos[unit.position[0]], benches[unit.position[1]]
            if isinstance(outcome, TaskFailure):
                record(unit.position, _failed(info.model_id, bench.id, unit.key, outcome))
            else:
                record(unit.position, _store(results, unit, info, bench, outcome, force))
    table = pd.DataFrame([_row_fields(rows[p]) for p in sorted(rows)])
    failures = [rows[p] for p in sorted(rows) if rows[p].status == "failed"]
    if failures:
        raise GridError(_failure_summary(failures, len(rows)), table, failures)
    return table


def _model_name(ref: Any) -> str:
    return ref if isinstance(ref, str) else str(getattr(ref, "model_id", ref))


def _failed(model: str, benchmark: str, key: str | None, failure: Any) -> GridRow:
    return GridRow(model, benchmark, "failed", key, reason=str(failure), error=failure.error)


def _failure_summary(failures: list[GridRow], n_requests: int) -> str:
    lines = [f"  {row.model} on {row.benchmark}: {row.reason}" for row in failures]
    return (f"{len(failures)} of {n_requests} requests failed (every other request was scored and stored, or "
            f"answered from the store):\n" + "\n".join(lines))


def _benchmark_first(unit: "WorkUnit") -> int:
    """Queue order on a cluster: every model's task of the first benchmark before any of the second, so that the
    first wave of workers extracts different models (an extraction shared through the cache is not waited for by
    many workers at once)."""
    return -unit.position[1]


def _describe(runner: Any, models: Sequence[Any]) -> Iterator[tuple[int, Any]]:
    """``(model index, ModelInfo or TaskFailure)`` pairs: adapter objects are described here, ids where the
    executor runs (a model that fails to load gives a ``TaskFailure``).

    The serial executor describes a model just before its units run, so that each model is loaded once.
    """
    for index, ref in enumerate(models):
        if not isinstance(ref, str):
            if runner.ships:
                check_shippable(ref)
            (_, info), = SerialExecutor().map_unordered(describe_entry, [(index, ref)], keep_going=True)
            yield index, info
    ids = [(index, ref) for index, ref in enumerate(models) if isinstance(ref, str)]
    for (index, _), info in runner.map_unordered(describe_entry, ids, keep_going=True):
        yield index, info


def _plan(results: "ResultsStore", template: "WorkUnit", position: tuple[int, int], ref: Any, info: Any, bench: Any,
          shipped: Any, force: bool, record: Callable[[tuple[int, int], GridRow], None]) -> "WorkUnit | None":
    """The unit to compute for one request, or ``None`` after recording a skipped or stored row."""
    policy = template.stats or bench.stats
    mismatch = modality_mismatch(info, bench)
    if mismatch is not None:
        record(position, GridRow(info.model_id, bench.id, "skipped", None, reason=str(mismatch)))
        return None
    parameters = request_parameters(info, template.layers, template.pooling, policy)
    key = request_key(info.model_id, bench.id, bench.version, parameters)
    stored = None if force else results.get(key)
    if stored is not None:
        record(position, GridRow(info.model_id, bench.id, "stored", key, stored.score()))
        return None
    return dataclasses.replace(template, position=position, key=key, model=ref, benchmark=shipped, stats=policy)


def _store(results: "ResultsStore", unit: "WorkUnit", info: Any, bench: Any, outcome: Any, force: bool) -> GridRow:
    """Write one worker's result to the store (in its own transaction) and return its row.

    Without ``force``, a row another process stored for the same request while this one computed it is kept
    (the first stored result stays the result) and the row says so.
    """
    result, policy = outcome.score, unit.stats
    committed = result.provenance.get("commitment", {}).get("layer")
    record = ResultRecord(result, info.model_id, bench.id, bench.version,
                          request_parameters(info, unit.layers, unit.pooling, policy),
                          layer=committed if isinstance(committed, str) else None, kind="score", seed=policy.seed,
                          started_at=outcome.started_at, duration_s=outcome.duration_s)
    if record.request_key != unit.key:  # planned under one key, stored under another: a lookup would miss it
        raise RequestKeyMismatchError(f"{info.model_id} on {bench.id}: the result's request key differs from the "
                                      "planned one; this is a bug, please report it")
    if force:
        results.put(record, replace=True)
    elif results.put_if_absent([record]) == [None]:
        return GridRow(info.model_id, bench.id, "stored", unit.key, results.get(unit.key).score(), STORED_MEANWHILE)
    return GridRow(info.model_id, bench.id, "scored", unit.key, result)


def _row_fields(row: GridRow) -> dict[str, Any]:
    fields: dict[str, Any] = {"model": row.model, "benchmark": row.benchmark, "status": row.status}
    s = row.score
    low, high = s.interval if s is not None and s.interval is not None else (None, None)
    fields.update({"value": None, "ceiling": None, "ceiling_low": None, "normalized": None} if s is None else
                  {"value": s.value, "ceiling": s.ceiling, "ceiling_low": s.ceiling_low, "normalized": s.normalized})
    fields.update({"interval_low": low, "interval_high": high,
                   "layer": None if s is None else s.provenance.get("commitment", {}).get("layer"),
                   "reason": row.reason, "key": row.key})
    return fields
