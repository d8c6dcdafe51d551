"""Alignment results in the results store and in plots."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alignment_helpers import layered, planted  # noqa: E402

from neuroalign.alignment import align, alignment_records, stored_alignments  # noqa: E402
from neuroalign.report.errors import PlotInputError  # noqa: E402
from neuroalign.store import ResultsStore  # noqa: E402


@pytest.fixture(scope="module")
def study():
    a, b, stimuli = planted()
    c = layered("c", {"only": np.random.default_rng(4).normal(size=(40, 6))})
    return align([a, b, c], stimuli, ["cka.linear", "rsa.correlation.spearman"], n_permutations=20, n_bootstrap=15,
                 seed=2)


def test_store_round_trip(study, tmp_path):
    with ResultsStore(tmp_path / "r.sqlite") as store:
        from neuroalign.alignment import write_study

        write_study(study, store)
        write_study(study, store)  # the same requests again: replaced, not duplicated
        back = stored_alignments(store)
        rows = store.results(kind="alignment")
    assert len(back) == len(study.pairs) == 6
    frame = study.to_frame()
    merged = frame.merge(back, on=["source_a", "source_b", "metric"], suffixes=("", "_stored"))
    for column in ("value", "null_mean", "calibrated", "p_value", "ci_low", "ci_high"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_stored"], rtol=1e-12)
    assert (merged.layer_a == merged.layer_a_stored).all() and (merged.layer_b == merged.layer_b_stored).all()
    row = rows[(rows.model_id == "a") & (rows.benchmark_id == "b") & (rows.metric == "cka.linear")].iloc[0]
    parameters = json.loads(row.parameters_json)
    assert parameters["source_a"]["layers"] == ["l0", "l1", "l2"] and parameters["seed"] == 2
    assert parameters["n_permutations"] == 20 and parameters["stimulus_set"] == "toy"
    provenance = json.loads(row.provenance_json)
    assert provenance["alignment"]["matrix_all"]["rows"] == ["l0", "l1", "l2"]
    assert "packages" in provenance["environment"]
    assert len(json.loads(row.raw_json)) == 15


def test_request_keys_change_with_what_changes_the_numbers(study):
    keys = {r.request_key for r in alignment_records(study)}
    assert len(keys) == 6
    a, b, stimuli = planted()
    other = align([a, b], stimuli, ["cka.linear"], n_permutations=20, n_bootstrap=15, seed=3)
    assert alignment_records(other)[0].request_key not in keys


def test_frames_matrices_and_agreement(study):
    frame = study.to_frame()
    assert list(frame.columns[:7]) == ["source_a", "source_b", "kind_a", "kind_b", "metric", "layer_a", "layer_b"]
    matrix = study.matrix("cka.linear")
    assert matrix.loc["a", "b"] == matrix.loc["b", "a"] == study.pair("b", "a", "cka.linear").value
    assert np.isnan(matrix.loc["a", "a"])
    layers = study.layer_matrix("b", "a", "cka.linear")
    assert list(layers.index) == ["m0", "m1", "m2"] and list(layers.columns) == ["l0", "l1", "l2"]
    agreement = study.metric_agreement()
    assert agreement.shape == (2, 2) and agreement.loc["cka.linear", "cka.linear"] == pytest.approx(1.0)


def test_plots(study):
    from neuroalign.report import plot_layer_matrix, plot_metric_agreement, plot_score_matrix
    from neuroalign.report.plots.layer_matrix import COMMITTED_GID

    pair = study.pair("a", "b", "cka.linear")
    fig = plot_layer_matrix(study.layer_matrix("a", "b", "cka.linear"), committed=pair)
    marked = [p for p in fig.axes[0].patches if p.get_gid() == COMMITTED_GID]
    assert len(marked) == 1
    row, col = ["l0", "l1", "l2"].index(pair.layer_a), ["m0", "m1", "m2"].index(pair.layer_b)
    assert marked[0].get_xy() == (col - 0.5, row - 0.5)
    fig.canvas.draw()
    with pytest.raises(PlotInputError, match="not a cell"):
        plot_layer_matrix(study.layer_matrix("a", "b", "cka.linear"), committed=("l9", "m0"))
    plot_score_matrix(study.matrix("rsa.correlation.spearman")).canvas.draw()
    plot_metric_agreement(study.by_metric()).canvas.draw()
