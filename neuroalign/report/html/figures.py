"""The report's figures, embedded as base64 PNG data URIs: the score matrix, and what a score's provenance allows.

A committed score keeps every candidate layer's selection score per fold (``provenance["commitment"]["folds"]``),
drawn as a layer profile with the committed layer marked; a time-resolved score keeps its time course and the
scored window (``provenance["details"]``, per fold under ``details["folds"]`` for cross-validation), drawn with the
window shaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from neuroalign.report.html.markup import element, text
from neuroalign.report.plots._axes import plain
from neuroalign.store.leaderboard import benchmark_labels

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from neuroalign.store import StoredResult


def embed(fig: "Figure", caption: str) -> str:
    """A ``<figure>`` with the figure as an inline PNG (``data:`` URI) and its caption as alt text and caption."""
    from neuroalign.report.plots import figure_to_base64_png

    source = "data:image/png;base64," + figure_to_base64_png(fig, dpi=100)
    return element("figure", element("img", src=source, alt=caption) + text("figcaption", caption))


#: The two scales a leaderboard cell can be on, each drawn on its own heatmap (never one colour scale for both).
_SCALES = ((True, "ceiling-normalised score", "Ceiling-normalised scores (score / noise ceiling)"),
           (False, "raw score", "Raw scores (benchmarks without a positive noise ceiling)"))


def score_matrix_figures(board: "pd.DataFrame") -> str:
    """The models x benchmarks heatmaps of a leaderboard: one of normalised scores, one of raw scores (where any).

    Parameters
    ----------
    board : DataFrame
        A leaderboard (:func:`neuroalign.store.leaderboard_table`).
    """
    from neuroalign.report.plots import plot_score_matrix

    labels = benchmark_labels(board)
    scores = board[labels].xs("score", axis=1, level="field")
    normalised = board[labels].xs("normalized", axis=1, level="field")
    out = []
    for kind, label, title in _SCALES:
        mask = normalised.fillna(not kind).astype(bool) == kind  # a missing flag is a cell with no score
        part = scores.where(mask).dropna(axis=0, how="all").dropna(axis=1, how="all")
        if part.size:
            fig = plot_score_matrix(part, label=label, title=title)
            out.append(embed(fig, f"{title} of the models on the benchmarks; hatched cells were not scored on this "
                                  "scale."))
    return "".join(out)


def _folds(provenance: dict[str, Any]) -> list[dict[str, Any]]:
    commitment = provenance.get("commitment")
    folds = commitment.get("folds") if isinstance(commitment, dict) else None
    return [f for f in folds or () if isinstance(f, dict) and isinstance(f.get("selection_scores"), dict)]


def _layer_profile(fold: dict[str, Any], order: list[str], metric: str, title: str) -> "Figure":
    import pandas as pd

    from neuroalign.report.plots import plot_layer_profile

    scores = fold["selection_scores"]
    # the store sorts JSON keys: restore the model's layer order where the provenance records it
    layers = [name for name in order if name in scores] + [name for name in scores if name not in order]
    nan = [np.nan] * len(layers)
    table = pd.DataFrame({"layer": layers, "value": [scores[name] for name in layers], "interval_low": nan,
                          "interval_high": nan, "ceiling": nan, "ceiling_low": nan})
    committed = fold.get("layer") if fold.get("layer") in layers else None
    fig = plot_layer_profile(table, committed=committed, title=title)
    ax = fig.axes[0]
    for container in ax.containers:  # the profile's line: selection scores, which have no interval here
        container.set_label("selection score")
    ax.legend(fontsize="small", loc="best")
    ax.set_ylabel(plain(f"selection score ({metric})"))
    return fig


def _time_courses(details: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(details, dict):
        return
    if "time_course" in details and "times" in details:
        yield details
    for fold in details.get("folds") or ():
        yield from _time_courses(fold)


def _time_course(course: dict[str, Any], metric: str, title: str) -> "Figure":
    from neuroalign.report.plots import plot_time_course
    from neuroalign.report.plots._axes import figure_and_axes

    fig, ax = figure_and_axes(None, (7.2, 4.0))
    window = course.get("window")
    if isinstance(window, (list, tuple)) and len(window) == 2:
        # drawn first so that the legend plot_time_course adds lists it
        ax.axvspan(float(window[0]), float(window[1]), color="C2", alpha=0.15, linewidth=0,
                   label=f"scored window {float(window[0]):g}-{float(window[1]):g} s")
    plot_time_course(course["times"], course["time_course"], ax=ax, label="model vs brain",
                     ylabel=f"score ({metric})", title=title)
    return fig


def _numbered(title: str, k: int, n: int) -> str:
    return f"{title} (fold {k + 1} of {n})" if n > 1 else title


def score_figures(result: "StoredResult") -> list[str]:
    """The figures a stored score's provenance allows (possibly none), as ``<figure>`` markup."""
    provenance = result.provenance
    order = [str(name) for name in provenance.get("layers_considered") or ()]
    out = []
    folds = _folds(provenance)
    for k, fold in enumerate(folds):
        title = _numbered("Selection scores per layer", k, len(folds))
        out.append(embed(_layer_profile(fold, order, result.metric, title),
                         f"{result.model_id}: {title.lower()} on the selection stimuli; the committed layer "
                         f"{fold.get('layer')} is starred. Descriptive: these stimuli are not the scored ones."))
    courses = list(_time_courses(provenance.get("details")))
    for k, course in enumerate(courses):
        title = _numbered("Time course", k, len(courses))
        whose = "this fold's held-out score (the score averages the folds)" if len(courses) > 1 else "the score"
        out.append(embed(_time_course(course, result.metric, title),
                         f"{result.model_id}: {title.lower()} of the comparison on the scored stimuli; its mean "
                         f"over the shaded window is {whose}."))
    return out
