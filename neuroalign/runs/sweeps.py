"""Layer profiles kept in the results store: every layer of a model scored on every stimulus of a benchmark.

A profile is descriptive (its best value is inflated by the choice; the committed score is
:func:`neuroalign.score`'s), but it is a result like any other: each layer is its own request (``kind
"layer_sweep"``, the layer in the request parameters), the layers computed together are written in one
transaction (all or none), and layers already stored are read back unless ``force``. A layer another process
stored while this one computed it keeps the row stored first.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any, Sequence

from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.benchmarks.scoring import (
    layers_of,
    modality_mismatch,
    resolve_benchmark,
    resolve_model,
    sweep_scores,
)
from neuroalign.runs.grid import open_store, request_parameters
from neuroalign.store import ResultRecord, request_key

if TYPE_CHECKING:
    import pandas as pd

KIND = "layer_sweep"


def _layer_parameters(model: Any, layers: list[str], pooling: Any, policy: StatsPolicy) -> dict[str, dict]:
    """Each layer's request parameters (the model's fingerprint, which hashes its weights, is taken once)."""
    base = request_parameters(model, None, pooling, policy)
    return {layer: {**base, "layer": layer} for layer in layers}


def run_sweeps(models: Sequence[Any], benchmarks: Sequence[Any], *, store: Any = None, force: bool = False,
               layers: str | Sequence[str] | None = None, pooling: Any = None, stats: StatsPolicy | None = None,
               device: Any = "auto", cache: Any = "default", progress: bool | None = None) -> "pd.DataFrame":
    """The layer profile of every model on every benchmark, from (and into) the results store.

    Parameters as for :func:`neuroalign.run`; pairs whose modalities do not fit are left out.

    Returns
    -------
    pandas.DataFrame
        One row per model, benchmark and layer: ``model``, ``benchmark``, ``layer``, ``status`` (``scored`` or
        ``stored``), ``value``, ``interval_low``, ``interval_high``, ``ceiling``, ``normalized``.
    """
    import pandas as pd  # heavy: imported when sweeps run

    results = open_store(store)
    benches = [resolve_benchmark(b) for b in benchmarks]
    rows = []
    for ref in models:
        model = resolve_model(ref)
        for bench in benches:
            if modality_mismatch(model, bench) is not None:
                continue
            policy = stats or bench.stats
            parameters = _layer_parameters(model, layers_of(model, layers), pooling, policy)
            keys = {layer: request_key(model.model_id, bench.id, bench.version, p, kind=KIND)
                    for layer, p in parameters.items()}
            stored = {layer: None if force else results.get(key) for layer, key in keys.items()}
            missing = [layer for layer, found in stored.items() if found is None]
            fresh = {}
            if missing:  # only the layers not yet stored are computed, and written in one transaction
                started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
                fresh = sweep_scores(model, bench, layers=missing, pooling=pooling, stats=policy, device=device,
                                     cache=cache, progress=progress)
                duration = (time.perf_counter() - clock) / len(fresh)
                records = [ResultRecord(s, model.model_id, bench.id, bench.version, layer=layer, kind=KIND,
                                        parameters=parameters[layer], seed=policy.seed, started_at=started,
                                        duration_s=duration) for layer, s in fresh.items()]
                if force:
                    results.put_many(records, replace=True)
                else:  # another process may have stored some of these layers meanwhile: its rows are kept
                    kept = [r.layer for r, row_id in zip(records, results.put_if_absent(records)) if row_id is None]
                    stored.update({layer: results.get(keys[layer]) for layer in kept})
                    fresh = {layer: s for layer, s in fresh.items() if layer not in kept}
            scores = {layer: fresh[layer] if layer in fresh else stored[layer].score() for layer in keys}
            for layer, s in scores.items():
                low, high = s.interval if s.interval is not None else (None, None)
                status = "scored" if layer in fresh else "stored"
                rows.append({"model": model.model_id, "benchmark": bench.id, "layer": layer, "status": status,
                             "value": s.value, "interval_low": low, "interval_high": high, "ceiling": s.ceiling,
                             "normalized": s.normalized})
    return pd.DataFrame(rows)
