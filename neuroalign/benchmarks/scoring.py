"""``score(model, benchmark)`` and ``sweep(model, benchmark)``: a model's committed score, and its layer profile.

Both extract the model's activations for the benchmark's stimuli once (through the activation cache), then ask
the benchmark for scores. :func:`score` commits to one layer on held-out stimuli (see
:mod:`neuroalign.benchmarks.commitment`) and returns a :class:`~neuroalign.core.score.Score` with its ceiling,
interval, per-subject values and full provenance; :func:`sweep` scores every layer on every stimulus, a
descriptive profile that must not be read as a committed score (its maximum is inflated by the choice).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from neuroalign.benchmarks.base import Benchmark, Evaluation
from neuroalign.benchmarks.commitment import Fold, average_folds, commit, split_stimuli
from neuroalign.benchmarks.coverage import StimulusCoverage, stimulus_coverage
from neuroalign.benchmarks.device import compute_device, evaluate_on
from neuroalign.errors.benchmarks import CommitmentError, ModalityMismatchError
from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.benchmarks.registry import load_benchmark
from neuroalign.core.ids import positions
from neuroalign.core.score import Score
from neuroalign.stats.intervals import percentile_interval
from neuroalign.utils.environment import environment_provenance

if TYPE_CHECKING:
    import pandas as pd


def resolve_model(model: Any, **options: Any) -> Any:
    """A model adapter from an adapter or a registered model id."""
    if isinstance(model, str):
        from neuroalign.models.model_ids import load_model  # neuroalign.models imports torch at package import

        return load_model(model, **options)
    return model


def resolve_benchmark(benchmark: Any) -> Benchmark:
    """A benchmark from a :class:`Benchmark` or a registered benchmark id."""
    if isinstance(benchmark, str):
        return load_benchmark(benchmark)
    if not isinstance(benchmark, Benchmark):
        raise TypeError(f"expected a Benchmark or a benchmark id; got {type(benchmark).__name__}")
    return benchmark


def layers_of(model: Any, layers: str | Sequence[str] | None) -> list[str]:
    """The layer names ``layers`` (names or globs) stands for: the model's ``main_layers`` (else all) when None."""
    if layers is None:
        return list(getattr(model, "main_layers", None) or model.layers)
    from neuroalign.models.layers import resolve_layers

    return list(resolve_layers(layers, model.layers))


def modality_mismatch(model: Any, benchmark: Benchmark) -> ModalityMismatchError | None:
    """The error to raise when ``model`` cannot take ``benchmark``'s stimuli, else ``None``."""
    modality = getattr(model, "modality", None)
    if modality in (*benchmark.modalities, "any"):  # "any": precomputed features, keyed by stimulus id
        return None
    shown = " or ".join(repr(m) for m in benchmark.modalities)
    readable = " or ".join(_PLURAL.get(m, m) for m in benchmark.modalities)
    return ModalityMismatchError(f"model {getattr(model, 'model_id', model)!r} cannot read {readable}: it takes "
                                 f"{modality!r} stimuli, but benchmark {benchmark.id!r} shows {shown} stimuli; "
                                 "choose a model of that modality")


#: How a message names what a model cannot read ("cannot read images").
_PLURAL = {"image": "images", "text": "text", "audio": "audio", "video": "videos"}


def extract_activations(model: Any, benchmark: Benchmark, layers: str | Sequence[str] | None = None, *,
                        pooling: Any = None, device: Any = "auto", cache: Any = "default",
                        progress: bool | None = None, memory_limit: int | None = None) -> Any:
    """The :class:`~neuroalign.core.activations.Activations` of a model on a benchmark's stimuli (lazy when cached).

    Raises
    ------
    ModalityMismatchError
        If the model takes another modality than the benchmark's stimuli (a vision model on text).
    StimulusCoverageError
        If the activations miss some of the benchmark's stimuli (unless it allows that) or hold other ids.
    """
    return _extract_covered(model, benchmark, layers, pooling=pooling, device=device, cache=cache,
                            progress=progress, memory_limit=memory_limit)[0]


def _extract_covered(model: Any, benchmark: Benchmark, layers: str | Sequence[str] | None = None, *,
                     pooling: Any = None, device: Any = "auto", cache: Any = "default", progress: bool | None = None,
                     memory_limit: int | None = None) -> tuple[Any, StimulusCoverage]:
    """The activations and the benchmark stimuli they cover (see :func:`extract_activations`)."""
    mismatch = modality_mismatch(model, benchmark)
    if mismatch is not None:
        raise mismatch
    stimuli = benchmark.stimuli()
    names = layers_of(model, layers)
    options: dict[str, Any] = {"device": device, "progress": progress}
    if cache != "default":
        options["cache"] = cache
    if memory_limit is not None:
        options["memory_limit"] = memory_limit
    activations = model.extract(stimuli, names, pooling=pooling or benchmark.pooling, **options)
    coverage = stimulus_coverage(getattr(model, "model_id", repr(model)), benchmark, stimuli.stimulus_ids,
                                 activations.stimulus_ids)
    return activations, coverage


def _in_order(x: Any, ids: Sequence[str], coverage: StimulusCoverage) -> Any:
    """A layer's rows in the benchmark's order: a seed draws the same resamples whatever order a model returned."""
    if tuple(ids) == coverage.scored:
        return x
    return np.asarray(x)[positions(ids, coverage.scored)]


def _covered_features(model: Any, benchmark: Benchmark, layers: str | Sequence[str] | None, **options: Any
                      ) -> tuple[StimulusCoverage, dict[str, np.ndarray]]:
    """The covered stimuli and ``{layer: rows in the benchmark's order}`` (see :func:`extract_features`)."""
    activations, coverage = _extract_covered(model, benchmark, layers, **options)
    ids = activations.stimulus_ids
    return coverage, {name: _in_order(activations.layer(name), ids, coverage) for name in activations.layer_names}


def extract_features(model: Any, benchmark: Benchmark, layers: str | Sequence[str] | None = None, *,
                     pooling: Any = None, device: Any = "auto", cache: Any = "default",
                     progress: bool | None = None) -> tuple[tuple[str, ...], dict[str, np.ndarray]]:
    """The stimulus ids and ``{layer: (n_stimuli, units) array}`` of a model on a benchmark's stimuli.

    The rows follow the benchmark's order of its stimuli, whatever order the model returned them in.

    Raises
    ------
    ModalityMismatchError
        If the model takes another modality than the benchmark's stimuli (a vision model on text).
    StimulusCoverageError
        If the activations miss some of the benchmark's stimuli (unless it allows that) or hold other ids.
    """
    coverage, features = _covered_features(model, benchmark, layers, pooling=pooling, device=device, cache=cache,
                                           progress=progress)
    return coverage.scored, features


def _interval(evaluation: Evaluation, level: float) -> tuple[float, float] | None:
    if evaluation.samples is None:
        return None

    low, high = percentile_interval(np.asarray(evaluation.samples)[:, None], level)[0]
    return float(low), float(high)


def _context(model: Any, benchmark: Benchmark, policy: StatsPolicy, layers: Sequence[str],
             coverage: StimulusCoverage) -> dict[str, Any]:
    return {"model": getattr(model, "model_id", repr(model)), "model_fingerprint": model.fingerprint(),
            "layers_considered": list(layers), "stats": policy.as_dict(), **benchmark.provenance(),
            "stimuli": coverage.as_dict(), "environment": environment_provenance()}


def as_score(evaluation: Evaluation, benchmark: Benchmark, policy: StatsPolicy, provenance: dict[str, Any]) -> Score:
    """The :class:`Score` of an evaluation (interval from its bootstrap samples, raw = per-subject values)."""
    return Score(value=evaluation.value, metric=benchmark.metric, ceiling=evaluation.ceiling,
                 ceiling_low=evaluation.ceiling_low, interval=_interval(evaluation, policy.level),
                 interval_level=policy.level, raw=evaluation.per_subject,
                 provenance={**provenance, "details": evaluation.details})


def _fold_record(fold: Fold) -> dict[str, Any]:
    return {"layer": fold.layer, "selection_scores": fold.selection_scores, "n_selection": len(fold.selection),
            "n_held_out": len(fold.held_out), "held_out_value": fold.evaluation.value}


def score(model: Any, benchmark: Any, *, layers: str | Sequence[str] | None = None, pooling: Any = None,
          stats: StatsPolicy | None = None, device: Any = "auto", cache: Any = "default",
          progress: bool | None = None, memory_limit: int | None = None) -> Score:
    """Score a model on a benchmark, committing to a layer without double dipping.

    Parameters
    ----------
    model : model adapter or str
        An adapter (see :mod:`neuroalign.models`) or a registered model id (``neuroalign list models``).
    benchmark : Benchmark or str
        A benchmark or a registered benchmark id (``neuroalign list benchmarks``).
    layers : str or sequence of str, optional
        Candidate layers (names or globs); the model's ``main_layers`` (else all layers) by default. With a single
        layer nothing is chosen and every stimulus is scored.
    pooling : str or mapping, optional
        Pooling of the layers; the benchmark's, else the adapter's default.
    stats : StatsPolicy, optional
        Overrides the benchmark's policy (bootstrap size, seed, commitment).
    device, cache, progress
        Passed to the model's ``extract``; on CUDA (asked for, or ``"auto"`` with a GPU) the benchmark's RDMs and
        comparisons run there too (see :mod:`neuroalign.benchmarks.device`). ``None`` is the CPU
        (``docs/conventions.md``, "Devices").
    memory_limit : int, optional
        Bytes the task may use (a Dask worker's limit; the available memory by default): the extraction's and the
        scoring's memory preflights check against it, and layers are read one at a time from the cache when only
        that fits (see :mod:`neuroalign.models.scoring_memory`).

    Returns
    -------
    Score
        ``value`` is the held-out score of the committed layer (the mean over cross-validation folds for
        ``"crossval"``; the score on every stimulus for ``"last"``), with its ceiling on the same stimuli, a
        percentile bootstrap interval over stimuli, the per-subject values as ``raw``, and in ``provenance`` the
        committed layer(s), every layer's selection score, the split, the policy, how many of the benchmark's
        stimuli were scored (``"stimuli"``), the model's fingerprint (weights hash), the dataset's file hashes and
        the package versions.

    Raises
    ------
    ModalityMismatchError
        For a model that cannot take the benchmark's stimuli.
    CommitmentError
        When there are too few stimuli to split (give a single layer).
    StimulusCoverageError
        When the model's activations miss some of the benchmark's stimuli (unless the benchmark allows it) or hold
        ids it does not have.
    InsufficientMemoryError
        When the task's peak memory would not fit, before it is scored.
    """
    from neuroalign.models.scoring_memory import task_features  # neuroalign.models imports torch at package import

    started = time.time()
    model, bench = resolve_model(model), resolve_benchmark(benchmark)
    policy = stats or bench.stats
    if policy.commitment == "last":  # fixed before any data is seen: only that layer is extracted
        layers = layers_of(model, layers)[-1:]
    activations, coverage = _extract_covered(model, bench, layers, pooling=pooling, device=device, cache=cache,
                                             progress=progress, memory_limit=memory_limit)
    ids = tuple(activations.stimulus_ids)
    features = task_features(activations, bench, policy, memory_limit, resident=cache is None or cache is False)
    compute = compute_device(device)
    provenance = _context(model, bench, policy, list(features), coverage)
    if len(features) == 1 or policy.commitment == "none":
        if len(features) > 1:
            raise CommitmentError(f"commitment 'none' scores every stimulus and needs a single layer; got "
                                  f"{len(features)} layers. Use 'split', 'crossval' or 'last', or give one layer.")
        (layer, x), = features.items()
        evaluation = evaluate_on(bench, _in_order(x, ids, coverage), coverage.scored, n_bootstrap=policy.n_bootstrap,
                                 seed=policy.seed, device=compute)
        provenance["commitment"] = {"method": "last" if policy.commitment == "last" else "none", "layer": layer}
    else:
        # split in the benchmark's order (rows are joined by id), so the split does not depend on the model's order
        selection, held_out = split_stimuli(coverage.scored, policy.selection_fraction, policy.seed)
        folds = [commit(bench, features, ids, selection, held_out, n_bootstrap=policy.n_bootstrap, seed=policy.seed,
                        device=compute)]
        if policy.commitment == "crossval":
            folds.append(commit(bench, features, ids, held_out, selection, n_bootstrap=policy.n_bootstrap,
                                seed=policy.seed + 1, device=compute))
            evaluation = average_folds(folds)
        else:
            evaluation = folds[0].evaluation
        provenance["commitment"] = {"method": policy.commitment, "seed": policy.seed,
                                    "layer": folds[0].layer if len(folds) == 1 else [f.layer for f in folds],
                                    "folds": [_fold_record(f) for f in folds]}
    provenance["duration_s"] = time.time() - started
    return as_score(evaluation, bench, policy, provenance)


def sweep_scores(model: Any, benchmark: Any, *, layers: str | Sequence[str] | None = None, pooling: Any = None,
                 stats: StatsPolicy | None = None, device: Any = "auto", cache: Any = "default",
                 progress: bool | None = None) -> dict[str, Score]:
    """``{layer: Score}`` of every layer on every stimulus, in model order (see :func:`sweep`).

    Each score's provenance holds the model, the benchmark, the policy, the environment and ``"layer"``.
    """
    model, bench = resolve_model(model), resolve_benchmark(benchmark)
    policy = stats or bench.stats
    coverage, features = _covered_features(model, bench, layers, pooling=pooling, device=device, cache=cache,
                                           progress=progress)
    compute = compute_device(device)
    context = _context(model, bench, policy, list(features), coverage)
    return {layer: as_score(evaluate_on(bench, x, coverage.scored, n_bootstrap=policy.n_bootstrap, seed=policy.seed,
                                        device=compute), bench, policy, {**context, "layer": layer})
            for layer, x in features.items()}


def sweep(model: Any, benchmark: Any, *, layers: str | Sequence[str] | None = None, pooling: Any = None,
          stats: StatsPolicy | None = None, device: Any = "auto", cache: Any = "default",
          progress: bool | None = None) -> "pd.DataFrame":
    """Score every layer on every stimulus: the layer profile, with ceilings and bootstrap intervals.

    A descriptive result, never a committed score: the best layer's value here is inflated by the choice (use
    :func:`score` for that). Parameters as for :func:`score`; :func:`neuroalign.runs.grid.run` with
    ``sweep=True`` keeps the profile in the results store.

    Returns
    -------
    pandas.DataFrame
        One row per layer in model order: ``layer``, ``value``, ``interval_low``, ``interval_high``,
        ``ceiling``, ``ceiling_low``, ``normalized``; the provenance is in ``DataFrame.attrs["provenance"]``.
    """
    scores = sweep_scores(model, benchmark, layers=layers, pooling=pooling, stats=stats, device=device, cache=cache,
                          progress=progress)
    return sweep_table(scores)


def sweep_table(scores: dict[str, Score]) -> "pd.DataFrame":
    """The layer-profile table of ``{layer: Score}`` (see :func:`sweep`)."""
    import pandas as pd

    rows = []
    for layer, s in scores.items():
        low, high = s.interval if s.interval is not None else (np.nan, np.nan)
        rows.append({"layer": layer, "value": s.value, "interval_low": low, "interval_high": high,
                     "ceiling": s.ceiling, "ceiling_low": s.ceiling_low, "normalized": s.normalized})
    table = pd.DataFrame(rows)
    if scores:
        table.attrs["provenance"] = {k: v for k, v in next(iter(scores.values())).provenance.items()
                                     if k not in ("layer", "details")}
    return table
