"""The leaderboard's rows: one per model, for every benchmark its score on both scales, and the mean.

The order is :func:`neuroalign.store.leaderboard_table`'s (best mean of normalised scores first); the page's
script re-sorts and filters the rows in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from neuroalign.report.html.markup import anchor, is_missing, section_id
from neuroalign.store.leaderboard import MEAN, benchmark_labels, column_scale

if TYPE_CHECKING:
    import pandas as pd

    from neuroalign.report.html.views import ScoreView


@dataclass(frozen=True)
class Column:
    """A benchmark version's column pair (raw, normalised) in the leaderboard."""

    label: str
    benchmark_id: str
    version: str
    scale: str

    @property
    def anchor(self) -> str:
        return section_id(self.benchmark_id)


@dataclass(frozen=True)
class Row:
    """A model's row: its cells in column order (None where not scored) and its mean normalised score."""

    rank: int
    model: str
    cells: list["ScoreView | None"]
    mean: float | None
    n_mean: int

    @property
    def anchor(self) -> str:
        return anchor("model", self.model)


@dataclass(frozen=True)
class Leaderboard:
    columns: list[Column]
    rows: list[Row]
    mean_label: str = MEAN


def leaderboard_view(board: "pd.DataFrame", latest: Mapping[tuple[str, str], "ScoreView"]) -> Leaderboard:
    """The leaderboard of ``board`` (:func:`~neuroalign.store.leaderboard_table`), its cells the latest scores.

    Parameters
    ----------
    board : DataFrame
        The leaderboard table (its order and means are kept).
    latest : mapping
        ``(model_id, "<benchmark_id>@<version>")`` to the view of that latest score.
    """
    labels = benchmark_labels(board)
    columns = [Column(label, *label.rsplit("@", 1), scale=column_scale(board, label)) for label in labels]
    rows = []
    for rank, (model, group) in enumerate(board.iterrows(), start=1):
        mean = group[(MEAN, "score")]
        rows.append(Row(rank, str(model), [latest.get((str(model), label)) for label in labels],
                        None if is_missing(mean) else float(mean), int(group[(MEAN, "n")])))
    return Leaderboard(columns, rows)
