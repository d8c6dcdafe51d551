"""The model's RDM next to the brain's at the committed layer, from the RDMs a score keeps in its provenance.

An RSA score on a small stimulus set keeps both RDMs (:mod:`neuroalign.benchmarks.kept_rdms`) on the scored
stimuli, in one stimulus order; both are drawn in that order, grouped by category where the score kept
categories, each with its own colour bar (the two distances differ).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from neuroalign.store import StoredResult


def kept(details: Any) -> Iterator[dict[str, Any]]:
    """The kept RDM pairs of a score's ``details`` (one per fold for cross-validation)."""
    if not isinstance(details, dict):
        return
    if isinstance(details.get("rdms"), dict):
        yield details["rdms"]
    for fold in details.get("folds") or ():
        yield from kept(fold)


def _rdms(values: list, ids: list[str], distance: Any) -> Any:
    from neuroalign.core.rdms import RDMs

    condensed = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    return RDMs.from_condensed(condensed, ids, distance=distance)


def rdm_pair_figure(pair: dict[str, Any], model_label: str, title: str) -> "Figure":
    """Two panels: the model's RDM and the brain's mean RDM, same stimulus order, category bars."""
    from neuroalign.report.plots import new_figure, plot_rdm

    ids = [str(i) for i in pair["stimulus_ids"]]
    categories = pair.get("categories")
    fig = new_figure((11.0, 5.2))
    left, right = fig.subplots(1, 2)
    n_subjects = pair.get("n_subjects")
    brain = "brain (mean of {} subjects)".format(n_subjects) if n_subjects and n_subjects > 1 else "brain"
    for ax, values, distance, label in ((left, pair["model"], pair.get("model_distance"), model_label),
                                        (right, pair["brain"], pair.get("brain_distance"), brain)):
        plot_rdm(_rdms(values, ids, distance), categories=categories, ax=ax, title=label)
    fig.suptitle(title)
    return fig


def rdm_pair_caption(result: "StoredResult", pair: dict[str, Any]) -> str:
    """The figure's caption."""
    grouped = "grouped by category (coloured bars)" if pair.get("categories") else "in the benchmark's order"
    return (f"{result.model_id}: its RDM at the committed layer next to the brain RDM of {result.benchmark_id}, on "
            f"the {len(pair['stimulus_ids'])} scored stimuli in the same order, {grouped}; each panel has its own "
            "colour bar (the distances differ).")
