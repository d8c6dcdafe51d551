"""``align``: every pair of sources under every metric, with honest layer selection, nulls and intervals.

For each pair of sources and each metric:

1. the full layer x layer matrix on all stimuli (descriptive: it shows where alignment lives, but its maximum is
   inflated by the choice among many layer pairs);
2. the same matrix on the *selection* stimuli (a seeded split, :func:`neuroalign.benchmarks.commitment.split_stimuli`),
   whose best entry is the committed layer pair;
3. the committed pair scored on the *held-out* stimuli only, which played no part in the choice;
4. a permutation null on the held-out stimuli for the committed pair (one side's stimulus labels permuted; the same
   permutations for every pair and metric), its p-value and the null-calibrated score ``value - mean(null)``;
5. a percentile bootstrap interval of the held-out score over stimulus resamples (the same resamples everywhere).

Every representation is prepared once per stimulus subset and metric (:mod:`neuroalign.alignment.routes`).
"""

from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np
import pandas as pd

from neuroalign.errors.applications import AlignmentError, StimulusOverlapError, TooFewStimuliError
from neuroalign.alignment.results import AlignmentStudy, PairAlignment
from neuroalign.alignment.routes import required_stimuli, route_for, safe_score
from neuroalign.alignment.sources import Representation, Source, check_payloads
from neuroalign.alignment.storage import write_study
from neuroalign.backend import get_backend
from neuroalign.benchmarks.commitment import MIN_PART, split_stimuli
from neuroalign.core.stimuli import StimulusSet
from neuroalign.metrics.base import Metric, MetricInputError
from neuroalign.metrics.registry import get_metric
from neuroalign.utils.progress import progress_bar
from neuroalign.stats.intervals import percentile_interval
from neuroalign.stats.resample import draw_indices, draw_permutations
from neuroalign.stats import UndefinedResampleWarning
from neuroalign.stats.permutation import permutation_p_value


def shared_stimuli(sources: Sequence[Source], stimuli: StimulusSet, minimum: int) -> tuple[str, ...]:
    """The stimulus set's ids that every source can represent, in the set's order.

    Raises
    ------
    StimulusOverlapError
        If fewer than ``minimum`` are shared because some source lacks stimuli (names how many each covers).
    """
    covered = {s.name: set(s.stimulus_ids(stimuli)) for s in sources}
    shared = tuple(sid for sid in stimuli.stimulus_ids if all(sid in ids for ids in covered.values()))
    if len(shared) < min(minimum, len(stimuli)):
        counts = ", ".join(f"{name!r} covers {len(ids)}" for name, ids in covered.items())
        raise StimulusOverlapError(f"the sources share {len(shared)} of the {len(stimuli)} stimuli of "
                                   f"{stimuli.name or 'the stimulus set'} ({counts}); the study needs at least "
                                   f"{minimum}. Give sources recorded on the same stimuli (joined by id).")
    if len(shared) < len(stimuli):
        warnings.warn(f"only {len(shared)} of {len(stimuli)} stimuli are shared by every source; the study uses "
                      "those", stacklevel=3)
    return shared


def _check_sizes(metrics: Sequence[Metric], n: int, fraction: float) -> None:
    n_select = int(round(fraction * n))
    smallest = min(n_select, n - n_select)
    for metric in metrics:
        need = required_stimuli(metric)
        if smallest < need:
            raise TooFewStimuliError(f"{metric.info.id} needs at least {need} stimuli, but {n} stimuli split "
                                     f"{fraction:g} leave {n_select} for selection and {n - n_select} held out. Use "
                                     "more stimuli, another selection_fraction, or a metric with a smaller need.")


def _score(route: Any, pa: Any, pb: Any) -> float:
    return float("nan") if pa is None or pb is None else safe_score(route.score, pa, pb)


def _layer_matrix(route: Any, prep_a: dict[str, Any], prep_b: dict[str, Any]) -> pd.DataFrame:
    values = [[_score(route, pa, pb) for pb in prep_b.values()] for pa in prep_a.values()]
    return pd.DataFrame(values, index=list(prep_a), columns=list(prep_b))


def _best(table: pd.DataFrame, larger: bool) -> tuple[str, str]:
    values = table.to_numpy()
    if not np.isfinite(values).any():
        raise AlignmentError(f"every layer pair is undefined on the selection stimuli: {table.to_dict()}")
    flat = np.nanargmax(values) if larger else np.nanargmin(values)
    i, j = np.unravel_index(flat, values.shape)
    return str(table.index[i]), str(table.columns[j])


def _prepare_all(route: Any, reps: dict[str, Representation], idx: np.ndarray) -> dict[str, Any]:
    """Each layer prepared on ``idx``; ``None`` for a layer the metric is undefined on (its scores become NaN)."""
    out = {}
    for layer, rep in reps.items():
        try:
            out[layer] = route.prepare(rep, idx)
        except MetricInputError:
            out[layer] = None
    return out


def _warn_undefined(metric: str, a: str, b: str, values: np.ndarray, what: str) -> None:
    undefined = int(np.isnan(values).sum())
    if undefined:
        warnings.warn(f"{metric} between {a} and {b}: {undefined} of {values.size} {what} of the held-out stimuli "
                      "leave the metric undefined (a representation without variance on the resampled stimuli, "
                      "or a non-positive unbiased HSIC) and are left out of the "
                      f"{'p-value' if what == 'permutations' else 'interval'}, which is conditional on the rest. "
                      "The NaN values stay in PairAlignment.null / .bootstrap (counts: n_undefined_null, "
                      "n_undefined_bootstrap).", UndefinedResampleWarning, stacklevel=4)


def _pair(route: Any, metric: Metric, names: tuple[str, str], prepared: dict[str, dict[str, Any]],
          reps: dict[str, dict[str, Representation]], held: np.ndarray, perms: np.ndarray, boots: np.ndarray,
          level: float) -> PairAlignment:
    """Matrices, committed layer pair, held-out score, null and interval of one pair of sources under one metric."""
    a, b = names
    larger = metric.info.kind == "similarity"
    full = _layer_matrix(route, prepared["all"][a], prepared["all"][b]).rename_axis(index=a, columns=b)
    chosen = _layer_matrix(route, prepared["selection"][a], prepared["selection"][b]).rename_axis(index=a, columns=b)
    la, lb = _best(chosen, larger)
    value = _score(route, prepared["held_out"][a][la], prepared["held_out"][b][lb])
    rep_a, rep_b = reps[a][la], reps[b][lb]
    null = route.score_resamples(rep_a, rep_b, np.broadcast_to(held, perms.shape), perms) if len(perms) \
        else np.empty(0)
    boot = route.score_resamples(rep_a, rep_b, boots, boots) if len(boots) else np.empty(0)
    _warn_undefined(metric.info.id, f"{a}:{la}", f"{b}:{lb}", null, "permutations")
    _warn_undefined(metric.info.id, f"{a}:{la}", f"{b}:{lb}", boot, "bootstrap resamples")
    # Undefined resamples are left out (the conditional distribution, as the stimulus bootstrap's redraws give),
    # not redrawn: the resamples are shared by every pair and metric, which keeps their results paired.
    defined_null = null[np.isfinite(null)]
    p_value = (float(permutation_p_value(np.array(value), defined_null, larger_is_better=larger))
               if len(defined_null) and np.isfinite(value) else float("nan"))
    finite = boot[np.isfinite(boot)]
    interval = (tuple(float(v) for v in percentile_interval(finite, level)) if finite.size
                else (float("nan"), float("nan")))
    return PairAlignment(a, b, metric.info.id, full, chosen, la, lb, value, null, p_value, boot, interval, larger)


def align(sources: Sequence[Source], stimuli: StimulusSet, metrics: Sequence[str | Metric], *,
          n_permutations: int = 1000, n_bootstrap: int = 1000, seed: int = 0, selection_fraction: float = 0.5,
          level: float = 0.95, store: Any = None, device: Any = None, progress: bool | None = None
          ) -> AlignmentStudy:
    """Align every pair of sources (models of any modality, brains) on a paired stimulus set.

    Parameters
    ----------
    sources : sequence of Source
        :class:`~neuroalign.alignment.ModelSource` and :class:`~neuroalign.alignment.BrainSource` objects (at least
        two, unique names). Each unordered pair is computed once, in the order given.
    stimuli : StimulusSet
        The paired stimuli; each model reads its own modality's payload of the same stimuli.
    metrics : sequence of str or Metric
        Metric ids (``"cka.linear"``, ``"cka.debiased"``, ``"knn.mutual.10"``, ``"rsa.correlation.spearman"``...).
    n_permutations : int
        Permutations of the null (0: none; p-value and calibrated score are then NaN).
    n_bootstrap : int
        Stimulus resamples of the held-out part (0: no interval).
    seed : int
        Seeds the split, the permutations and the resamples.
    selection_fraction : float
        Share of the stimuli used to choose the layer pair; the rest is held out and scored.
    level : float
        Coverage of the bootstrap interval.
    store : ResultsStore, optional
        Where to write one result per pair and metric (kind ``"alignment"``, see
        :func:`neuroalign.alignment.storage.alignment_records`); a stored result with the same request is replaced.
    device : None, "auto", str or torch.device
        Where feature metrics run: torch on the CPU for ``None`` and ``"cpu"``, CUDA for ``"cuda"`` or for
        ``"auto"`` with a GPU (``docs/conventions.md``, "Devices"). Model sources extract on their own device.
    progress : bool, optional
        Show a progress bar (by default only on a terminal).

    Returns
    -------
    AlignmentStudy

    Raises
    ------
    MissingPayloadError
        A model's modality is missing for some stimuli (names them).
    StimulusOverlapError
        The sources share too few stimuli (names the counts).
    TooFewStimuliError
        A metric needs more stimuli than a part of the split has.
    """
    sources = list(sources)
    names = [s.name for s in sources]
    if len(sources) < 2:
        raise AlignmentError(f"an alignment needs at least two sources; got {names}")
    if len(set(names)) != len(names):
        raise AlignmentError(f"source names must be unique; got {names}")
    metrics = [get_metric(m) if isinstance(m, str) else m for m in metrics]
    if not metrics:
        raise AlignmentError("give at least one metric")
    if n_permutations < 0 or n_bootstrap < 0:
        raise AlignmentError("n_permutations and n_bootstrap must be >= 0")
    device = get_backend(device)  # checked before any extraction, even where no metric runs on it
    for s in sources:
        if s.modality is not None:
            check_payloads(stimuli, s.modality, f"model {s.name!r}")
    need = max(MIN_PART, *(required_stimuli(m) for m in metrics))
    ids = shared_stimuli(sources, stimuli, 2 * need)
    _check_sizes(metrics, len(ids), selection_fraction)
    selection, held_out = split_stimuli(ids, selection_fraction, seed)
    where = {sid: k for k, sid in enumerate(ids)}
    subsets = {"all": np.arange(len(ids)), "selection": np.array([where[s] for s in selection]),
               "held_out": np.array([where[s] for s in held_out])}
    reps = {s.name: s.representations(stimuli, ids) for s in sources}
    rng = np.random.default_rng(seed)
    held = subsets["held_out"]
    perms = held[draw_permutations(rng, n_permutations, len(held))] if n_permutations else np.empty((0, len(held)), int)
    boots = held[draw_indices(rng, n_bootstrap, len(held))] if n_bootstrap else np.empty((0, len(held)), int)

    results = []
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    with progress_bar(len(metrics) * len(pairs), "alignment", enabled=progress, lines=True) as advance:
        for metric in metrics:
            route = route_for(metric, device)
            prepared = {part: {name: _prepare_all(route, reps[name], idx) for name in names}
                        for part, idx in subsets.items()}
            for a, b in pairs:
                results.append(_pair(route, metric, (a, b), prepared, reps, held, perms, boots, level))
                advance(1, f"{metric.info.id} {a} ~ {b}")
    diagnostics = {s.name: {"negative_share": dict(s.negative_share)} for s in sources
                   if getattr(s, "negative_share", None)}
    study = AlignmentStudy(sources=tuple(s.describe() for s in sources), metrics=tuple(m.info.id for m in metrics),
                           stimulus_set=stimuli.name, stimulus_ids=tuple(ids), selection=tuple(selection),
                           held_out=tuple(held_out), pairs=tuple(results), seed=seed, n_permutations=n_permutations,
                           n_bootstrap=n_bootstrap, selection_fraction=selection_fraction, level=level,
                           diagnostics=diagnostics)
    if store is not None:
        write_study(study, store)
    return study
