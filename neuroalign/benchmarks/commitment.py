"""Layer commitment without double dipping: the layer is chosen on some stimuli and scored on others.

Choosing the best of many layers and reporting its score on the same stimuli inflates the score by the
selection (the maximum of noisy estimates is biased upwards). Here the stimuli are split once, by a seeded
permutation: the layer with the best score on the selection part is committed to, and only the held-out part is
scored. ``"crossval"`` does this both ways round and averages the two held-out scores (each fold may commit to
a different layer; both are reported).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from neuroalign.benchmarks.base import Benchmark, Evaluation
from neuroalign.benchmarks.device import evaluate_on
from neuroalign.errors.benchmarks import CommitmentError

#: The fewest stimuli a part of a split may have (an RDM comparison needs at least 3 stimuli).
MIN_PART = 3


@dataclass(frozen=True)
class Fold:
    """One selection / held-out split and what was committed to on it."""

    selection: tuple[str, ...]
    held_out: tuple[str, ...]
    layer: str
    selection_scores: dict[str, float]
    evaluation: Evaluation


def split_stimuli(stimulus_ids: Sequence[str], fraction: float, seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Seeded split of ``stimulus_ids`` into a selection part (``fraction`` of them) and a held-out part.

    Raises
    ------
    CommitmentError
        If either part would hold fewer than 3 stimuli.
    """
    ids = list(stimulus_ids)
    n_select = int(round(fraction * len(ids)))
    if min(n_select, len(ids) - n_select) < MIN_PART:
        raise CommitmentError(f"choosing a layer on some stimuli and scoring it on the others needs >= {MIN_PART} "
                              f"stimuli in each part; {len(ids)} stimuli split {fraction:g} give {n_select} and "
                              f"{len(ids) - n_select}. Give a single layer (layers=[...]) to score all stimuli.")
    order = np.random.default_rng(seed).permutation(len(ids))
    chosen = sorted(order[:n_select])
    rest = sorted(order[n_select:])
    return tuple(ids[i] for i in chosen), tuple(ids[i] for i in rest)


def _rows(stimulus_ids: Sequence[str], subset: Sequence[str]) -> np.ndarray:
    where = {s: i for i, s in enumerate(stimulus_ids)}
    return np.array([where[s] for s in subset])


def commit(benchmark: Benchmark, features: Mapping[str, np.ndarray], stimulus_ids: Sequence[str],
           selection: Sequence[str], held_out: Sequence[str], *, n_bootstrap: int, seed: int,
           device: Any = None) -> Fold:
    """Choose the layer with the best score on ``selection`` and score it on ``held_out`` (on ``device``)."""

    if not features:
        raise CommitmentError("no layer to commit to")
    sel_rows, out_rows = _rows(stimulus_ids, selection), _rows(stimulus_ids, held_out)
    scores = {layer: evaluate_on(benchmark, x[sel_rows], selection, device=device).value
              for layer, x in features.items()}
    finite = {k: v for k, v in scores.items() if np.isfinite(v)}
    if not finite:
        raise CommitmentError(f"every layer scored NaN on the selection stimuli: {sorted(scores)}")
    best = max(finite, key=finite.__getitem__)
    evaluation = evaluate_on(benchmark, features[best][out_rows], held_out, n_bootstrap=n_bootstrap, seed=seed,
                             device=device)
    return Fold(tuple(selection), tuple(held_out), best, scores, evaluation)


def average_folds(folds: Sequence[Fold]) -> Evaluation:
    """The cross-validated evaluation: held-out values, ceilings and bootstrap samples averaged over folds.

    The folds' held-out stimuli are disjoint and resampled independently, so the element-wise mean of their
    bootstrap samples is a bootstrap sample of the mean.
    """
    evaluations = [f.evaluation for f in folds]

    def mean_of(values: list[float | None]) -> float | None:
        return None if any(v is None for v in values) else float(np.mean(values))

    samples = None
    if all(e.samples is not None for e in evaluations):
        samples = np.mean([e.samples for e in evaluations], axis=0)
    return Evaluation(value=float(np.mean([e.value for e in evaluations])),
                      per_subject=np.mean([e.per_subject for e in evaluations], axis=0),
                      ceiling=mean_of([e.ceiling for e in evaluations]),
                      ceiling_low=mean_of([e.ceiling_low for e in evaluations]), samples=samples,
                      details={"folds": [e.details for e in evaluations]})
