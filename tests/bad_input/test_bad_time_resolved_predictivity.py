"""Bad inputs to time-resolved predictivity benchmarks: specific errors that name the condition, stimulus or window
at fault (issue 18, item 4)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from synthetic_time_resolved import SyntheticDecoding, layers_file  # noqa: E402

from neuroalign.benchmarks import StatsPolicy, score  # noqa: E402
from neuroalign.benchmarks.errors import FoldsError  # noqa: E402
from neuroalign.benchmarks.stratified_folds import stratified_fold_labels  # noqa: E402
from neuroalign.errors import (DegeneratePatternError, InvalidOptionError, InvalidPatternsError,  # noqa: E402
                               NotEnoughStimuliError, ShapeMismatchError, StimulusMismatchError, TimeAxisError)
from neuroalign.models import PrecomputedAdapter  # noqa: E402


@pytest.fixture(scope="module")
def bench():
    return SyntheticDecoding()


def test_fewer_trials_of_a_condition_than_folds(bench):
    ids = list(bench.stimuli().stimulus_ids)
    few = [i for i in ids if i.startswith("b/")] + [i for i in ids if i.startswith("a/")][:3]
    with pytest.raises(FoldsError, match=r"4 held-out folds .* 'a' \(3\)") as caught:
        bench.evaluate(np.random.default_rng(0).normal(size=(len(few), 3)), few)
    assert isinstance(caught.value, NotEnoughStimuliError)
    with pytest.raises(FoldsError, match="7 stimuli leave fewer than 2 per fold"):
        stratified_fold_labels(np.zeros(7), 4)


def test_a_model_missing_a_stimulus(bench, tmp_path):
    model = PrecomputedAdapter(layers_file(tmp_path, bench, drop=1), model_id="layers")
    # The features file itself refuses a stimulus it lacks (a StimulusMismatchError, as StimulusCoverageError is).
    with pytest.raises(StimulusMismatchError, match="features file layers.npz has no stimulus with id 'b/15'"):
        score(model, bench, layers=["condition"], stats=StatsPolicy(n_bootstrap=0))


def test_a_window_outside_the_epoch():
    bench = SyntheticDecoding()
    bench.tmin, bench.tmax = 1.0, 2.0
    ids = list(bench.stimuli().stimulus_ids)
    with pytest.raises(TimeAxisError, match=r"no time point lies in its window \[1.0, 2.0\] s; .* span \[0, 0.475\]"):
        bench.evaluate(np.random.default_rng(0).normal(size=(len(ids), 3)), ids)
    bench = SyntheticDecoding()
    bench.window = 21  # more samples than the epoch holds
    with pytest.raises(TimeAxisError, match=r"window must be an integer number of samples in \[1, n_times=20\]; "
                                            r"got 21"):
        bench.evaluate(np.zeros((len(ids), 3)), ids)


def test_a_recording_with_runs_and_other_bad_options(bench):
    ids = list(bench.stimuli().stimulus_ids)
    x = np.random.default_rng(0).normal(size=(len(ids), 3))
    with pytest.raises(TimeAxisError, match=r"stimulus x channel x time recording; got dims \('run', .*average_runs"):
        SyntheticDecoding(dims=("run", "stimulus", "channel", "time")).evaluate(x, ids)
    two = SyntheticDecoding()
    two.n_folds = 2
    with pytest.raises(InvalidOptionError, match="n_folds must be an integer >= 3"):
        two.evaluate(x, ids)
    with pytest.raises(DegeneratePatternError, match="every one of the layer's 3 features is constant over the 16"):
        bench.evaluate(np.ones((len(ids), 3)), ids)
    with pytest.raises(ShapeMismatchError, match="15 rows of features for 16 stimulus ids"):
        bench.evaluate(x[:15], ids)
    with pytest.raises(StimulusMismatchError, match="no stimulus with id 'c/99'"):
        bench.fold_labels([*ids[:-1], "c/99"])
    typo = SyntheticDecoding()
    typo.stratify_by = "conditon"
    with pytest.raises(InvalidOptionError, match=r"'conditon', which is no metadata column .* \['condition'\]"):
        typo.evaluate(x, ids)


def test_a_recording_with_nan_is_refused_before_any_fit(bench):
    from neuroalign.core.recording import Recording

    class WithNan(SyntheticDecoding):
        def load_recording(self) -> Recording:
            rec = super().load_recording()
            data = rec.data.copy()
            data[3, 1, 7] = np.nan
            return Recording(data, rec.stimulus_ids, dims=rec.dims, times=rec.times)

    ids = list(bench.stimuli().stimulus_ids)
    with pytest.raises(InvalidPatternsError, match="recording holds NaN or Inf values"):
        WithNan().evaluate(np.random.default_rng(0).normal(size=(len(ids), 3)), ids)
