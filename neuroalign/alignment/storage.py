"""Alignment results in the results store (kind ``"alignment"``), and back.

Mapping of one pair of sources under one metric onto a stored result:

=====================  =================================================================================
column                 value
=====================  =================================================================================
``kind``               ``"alignment"``
``model_id``           the first source's name (e.g. ``"efficientnet-lite0"``)
``benchmark_id``       the second source's name (e.g. ``"kriegeskorte2008.human_it"``)
``benchmark_version``  :data:`ALIGNMENT_VERSION`
``metric``, ``value``  the metric id and the committed pair's held-out score
``layer``              the committed layer pair, ``"<layer of a>|<layer of b>"`` (an outcome, not keyed)
``interval_*``         the percentile bootstrap interval; ``raw`` holds the bootstrap values
``null``               ``mean``, ``std``, ``p_value``, ``n_permutations``, ``calibrated`` of the permutation null
``parameters``         (keyed) ``metric``, ``stimulus_set``, ``stimuli_sha256`` (the study's ids), ``source_a`` and
                       ``source_b`` (name, kind, fingerprint of weights / data, layers, pooling),
                       ``selection_fraction``, ``seed``, ``n_permutations``, ``n_bootstrap``, ``interval_level``
``provenance``         ``alignment``: both layer x layer matrices (all stimuli, selection), the selection and
                       held-out ids; ``environment``: versions of Python and the packages
=====================  =================================================================================
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from neuroalign.alignment.results import AlignmentStudy, PairAlignment
from neuroalign.cache.key import digest_sequence
from neuroalign.core.score import Score
from neuroalign.store import ResultRecord, environment_provenance

KIND = "alignment"
#: Version of the alignment procedure; part of every request key.
ALIGNMENT_VERSION = "1"


def _listed(table: pd.DataFrame) -> dict[str, Any]:
    values = [[None if not math.isfinite(v) else float(v) for v in row] for row in table.to_numpy(dtype=float)]
    return {"rows": [str(r) for r in table.index], "columns": [str(c) for c in table.columns], "values": values}


def _record(study: AlignmentStudy, pair: PairAlignment, environment: dict[str, Any]) -> ResultRecord:
    described = {s["name"]: s for s in study.sources}
    parameters = {"metric": pair.metric, "stimulus_set": study.stimulus_set,
                  "stimuli_sha256": digest_sequence(study.stimulus_ids), "source_a": described[pair.source_a],
                  "source_b": described[pair.source_b], "selection_fraction": study.selection_fraction,
                  "seed": study.seed, "n_permutations": study.n_permutations, "n_bootstrap": study.n_bootstrap,
                  "interval_level": study.level}
    null = None
    if pair.null.size:
        null = {"mean": pair.null_mean, "std": float(np.std(pair.null, ddof=1)) if pair.null.size > 1 else 0.0,
                "p_value": pair.p_value, "n_permutations": int(pair.null.size), "calibrated": pair.calibrated}
        null = {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in null.items()}
    interval = pair.interval if all(math.isfinite(v) for v in pair.interval) else None
    score = Score(value=pair.value, metric=pair.metric, interval=interval, interval_level=study.level,
                  raw=pair.bootstrap if pair.bootstrap.size else None, null=null,
                  provenance={"alignment": {"layer_a": pair.layer_a, "layer_b": pair.layer_b,
                                            "n_undefined_null": pair.n_undefined_null,
                                            "n_undefined_bootstrap": pair.n_undefined_bootstrap,
                                            "matrix_all": _listed(pair.matrix),
                                            "matrix_selection": _listed(pair.selection_matrix),
                                            "selection_ids": list(study.selection),
                                            "held_out_ids": list(study.held_out)}})
    return ResultRecord(score, pair.source_a, pair.source_b, ALIGNMENT_VERSION, parameters=parameters,
                        layer=f"{pair.layer_a}|{pair.layer_b}", kind=KIND, seed=study.seed,
                        provenance={"environment": environment})


def alignment_records(study: AlignmentStudy) -> list[ResultRecord]:
    """One :class:`~neuroalign.store.ResultRecord` per pair of sources and metric (see the module docstring)."""
    environment = environment_provenance()
    return [_record(study, pair, environment) for pair in study.pairs]


def write_study(study: AlignmentStudy, store: Any) -> list[int]:
    """Write a study's results in one transaction (replacing results of the same requests); returns the row ids."""
    return store.put_many(alignment_records(study), replace=True)


def stored_alignments(store: Any) -> pd.DataFrame:
    """The alignment results of a store, with the columns of :meth:`AlignmentStudy.to_frame` that it keeps."""
    import json

    rows = []
    for row in store.results(kind=KIND).itertuples():
        null = json.loads(row.null_json) if row.null_json else {}
        layer_a, _, layer_b = (row.layer or "|").partition("|")
        rows.append({"source_a": row.model_id, "source_b": row.benchmark_id, "metric": row.metric,
                     "layer_a": layer_a, "layer_b": layer_b, "value": row.value,
                     "null_mean": null.get("mean", math.nan), "calibrated": null.get("calibrated", math.nan),
                     "p_value": null.get("p_value", math.nan), "ci_low": row.interval_low,
                     "ci_high": row.interval_high, "request_key": row.request_key})
    return pd.DataFrame(rows)
