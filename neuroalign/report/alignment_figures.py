"""Which alignment figures mean something for the pairs at hand, and why the others are not drawn.

For each metric:

- the held-out scores of every pair (point, interval, permutation-null mean): meaningful from one pair on;
- the source x source matrix: only with 3 or more sources (with two it is one number in a 2 x 2 grid);
- each pair's layer x layer matrix on all stimuli, committed pair outlined: where both sources have 2 or more
  layers compared, for at most :data:`MAX_LAYER_MATRICES` pairs per metric;
- trained models against their random twins, where the study has both.

Across metrics, their agreement over the pairs: only with 2 or more metrics and 3 or more pairs (a rank
correlation of fewer items is undefined). Every figure is on a fixed scale
(:func:`neuroalign.report.plots.scales.metric_scale`). What is not drawn comes back as a note saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from neuroalign.report.aligned_pairs import AlignedPair, twin_rows

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The most layer x layer matrices drawn per metric.
MAX_LAYER_MATRICES = 12


@dataclass
class Drawn:
    """A figure with a file-safe name, a caption, and the group it belongs to (a metric, ``"twins"`` or
    ``"agreement"``)."""

    name: str
    figure: "Figure"
    caption: str
    group: str


@dataclass
class AlignmentFigures:
    """The figures worth drawing and, for each one left out, why."""

    figures: list[Drawn] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)


def _pair_table(pairs: list[AlignedPair], groups: list[str] | None = None) -> Any:
    import pandas as pd

    table = pd.DataFrame({"label": [p.label for p in pairs], "value": [p.value for p in pairs],
                          "low": [p.interval[0] if p.interval else np.nan for p in pairs],
                          "high": [p.interval[1] if p.interval else np.nan for p in pairs],
                          "null_mean": [p.null_mean for p in pairs]})
    if groups is not None:
        table["group"] = groups
    return table


def _scale(metric: str, pairs: list[AlignedPair]) -> Any:
    from neuroalign.report.plots.scales import metric_scale

    values = [p.value for p in pairs] + [v for p in pairs for v in np.ravel(p.matrix.to_numpy(dtype=float))]
    values += [b for p in pairs if p.interval for b in p.interval]
    return metric_scale(values, metric)


def _source_matrix(pairs: list[AlignedPair]) -> Any:
    import pandas as pd

    names = list(dict.fromkeys(n for p in pairs for n in (p.source_a, p.source_b)))
    table = pd.DataFrame(np.nan, index=names, columns=names)
    for p in pairs:
        table.loc[p.source_a, p.source_b] = table.loc[p.source_b, p.source_a] = p.value
    return table


def _metric_figures(metric: str, pairs: list[AlignedPair], out: AlignmentFigures) -> None:
    from neuroalign.report.plots import plot_layer_matrix, plot_pair_scores, plot_score_matrix

    scale = _scale(metric, pairs)
    held_out = f" on {pairs[0].n_held_out} held-out stimuli" if pairs[0].n_held_out else " on the held-out stimuli"
    fig = plot_pair_scores(_pair_table(pairs), vmin=scale.vmin, vmax=scale.vmax, xlabel=f"{metric} (held-out)",
                           title=f"{metric}: held-out scores")
    out.figures.append(Drawn(f"alignment_{_safe(metric)}_pairs", fig,
                             f"{metric} between each pair of sources at its committed layer pair{held_out}, with its "
                             "bootstrap interval, and the mean of its permutation null (x).", metric))
    names = list(dict.fromkeys(n for p in pairs for n in (p.source_a, p.source_b)))
    if len(names) >= 3:
        fig = plot_score_matrix(_source_matrix(pairs), vmin=scale.vmin, vmax=scale.vmax,
                                cmap=scale.cmap, label=f"{metric} (held-out)", title=f"{metric} (held-out)")
        fig.axes[0].set_xlabel("source")
        fig.axes[0].set_ylabel("source")
        out.figures.append(Drawn(f"alignment_{_safe(metric)}", fig, f"{metric} between every two of the "
                                 f"{len(names)} sources{held_out} (symmetric; the diagonal is not computed).", metric))
    else:
        out.notes.append(f"{metric}: no source x source matrix: {len(names)} sources give {len(pairs)} pair(s), "
                         "which the held-out scores figure shows (a matrix needs 3 or more sources)")
    for k, p in enumerate(pairs):
        if p.matrix.shape[0] < 2 and p.matrix.shape[1] < 2:
            out.notes.append(f"{metric}: no layer x layer matrix for {p.label}: one layer each")
            continue
        if k >= MAX_LAYER_MATRICES:
            out.notes.append(f"{metric}: layer x layer matrices drawn for the first {MAX_LAYER_MATRICES} of "
                             f"{len(pairs)} pairs")
            break
        title = f"{p.label}: {metric}"
        rows, cols = p.matrix.shape
        size = (max(5.5, 0.55 * cols + 3, 0.085 * len(title) + 1.5), max(3.5, 0.45 * rows + 2))  # room for the title
        fig = plot_layer_matrix(p.matrix, committed=(p.layer_a, p.layer_b), vmin=scale.vmin, vmax=scale.vmax,
                                cmap=scale.cmap, label=metric, title=title, figsize=size)
        fig.axes[0].set_xlabel(f"layer of {p.source_b}")
        fig.axes[0].set_ylabel(f"layer of {p.source_a}")
        null = f" (permutation-null mean {p.null_mean:.3f}, p = {p.p_value:.3g})" if p.n_permutations else ""
        out.figures.append(Drawn(f"alignment_{_safe(metric)}_{_safe(p.source_a)}_{_safe(p.source_b)}", fig,
                                 f"{p.label}: {metric} between every two layers on all stimuli (descriptive); the "
                                 f"outlined committed pair {p.layer_a} | {p.layer_b} was chosen on the selection "
                                 f"stimuli and scores {p.value:.3f}{held_out}{null}.", metric))


def _twin_figure(pairs: list[AlignedPair], out: AlignmentFigures) -> None:
    from neuroalign.report.plots import plot_pair_scores

    for metric in dict.fromkeys(p.metric for p in pairs):
        matched = twin_rows([p for p in pairs if p.metric == metric])
        if not matched:
            continue
        rows = [r for trained, twin in matched for r in (trained, twin)]
        scale = _scale(metric, rows)
        fig = plot_pair_scores(_pair_table(rows, ["trained", "random twin"] * len(matched)), vmin=scale.vmin,
                               vmax=scale.vmax, xlabel=f"{metric} (held-out)",
                               title=f"{metric}: trained vs random-initialised twin")
        out.figures.append(Drawn(f"alignment_{_safe(metric)}_twins", fig,
                                 f"{metric}: each trained model against its random-initialised twin (same "
                                 "architecture, untrained weights) with the same other source: what training "
                                 "adds over the architecture.", "twins"))


def alignment_figures(pairs: list[AlignedPair]) -> AlignmentFigures:
    """The figures of a set of alignment results (see the module docstring), and notes on what is not drawn."""
    out = AlignmentFigures()
    if not pairs:
        out.notes.append("no alignment results: nothing to draw")
        return out
    metrics = list(dict.fromkeys(p.metric for p in pairs))
    for metric in metrics:
        _metric_figures(metric, [p for p in pairs if p.metric == metric], out)
    _twin_figure(pairs, out)
    labels = sorted({frozenset((p.source_a, p.source_b)) for p in pairs}, key=sorted)
    if len(metrics) >= 2 and len(labels) >= 3:
        import pandas as pd

        from neuroalign.report.plots import plot_metric_agreement

        table = pd.DataFrame({m: {" ~ ".join(sorted((p.source_a, p.source_b))): p.value for p in pairs
                                  if p.metric == m} for m in metrics})
        out.figures.append(Drawn("metric_agreement", plot_metric_agreement(table),
                                 f"Do the metrics order the {len(table)} pairs of sources alike? Each panel plots "
                                 "two metrics over the pairs, with their Spearman rank correlation.", "agreement"))
    elif len(metrics) >= 2:
        out.notes.append(f"no metric agreement: {len(labels)} pair(s) of sources; a rank correlation between "
                         "metrics needs 3 or more")
    return out
