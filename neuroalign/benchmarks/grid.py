"""``run(models, benchmarks)``: score a grid of models on benchmarks, every result kept in the results store.

Each model x benchmark request has a key (the model's id and fingerprint, the benchmark's id and version, the
layers, pooling and statistics policy; see :func:`neuroalign.store.request_key`). A request already in the store
is answered from it unless ``force``; every new score is written in its own transaction as soon as it is
computed, so a grid interrupted at any point resumes where it stopped. A model is loaded once for all its
benchmarks; a pair whose modalities do not fit (a vision model on a text benchmark) is reported as skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.benchmarks.scoring import modality_mismatch, resolve_benchmark, resolve_model, score

if TYPE_CHECKING:
    import pandas as pd

    from neuroalign.store import ResultsStore

#: Where results go when no store is given: ``$NEUROALIGN_RESULTS``, else the user's data folder.
RESULTS_ENV = "NEUROALIGN_RESULTS"


def default_store_path() -> Path:
    """``$NEUROALIGN_RESULTS`` or ``$XDG_DATA_HOME/neuroalign/results.sqlite`` (``~/.local/share/...``)."""
    if os.environ.get(RESULTS_ENV):
        return Path(os.environ[RESULTS_ENV])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "neuroalign" / "results.sqlite"


def open_store(store: "ResultsStore | str | os.PathLike[str] | None") -> "ResultsStore":
    """A :class:`ResultsStore` from a store, a path, or ``None`` (the default path)."""
    from neuroalign.store import ResultsStore

    if isinstance(store, ResultsStore):
        return store
    path = Path(store) if store is not None else default_store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return ResultsStore(path)


@dataclass(frozen=True)
class GridRow:
    """The outcome of one model x benchmark request: ``status`` is ``"scored"``, ``"stored"`` or ``"skipped"``."""

    model: str
    benchmark: str
    status: str
    key: str | None
    score: Any = None
    reason: str | None = None


def request_parameters(model: Any, layers: Any, pooling: Any, policy: StatsPolicy) -> dict[str, Any]:
    """Everything besides the ids that changes a score: the model's fingerprint, layers, pooling, policy."""
    return {"model_fingerprint": model.fingerprint(), "layers": layers, "pooling": pooling,
            "stats": policy.as_dict()}


def run(models: Sequence[Any], benchmarks: Sequence[Any], *, store: Any = None, force: bool = False,
        layers: str | Sequence[str] | None = None, pooling: Any = None, stats: StatsPolicy | None = None,
        device: Any = "auto", cache: Any = "default", progress: bool | None = None) -> "pd.DataFrame":
    """Score every model on every benchmark, answering from (and writing to) the results store.

    Parameters
    ----------
    models : sequence of model adapters or model ids
    benchmarks : sequence of Benchmark or benchmark ids
    store : ResultsStore or path, optional
        The results database (see :func:`default_store_path`).
    force : bool
        Recompute requests already in the store (the stored result is replaced in one transaction).
    layers, pooling, stats, device, cache, progress
        As for :func:`neuroalign.score`; ``stats`` overrides every benchmark's own policy.

    Returns
    -------
    pandas.DataFrame
        One row per request: ``model``, ``benchmark``, ``status`` (``scored``, ``stored`` or ``skipped``),
        ``value``, ``ceiling``, ``normalized``, ``interval_low``, ``interval_high``, ``layer``, ``reason``, ``key``.
    """
    import pandas as pd

    from neuroalign.models.progress import progress_bar
    from neuroalign.store import request_key

    results = open_store(store)
    benches = [resolve_benchmark(b) for b in benchmarks]
    rows: list[GridRow] = []
    with progress_bar(len(models) * len(benches), "scoring", enabled=progress) as advance:
        for model_ref in models:
            model = resolve_model(model_ref)
            model_id = getattr(model, "model_id", str(model_ref))
            for bench in benches:
                policy = stats or bench.stats
                mismatch = modality_mismatch(model, bench)
                if mismatch is not None:
                    rows.append(GridRow(model_id, bench.id, "skipped", None, reason=str(mismatch)))
                    advance(1)
                    continue
                key = request_key(model_id, bench.id, bench.version,
                                  request_parameters(model, layers, pooling, policy))
                stored = None if force else results.get(key)
                if stored is not None:
                    rows.append(GridRow(model_id, bench.id, "stored", key, stored.score()))
                else:
                    rows.append(_score_and_store(results, key, model, model_id, bench, layers, pooling, policy,
                                                 device, cache, progress, force))
                advance(1)
    return pd.DataFrame([_row_fields(r) for r in rows])


def _score_and_store(results: "ResultsStore", key: str, model: Any, model_id: str, bench: Any, layers: Any,
                     pooling: Any, policy: StatsPolicy, device: Any, cache: Any, progress: bool | None,
                     force: bool) -> GridRow:
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    result = score(model, bench, layers=layers, pooling=pooling, stats=policy, device=device, cache=cache,
                   progress=progress)
    committed = result.provenance.get("commitment", {}).get("layer")
    results.put(result, key=key, model_id=model_id, benchmark_id=bench.id, benchmark_version=bench.version,
                layer=committed if isinstance(committed, str) else None, kind="score",
                parameters=request_parameters(model, layers, pooling, policy), seed=policy.seed,
                started_at=started, duration_s=time.perf_counter() - clock, replace=force)
    return GridRow(model_id, bench.id, "scored", key, result)


def _row_fields(row: GridRow) -> dict[str, Any]:
    s = row.score
    low, high = (s.interval if s is not None and s.interval is not None else (None, None))
    committed = None if s is None else s.provenance.get("commitment", {}).get("layer")
    return {"model": row.model, "benchmark": row.benchmark, "status": row.status,
            "value": None if s is None else s.value, "ceiling": None if s is None else s.ceiling,
            "normalized": None if s is None else s.normalized, "interval_low": low, "interval_high": high,
            "layer": committed, "reason": row.reason, "key": row.key}
