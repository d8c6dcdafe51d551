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
from neuroalign.benchmarks.scoring import layers_of, modality_mismatch, resolve_benchmark, sweep_scores, sweep_table
from neuroalign.distributed.units import describe_model, load_model_once
from neuroalign.runs.grid import open_store, request_parameters
from neuroalign.store import ResultRecord, request_key

if TYPE_CHECKING:
    import pandas as pd

    from neuroalign.core.score import Score

KIND = "layer_sweep"


def _layer_parameters(info: Any, layers: list[str], pooling: Any, policy: StatsPolicy) -> dict[str, dict]:
    """Each layer's request parameters (the model's fingerprint, which hashes its weights, is taken once)."""
    base = request_parameters(info, None, pooling, policy)
    return {layer: {**base, "layer": layer} for layer in layers}


def _layer_names(ref: Any, info: Any, layers: str | Sequence[str] | None) -> list[str]:
    """The layers of the profile: without ``layers``, those the model's description recorded (no model loaded)."""
    if layers is None and info.default_layers is not None:
        return list(info.default_layers)
    return layers_of(load_model_once(ref), layers)


def run_sweeps(models: Sequence[Any], benchmarks: Sequence[Any], *, store: Any = None, force: bool = False,
               layers: str | Sequence[str] | None = None, pooling: Any = None, stats: StatsPolicy | None = None,
               device: Any = "auto", cache: Any = "default", progress: bool | None = None) -> "pd.DataFrame":
    """The layer profile of every model on every benchmark, from (and into) the results store.

    Parameters as for :func:`neuroalign.run`; pairs whose modalities do not fit are left out.

    Returns
    -------
    pandas.DataFrame
        One row per model, benchmark and layer: ``model``, ``benchmark``, ``layer``, ``status`` (``scored`` or
        ``stored``), ``value``, ``interval_low``, ``interval_high``, ``ceiling``, ``ceiling_low``, ``normalized``.
    """
    import pandas as pd  # heavy: imported when sweeps run

    results = open_store(store)
    benches = [resolve_benchmark(b) for b in benchmarks]
    options = {"force": force, "layers": layers, "pooling": pooling, "device": device, "cache": cache,
               "progress": progress}
    rows = []
    for ref in models:
        # the model is described from its recorded fingerprint when it can be (no torch, no weights): a profile
        # already stored whole is then answered without loading it
        info = describe_model(ref)
        for bench in benches:
            if modality_mismatch(info, bench) is not None:
                continue
            scores, fresh = _profile(results, ref, info, bench, stats or bench.stats, **options)
            for layer, s in scores.items():
                low, high = s.interval if s.interval is not None else (None, None)
                rows.append({"model": info.model_id, "benchmark": bench.id, "layer": layer,
                             "status": "scored" if layer in fresh else "stored", "value": s.value,
                             "interval_low": low, "interval_high": high, "ceiling": s.ceiling,
                             "ceiling_low": s.ceiling_low, "normalized": s.normalized})
    return pd.DataFrame(rows)


def stored_sweep(model: Any, benchmark: Any, *, store: Any = None, force: bool = False,
                 layers: str | Sequence[str] | None = None, pooling: Any = None, stats: StatsPolicy | None = None,
                 device: Any = "auto", cache: Any = "default", progress: bool | None = None) -> "pd.DataFrame":
    """:func:`neuroalign.sweep` of one model on one benchmark, from (and into) the results store.

    Parameters as for :func:`run_sweeps`. The table is :func:`~neuroalign.benchmarks.scoring.sweep`'s, with its
    provenance in ``DataFrame.attrs["provenance"]``.

    Raises
    ------
    ModalityMismatchError
        When the model cannot read the benchmark's stimuli.
    """
    bench = resolve_benchmark(benchmark)
    info = describe_model(model)
    mismatch = modality_mismatch(info, bench)
    if mismatch is not None:
        raise mismatch
    scores, _ = _profile(open_store(store), model, info, bench, stats or bench.stats, force=force, layers=layers,
                         pooling=pooling, device=device, cache=cache, progress=progress)
    return sweep_table(scores)


def _profile(results: Any, ref: Any, info: Any, bench: Any, policy: StatsPolicy, *, force: bool, layers: Any,
             pooling: Any, device: Any, cache: Any, progress: bool | None) -> tuple[dict[str, Score], set[str]]:
    """``({layer: Score}, layers computed here)``: one model's profile on one benchmark, the layers already stored
    read back (unless ``force``), the others computed (loading the model) and stored in one transaction."""
    parameters = _layer_parameters(info, _layer_names(ref, info, layers), pooling, policy)
    keys = {layer: request_key(info.model_id, bench.id, bench.version, p, kind=KIND)
            for layer, p in parameters.items()}
    stored = {layer: None if force else results.get(key) for layer, key in keys.items()}
    missing = [layer for layer, found in stored.items() if found is None]
    fresh = {}
    if missing:  # only the layers not yet stored are computed, and written in one transaction
        started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
        fresh = sweep_scores(load_model_once(ref), bench, layers=missing, pooling=pooling, stats=policy,
                             device=device, cache=cache, progress=progress)
        duration = (time.perf_counter() - clock) / len(fresh)
        records = [ResultRecord(s, info.model_id, bench.id, bench.version, layer=layer, kind=KIND,
                                parameters=parameters[layer], seed=policy.seed, started_at=started,
                                duration_s=duration) for layer, s in fresh.items()]
        if force:
            results.put_many(records, replace=True)
        else:  # another process may have stored some of these layers meanwhile: its rows are kept
            kept = [r.layer for r, row_id in zip(records, results.put_if_absent(records)) if row_id is None]
            stored.update({layer: results.get(keys[layer]) for layer in kept})
            fresh = {layer: s for layer, s in fresh.items() if layer not in kept}
    scores = {layer: fresh[layer] if layer in fresh else stored[layer].score() for layer in keys}
    return scores, set(fresh)
