"""Layer profiles in the results store: one request per layer, a profile written whole, read back unless forced."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.benchmarks import StatsPolicy, sweep
from neuroalign.runs.sweeps import run_sweeps, stored_sweep
from neuroalign.models import PrecomputedAdapter
from neuroalign.store import ResultsStore

from synthetic_benchmark import SyntheticRsa, features_file


@pytest.fixture()
def model(tmp_path):
    return PrecomputedAdapter(features_file(tmp_path), model_id="synthetic-features")


def test_profiles_are_stored_per_layer_and_read_back(tmp_path, model):
    store = ResultsStore(tmp_path / "results.sqlite")
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=20))
    first = run_sweeps([model], [bench], store=store, layers=["noise", "good", "weak"])
    direct = sweep(model, bench, layers=["noise", "good", "weak"])
    assert list(first.layer) == list(direct.layer) and set(first.status) == {"scored"}
    np.testing.assert_array_equal(first.value, direct.value)
    np.testing.assert_array_equal(first.interval_low, direct.interval_low)
    stored = store.results(kind="layer_sweep")
    assert sorted(stored.layer) == ["good", "noise", "weak"]
    again = run_sweeps([model], [bench], store=store, layers=["noise", "good", "weak"])
    assert set(again.status) == {"stored"}
    np.testing.assert_array_equal(again.value, first.value)
    forced = run_sweeps([model], [bench], store=store, layers=["noise", "good", "weak"], force=True)
    assert set(forced.status) == {"scored"} and len(store.results(kind="layer_sweep")) == 3


def test_globs_name_the_layers_and_a_new_layer_is_a_new_profile(tmp_path, model):
    store = ResultsStore(tmp_path / "results.sqlite")
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=0))
    run_sweeps([model], [bench], store=store, layers="[gn]*")
    assert sorted(store.results(kind="layer_sweep").layer) == ["good", "noise"]
    table = run_sweeps([model], [bench], store=store, layers="*")
    assert dict(zip(table.layer, table.status)) == {"noise": "stored", "good": "stored", "weak": "scored"}
    assert len(store.results(kind="layer_sweep")) == 3


def test_stored_sweep_is_the_sweep_table_and_a_new_benchmark_version_recomputes(tmp_path, model):
    """``stored_sweep`` (the demo's figure reads it) is ``sweep``'s table with its provenance, read back from the
    store the second time; another benchmark version is another request, computed afresh (never stale)."""
    store = ResultsStore(tmp_path / "results.sqlite")
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=20))
    direct = sweep(model, bench, layers=["noise", "good"])
    first = stored_sweep(model, bench, store=store, layers=["noise", "good"])
    again = stored_sweep(model, bench, store=store, layers=["noise", "good"])
    for table in (first, again):
        assert list(table.columns) == list(direct.columns)
        np.testing.assert_array_equal(table.to_numpy(), direct.to_numpy())
        assert table.attrs["provenance"]["metric"] == direct.attrs["provenance"]["metric"]
    assert len(store.results(kind="layer_sweep")) == 2

    bench.version = "2"
    stored_sweep(model, bench, store=store, layers=["noise", "good"])
    assert sorted(store.results(kind="layer_sweep").benchmark_version) == ["1", "1", "2", "2"]
