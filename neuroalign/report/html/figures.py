"""The report's figures, inline PNG ``data:`` URIs: the score matrix, and what a score's provenance allows.

A committed score keeps every candidate layer's selection score per fold (``provenance["commitment"]["folds"]``),
drawn as a layer profile with the committed layer marked; a time-resolved score keeps its time course and the
scored window (``provenance["details"]``, per fold under ``details["folds"]`` for cross-validation), drawn with the
window shaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from neuroalign.report.html.rdm_pair import kept, rdm_pair_caption, rdm_pair_figure
from neuroalign.report.html.views import FigureView
from neuroalign.report.plots._axes import plain
from neuroalign.store.leaderboard import benchmark_labels

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from neuroalign.store import StoredResult


def _axes_summary(fig: "Figure") -> list[dict[str, Any]]:
    """Per axes of the figure: its labels and title, or for a colour bar the range of its scale."""
    out = []
    for ax in fig.axes:
        colorbar = getattr(ax, "_colorbar", None)
        if colorbar is not None:
            out.append({"colorbar": ax.get_ylabel() or ax.get_xlabel(), "vmin": float(colorbar.norm.vmin),
                        "vmax": float(colorbar.norm.vmax)})
        elif ax.axison:
            out.append({"xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(), "title": ax.get_title()})
    return out


def figure_view(fig: "Figure", caption: str) -> FigureView:
    """The figure as an inline PNG (``data:`` URI) with its caption and the summary of its axes."""
    from neuroalign.report.plots import figure_to_base64_png

    axes = _axes_summary(fig)
    return FigureView("data:image/png;base64," + figure_to_base64_png(fig, dpi=100), caption, axes)


def score_matrix_figures(board: "pd.DataFrame") -> list[FigureView]:
    """The models x benchmarks matrix of a leaderboard, each cell on its fixed scale.

    Normalised scores on [0, 1] and raw scores on [-1, 1] centred on 0
    (:mod:`neuroalign.report.plots.scales`), each with its colour bar; models keep the leaderboard's order;
    unscored cells are hatched.

    Parameters
    ----------
    board : DataFrame
        A leaderboard (:func:`neuroalign.store.leaderboard_table`).
    """
    from neuroalign.report.plots import plot_score_matrix
    from neuroalign.report.plots.scales import NORMALISED, RAW

    labels = benchmark_labels(board)
    if board.empty or not labels:
        return []
    scores = board[labels].xs("score", axis=1, level="field").astype(float)
    raw = ~board[labels].xs("normalized", axis=1, level="field").fillna(True).astype(bool)
    fig = plot_score_matrix(scores, label=NORMALISED.label, vmin=NORMALISED.vmin, vmax=NORMALISED.vmax,
                            cmap=NORMALISED.cmap, raw=raw.to_numpy(), raw_scale=RAW, title="Models x benchmarks")
    return [figure_view(fig, f"Models x benchmarks: ceiling-normalised scores on the fixed scale {NORMALISED.vmin:g} "
                             f"to {NORMALISED.vmax:g} ({NORMALISED.cmap}), raw scores (benchmarks without a "
                             f"positive noise ceiling) on {RAW.vmin:g} to {RAW.vmax:g} centred on 0 ({RAW.cmap}); "
                             "hatched cells were not scored.")]


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


def _committed(provenance: dict[str, Any]) -> list[Any]:
    commitment = provenance.get("commitment")
    layer = commitment.get("layer") if isinstance(commitment, dict) else None
    return [] if layer is None else layer if isinstance(layer, list) else [layer]


def _stored_profile(result: "StoredResult", profile: "pd.DataFrame", order: list[str]) -> FigureView:
    from neuroalign.report.html.profiles import describe, in_layer_order
    from neuroalign.report.plots import plot_layer_profile

    table = in_layer_order(profile, order)
    layers = [str(name) for name in table["layer"]]
    committed = [name for name in ([result.layer] if result.layer else []) if name in layers]
    fig = plot_layer_profile(table, committed=committed[0] if committed else None,
                             title="Layer profile (every layer, every stimulus)")
    ax = fig.axes[0]
    folds = _folds(result.provenance)
    for k, fold in enumerate(folds):  # how the layer was chosen, on the same axes: one line per fold
        scores = fold["selection_scores"]
        x = [k for k, name in enumerate(layers) if name in scores]
        ax.plot(x, [scores[layers[j]] for j in x], color="C1", linestyle="--", marker=".", linewidth=1,
                label=_numbered("selection scores", k, len(folds)))
    if folds:
        ax.legend(fontsize="small", loc="best")
    star = f"the committed layer {committed[0]} is starred; " if committed else ""
    chosen = ("; dashed: the selection scores on the selection stimuli that chose it" if folds else "")
    return figure_view(fig, f"{result.model_id}: stored layer profile on {result.benchmark_id} "
                            f"({describe(table)}), with bootstrap intervals and the noise-ceiling band; {star}"
                            "descriptive: every layer scored on every stimulus, so its best value is inflated by "
                            f"the choice{chosen}.")


def _subjects(result: "StoredResult") -> FigureView | None:
    from neuroalign.report.plots import plot_subject_scores

    raw = result.raw
    if raw is None or int(np.isfinite(raw).sum()) < 2:  # one subject: its point is the score itself
        return None
    ceiling = None if result.ceiling is None else (result.ceiling_low, result.ceiling)
    fig = plot_subject_scores(raw, interval=result.interval, ceiling=ceiling, ylabel=f"score ({result.metric})")
    return figure_view(fig, f"{result.model_id}: the score per subject ({raw.size} subjects), their mean with "
                            "its interval, and the noise ceiling.")


def score_figures(result: "StoredResult", profile: "pd.DataFrame | None" = None) -> list[FigureView]:
    """The figures a stored score allows (possibly none): its stored layer profile (``profile``, from
    :func:`~neuroalign.report.html.profiles.stored_profiles`), its per-subject values, the model's RDM next to the
    brain's, the selection scores per fold and the time course its provenance keeps."""
    provenance = result.provenance
    order = [str(name) for name in provenance.get("layers_considered") or ()]
    out = []
    if profile is not None and len(profile):
        out.append(_stored_profile(result, profile, order))
    subjects = _subjects(result)
    if subjects is not None:
        out.append(subjects)
    pairs = list(kept(provenance.get("details")))
    layers = [str(name) for name in _committed(provenance)] or ([result.layer] if result.layer else [])
    for k, pair in enumerate(pairs):
        layer = layers[k] if len(layers) == len(pairs) else ", ".join(layers)
        out.append(figure_view(rdm_pair_figure(pair, f"model: layer {layer}", _numbered("RDMs", k, len(pairs))),
                               rdm_pair_caption(result, pair)))
    folds = [] if profile is not None and len(profile) else _folds(provenance)  # else drawn on the profile
    for k, fold in enumerate(folds):
        title = _numbered("Selection scores per layer", k, len(folds))
        out.append(figure_view(_layer_profile(fold, order, result.metric, title),
                               f"{result.model_id}: {title.lower()} on the selection stimuli; the committed layer "
                               f"{fold.get('layer')} is starred. Descriptive: these stimuli are not the scored "
                               "ones."))
    courses = list(_time_courses(provenance.get("details")))
    for k, course in enumerate(courses):
        title = _numbered("Time course", k, len(courses))
        whose = "this fold's held-out score (the score averages the folds)" if len(courses) > 1 else "the score"
        out.append(figure_view(_time_course(course, result.metric, title),
                               f"{result.model_id}: {title.lower()} of the comparison on the scored stimuli; its "
                               f"mean over the shaded window is {whose}."))
    return out
