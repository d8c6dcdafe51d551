"""The report's section of alignment studies (``neuroalign align`` results in the store, kind ``"alignment"``).

Per metric: a table of every pair (committed layer pair, held-out score with its interval, permutation-null mean
and p-value) and the figures of :mod:`neuroalign.report.alignment_figures` (held-out scores against their nulls,
the source x source matrix, each pair's layer x layer matrix); trained models against their random twins; the
agreement between metrics; and why any figure is left out.
"""

from __future__ import annotations

import math
from typing import Any

from neuroalign.report.aligned_pairs import AlignedPair, pairs_from_store, twin_rows
from neuroalign.report.html.markup import anchor, interval, number
from neuroalign.report.html.sections import Block, Section, Table

HEADERS = ["pair of sources", "committed layers", "held-out score [CI]", "permutation-null mean", "p-value",
           "held-out stimuli"]


def _row(p: AlignedPair) -> list[str]:
    p_value = "-" if not math.isfinite(p.p_value) else f"{p.p_value:.3g} ({p.n_permutations} permutations)"
    return [p.label, f"{p.layer_a} | {p.layer_b}", f"{number(p.value)} {interval(p.interval)}",
            number(p.null_mean), p_value, "-" if p.n_held_out is None else str(p.n_held_out)]


def _twin_table(pairs: list[AlignedPair]) -> Table | None:
    matched = twin_rows(pairs)
    if not matched:
        return None
    rows = []
    for trained, twin in matched:
        other = trained.source_b if trained.source_b in (twin.source_a, twin.source_b) else trained.source_a
        rows.append([trained.metric, trained.label, f"{number(trained.value)} {interval(trained.interval)}",
                     f"{number(twin.value)} {interval(twin.interval)}", number(trained.value - twin.value),
                     other])
    return Table(["metric", "trained pair", "trained [CI]", "random twin [CI]", "trained - twin", "other source"],
                 rows)


def alignment_section(store: Any) -> Section | None:
    """The section, or None when the store holds no alignment result."""
    from neuroalign.report.alignment_figures import alignment_figures
    from neuroalign.report.html.figures import figure_view

    pairs = pairs_from_store(store)
    if not pairs:
        return None
    drawn = alignment_figures(pairs)
    views = {id(d): figure_view(d.figure, d.caption) for d in drawn.figures}
    blocks = []
    for metric in dict.fromkeys(p.metric for p in pairs):
        rows = [p for p in pairs if p.metric == metric]
        blocks.append(Block(anchor("alignment", metric), f"Metric {metric}",
                            table=Table(HEADERS, [_row(p) for p in rows]),
                            figures=[views[id(d)] for d in drawn.figures if d.group == metric]))
    twins = _twin_table(pairs)
    if twins is not None:
        blocks.append(Block("alignment-twins", "Trained models vs their random twins", table=twins,
                            text=["A random twin has the model's architecture with untrained weights: the gap between "
                                  "the two is what training adds over the architecture and the input statistics."],
                            figures=[views[id(d)] for d in drawn.figures if d.group == "twins"]))
    agreement = [views[id(d)] for d in drawn.figures if d.group == "agreement"]
    if agreement:
        blocks.append(Block("alignment-agreement", "Agreement between metrics", figures=agreement))
    intro = ["Each pair of sources is scored at one committed layer pair, chosen on the selection stimuli and scored "
             "on the held-out stimuli only, with a permutation null (the held-out stimuli's labels of one source "
             "shuffled) and a bootstrap interval. The layer x layer matrices on all stimuli are descriptive."]
    intro += [f"Not drawn: {note}." for note in drawn.notes]
    return Section("alignment", "Alignment studies", intro=intro, blocks=blocks)
