"""results() filters; leaderboard() content and order; format_leaderboard() text."""

from __future__ import annotations

import math

import pytest

from neuroalign.store import format_leaderboard
from neuroalign.store.leaderboard import MEAN


@pytest.fixture
def filled(store, make_record):
    store.put_many([
        make_record("model-a", "bench-1", value=0.305, ceiling=0.5, interval=(0.26, 0.35)),
        make_record("model-a", "bench-2", value=0.6, ceiling=0.5),  # above its ceiling
        make_record("model-b", "bench-1", value=0.1, parameters={"run": 1}),  # superseded below
        make_record("model-c", "bench-2", value=0.45, ceiling=0.5, interval=(0.4, 0.5)),
        make_record("model-d", "bench-1", value=0.99, ceiling=0.5, layer="fc6", kind="layer_sweep"),
    ])
    store.put(make_record("model-b", "bench-1", value=0.4, parameters={"run": 2}))  # no ceiling: raw value
    return store


def test_results_filters(filled):
    assert len(filled.results()) == 6
    assert filled.results(model_id="model-a")["benchmark_id"].tolist() == ["bench-1", "bench-2"]
    assert filled.results(benchmark_id="bench-2")["model_id"].tolist() == ["model-a", "model-c"]
    assert filled.results(kind="layer_sweep")["model_id"].tolist() == ["model-d"]
    assert filled.results(model_id="model-a", benchmark_id="bench-2", kind="score")["value"].tolist() == [0.6]
    assert filled.results(model_id="nobody").empty


def test_leaderboard_rows_order_and_cells(filled):
    table = filled.leaderboard()
    # mean of normalised scores 0.905, 0.9; model-b has a raw score only (never averaged); model-d is a sweep
    assert table.index.tolist() == ["model-a", "model-c", "model-b"]
    a = table.loc["model-a"]
    assert a[("bench-1@1", "score")] == pytest.approx(0.61) and a[("bench-1@1", "high")] == pytest.approx(0.7)
    assert a[("bench-2@1", "score")] == pytest.approx(1.2) and a[("bench-2@1", "exceeds_ceiling")]
    assert a[(MEAN, "score")] == pytest.approx(0.905) and a[(MEAN, "n")] == 2
    b = table.loc["model-b"]
    assert b[("bench-1@1", "score")] == 0.4 and not b[("bench-1@1", "normalized")]  # latest, raw
    assert math.isnan(b[("bench-2@1", "score")])
    assert math.isnan(b[(MEAN, "score")]) and b[(MEAN, "n")] == 0


def test_leaderboard_text(filled):
    assert format_leaderboard(filled.leaderboard()) == "\n".join([
        "model            bench-1@1          bench-2@1  mean normalised",
        "         normalised, ^ raw         normalised                 ",
        "-------  -----------------  -----------------  ---------------",
        "model-a  0.61 [0.52, 0.70]              1.20*             0.91",
        "model-c                  -  0.90 [0.80, 1.00]             0.90",
        "model-b              0.40^                  -                -",
        "",
        "* above the noise ceiling (normalised score > 1): too few subjects, a biased estimator or overfitting",
        "^ raw score: no positive noise ceiling to normalise by (never averaged with normalised scores)",
        "mean normalised: the mean of a model's ceiling-normalised scores only; raw scores are left out",
    ])


def test_each_benchmark_version_is_its_own_column(store, make_record):
    store.put_many([make_record(version="1", value=0.2, ceiling=0.4), make_record(version="2", value=0.3)])
    table = store.leaderboard()
    assert list(table.columns.get_level_values(0).unique()) == ["bench-1@1", "bench-1@2", MEAN]
    # the raw score of version 2 is not averaged with the normalised 0.5 of version 1
    assert table.loc["model-a", (MEAN, "score")] == pytest.approx(0.5)
    assert "0.50" in format_leaderboard(table) and "0.30^" in format_leaderboard(table)


def test_an_empty_leaderboard(store, make_record):
    store.put(make_record(kind="alignment"))
    assert store.leaderboard().empty and format_leaderboard(store.leaderboard()) == "no results"
    assert store.leaderboard(kind="alignment").index.tolist() == ["model-a"]


def test_board_prints_as_the_leaderboard_without_pandas(filled):
    # the terminal's leaderboard (a Board, no pandas) and the DataFrame's text are the same, subset included
    assert format_leaderboard(filled.board()) == format_leaderboard(filled.leaderboard())
    table = filled.leaderboard()
    shown = table[table.index.isin(["model-b"])]
    assert "model-a" not in format_leaderboard(shown) and "0.40^" in format_leaderboard(shown)
    assert format_leaderboard(filled.board(kind="nothing")) == "no results"
