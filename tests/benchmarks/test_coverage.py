"""Activations must cover a benchmark's stimuli: a model that returns 23 of 24 is refused, or (where a benchmark
allows it) scored on 23 with the count shown everywhere; the rows' order never changes a score."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr

from neuroalign.benchmarks import StatsPolicy, score, sweep
from neuroalign.benchmarks.errors import GridError, StimulusCoverageError
from neuroalign.runs.grid import run
from neuroalign.models import PrecomputedAdapter
from neuroalign.store import ResultsStore, format_leaderboard

from synthetic_benchmark import N_STIMULI, SyntheticRsa, features_file

DROPPED = "s05"


class Dropping(PrecomputedAdapter):
    """Features of every stimulus but one (a model whose loader skipped a broken image)."""

    def extract(self, stimuli, layers="*", **options):
        return super().extract([i for i in stimuli.stimulus_ids if i != DROPPED], layers)


class Reversing(PrecomputedAdapter):
    """Every stimulus, rows in reverse order, each labelled with its id."""

    def extract(self, stimuli, layers="*", **options):
        return super().extract(list(stimuli.stimulus_ids)[::-1], layers)


class Intruding(PrecomputedAdapter):
    """Every stimulus plus one the benchmark does not have."""

    def extract(self, stimuli, layers="*", **options):
        return super().extract([*stimuli.stimulus_ids, "intruder"], layers)


class Lenient(SyntheticRsa):
    """The synthetic benchmark, declared to allow missing stimuli."""

    id = "synthetic.lenient"
    allow_missing_stimuli = True


@pytest.fixture()
def path(tmp_path):
    return features_file(tmp_path)


POLICY = StatsPolicy(n_bootstrap=50, seed=3)


def test_a_model_missing_a_stimulus_is_refused_by_name(path, tmp_path):
    model = Dropping(path, model_id="dropping")
    bench = SyntheticRsa(stats=POLICY)
    with pytest.raises(StimulusCoverageError, match=f"23 of the 24 stimuli .*missing 1 of its 24 stimuli \\('{DROPPED}'"):
        score(model, bench)
    with pytest.raises(StimulusCoverageError, match=DROPPED):
        sweep(model, bench)
    with pytest.raises(GridError, match=f"dropping on synthetic.rsa: StimulusCoverageError: .*'{DROPPED}'") as caught:
        run([model], [bench], store=tmp_path / "results.sqlite", progress=False)
    assert caught.value.table["status"].tolist() == ["failed"]
    with ResultsStore(tmp_path / "results.sqlite") as store:
        assert store.results().empty  # nothing stored next to the full scores


def test_ids_the_benchmark_does_not_have_are_refused(tmp_path):
    source = np.load(features_file(tmp_path))
    ids = [*source["stimulus_ids"], "intruder"]
    np.savez(tmp_path / "more.npz", stimulus_ids=np.array(ids), good=np.vstack([source["good"], source["good"][:1]]))
    with pytest.raises(StimulusCoverageError, match="1 ids the benchmark does not have \\('intruder'\\)"):
        score(Intruding(tmp_path / "more.npz", model_id="intruding"), SyntheticRsa(stats=POLICY))


def test_a_benchmark_that_allows_missing_stimuli_records_the_count(path, tmp_path):
    model = Dropping(path, model_id="dropping")
    bench = Lenient(stats=StatsPolicy(n_bootstrap=50, commitment="none"))
    result = score(model, bench, layers=["good"])
    assert result.provenance["stimuli"] == {"scored": N_STIMULI - 1, "total": N_STIMULI, "missing": [DROPPED]}
    ids = list(bench.stimuli().stimulus_ids)
    rows = [k for k, i in enumerate(ids) if i != DROPPED]
    features = np.load(path)["good"][rows].astype(np.float64)
    target = bench.target.reorder([ids[k] for k in rows]).dissimilarities
    expected = np.mean([spearmanr(pdist(features, "correlation"), t)[0] for t in target])
    assert result.value == pytest.approx(expected, abs=1e-12)
    with ResultsStore(tmp_path / "results.sqlite") as store:
        run([model], [bench], store=store, layers=["good"], progress=False)
        row = store.results().iloc[0]
        assert (row["n_scored"], row["n_stimuli"]) == (N_STIMULI - 1, N_STIMULI)
        board = store.leaderboard()
        assert "23/24" in format_leaderboard(board) and "scored on n of the benchmark's N stimuli" in \
            format_leaderboard(board)


def test_full_scores_record_their_count_too(path):
    result = score(PrecomputedAdapter(path, model_id="full"), SyntheticRsa(stats=POLICY))
    assert result.provenance["stimuli"] == {"scored": N_STIMULI, "total": N_STIMULI, "missing": []}


def test_the_rows_order_does_not_change_the_score(path):
    bench = SyntheticRsa(stats=POLICY)
    canonical = score(PrecomputedAdapter(path, model_id="m"), bench)
    reversed_ = score(Reversing(path, model_id="m"), bench)
    assert reversed_.value == canonical.value and reversed_.interval == canonical.interval
    assert reversed_.provenance["commitment"] == canonical.provenance["commitment"]
    profile, again = sweep(PrecomputedAdapter(path), bench), sweep(Reversing(path), bench)
    assert profile[["value", "interval_low", "interval_high"]].equals(again[["value", "interval_low",
                                                                             "interval_high"]])
