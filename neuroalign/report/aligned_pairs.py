"""Alignment results as the report draws them, from an :class:`~neuroalign.alignment.AlignmentStudy` in memory
(``neuroalign align --plots``) or from the results store (kind ``"alignment"``, the report's section).

The report sits beside :mod:`neuroalign.alignment` in the layering, so it reads a study by its attributes and the
store by its documented columns (``docs/alignment.md``) and imports neither.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

KIND = "alignment"
#: A random-initialised twin's id: ``"<model id>~random<seed>"`` (:func:`neuroalign.alignment.random_twin`).
TWIN = re.compile(r"^(?P<model>.+)~random(?P<seed>\d+)$")


@dataclass(frozen=True)
class AlignedPair:
    """One metric between two sources: the held-out score of the committed layer pair and what backs it."""

    source_a: str
    source_b: str
    metric: str
    value: float
    interval: tuple[float, float] | None
    null_mean: float
    p_value: float
    n_permutations: int
    layer_a: str
    layer_b: str
    matrix: "pd.DataFrame"
    n_held_out: int | None

    @property
    def label(self) -> str:
        return f"{self.source_a} ~ {self.source_b}"


def _finite(value: Any) -> float:
    return math.nan if value is None else float(value)


def pairs_from_study(study: Any) -> list[AlignedPair]:
    """The pairs of an :class:`~neuroalign.alignment.AlignmentStudy`."""
    out = []
    for p in study.pairs:
        interval = p.interval if all(math.isfinite(v) for v in p.interval) else None
        out.append(AlignedPair(p.source_a, p.source_b, p.metric, float(p.value), interval, float(p.null_mean),
                               float(p.p_value), int(p.null.size), p.layer_a, p.layer_b, p.matrix,
                               len(study.held_out)))
    return out


def _matrix(listed: Any) -> "pd.DataFrame":
    import pandas as pd

    if not isinstance(listed, dict):
        return pd.DataFrame()
    values = [[np.nan if v is None else v for v in row] for row in listed.get("values") or ()]
    return pd.DataFrame(values, index=listed.get("rows"), columns=listed.get("columns"), dtype=float)


def pairs_from_store(store: Any) -> list[AlignedPair]:
    """The latest stored result of every alignment request (pair of sources, metric, study settings)."""
    rows = store.results(kind=KIND)
    if rows.empty:
        return []
    rows = rows.sort_values(["created_at", "id"]).groupby("request_key", sort=False).tail(1).sort_values("id")
    out = []
    for row in rows.itertuples():
        null = json.loads(row.null_json) if row.null_json else {}
        details = json.loads(row.provenance_json).get("alignment") or {}
        layer_a, _, layer_b = (row.layer or "|").partition("|")
        low, high = _finite(row.interval_low), _finite(row.interval_high)
        interval = (low, high) if math.isfinite(low) and math.isfinite(high) else None
        held_out = details.get("held_out_ids")
        out.append(AlignedPair(row.model_id, row.benchmark_id, row.metric, _finite(row.value), interval,
                               _finite(null.get("mean")), _finite(null.get("p_value")),
                               int(null.get("n_permutations") or 0), layer_a, layer_b,
                               _matrix(details.get("matrix_all")), None if held_out is None else len(held_out)))
    return out


def twin_rows(pairs: list[AlignedPair]) -> list[tuple[AlignedPair, AlignedPair]]:
    """``(trained, random twin)`` pairs of results: the same metric and the same other source, the model in one and
    its twin ``<model>~random<seed>`` in the other."""
    index = {(p.metric, frozenset((p.source_a, p.source_b))): p for p in pairs}
    out = []
    for p in pairs:
        for twin, other in ((p.source_a, p.source_b), (p.source_b, p.source_a)):
            match = TWIN.match(twin)
            if match and other != match["model"]:
                trained = index.get((p.metric, frozenset((match["model"], other))))
                if trained is not None:
                    out.append((trained, p))
    return out
