"""The time-resolved predictivity kind as a dataset plugin uses it: an in-memory benchmark, layers chosen on held-out
stimuli, the decodable time points found."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_time_resolved import SyntheticDecoding, layers_file

from neuroalign.benchmarks import StatsPolicy, score
from neuroalign.models import PrecomputedAdapter


def test_a_plugin_benchmark_commits_to_the_decodable_layer_on_held_out_trials(tmp_path):
    bench = SyntheticDecoding(n_per_condition=16)
    model = PrecomputedAdapter(layers_file(tmp_path, bench), model_id="layers")
    result = score(model, bench, stats=StatsPolicy(n_bootstrap=10, commitment="split"))
    assert result.provenance["commitment"]["layer"] == "condition"
    assert result.value > 0.5 and result.ceiling is None and result.raw.shape == (4,)
    details = result.provenance["details"]
    course, times = np.array(details["time_course"]), np.array(details["times"])
    assert course[times >= 0.25].min() > 0.5 and course[times < 0.2].mean() < 0.3  # the signal starts at 0.2 s
    assert result.interval[0] <= result.value <= result.interval[1]


def test_folds_do_not_depend_on_the_order_of_the_stimuli():
    bench = SyntheticDecoding()
    ids = list(bench.stimuli().stimulus_ids)
    labels = dict(zip(ids, bench.fold_labels(ids)))
    shuffled = list(np.random.default_rng(0).permutation(ids))
    assert dict(zip(shuffled, bench.fold_labels(shuffled))) == labels
    rng = np.random.default_rng(1)
    features = rng.normal(size=(len(ids), 3))
    order = [ids.index(s) for s in shuffled]
    assert bench.evaluate(features[order], shuffled).value == pytest.approx(bench.evaluate(features, ids).value,
                                                                            abs=1e-12)
