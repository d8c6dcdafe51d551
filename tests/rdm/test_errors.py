"""Every bad input raises its specific error type, with a message that names the problem and where it is."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
import torch

from neuroalign import Recording
from neuroalign.errors import (DegeneratePatternError, DuplicateStimulusError, InvalidPatternsError,
                               NotEnoughRunsError, ShapeMismatchError, StimulusMismatchError, UnknownNameError)
from neuroalign.rdm import InvalidOptionError, Poisson, compute_rdms

from rdm_helpers import make_ids, run_recording


def rdms(patterns, name="correlation", **kwargs):
    kwargs.setdefault("stimulus_ids", make_ids(len(patterns)))
    return compute_rdms(patterns, name, **kwargs)


# --- patterns ----------------------------------------------------------------------------------------------------
def test_nan_names_the_stimulus_and_channel(rng):
    patterns = rng.normal(size=(5, 6))
    patterns[3, 4] = np.nan
    with pytest.raises(InvalidPatternsError, match=r"stimulus 's003' at channel 4"):
        rdms(patterns)


def test_inf_names_the_run(rng):
    data = rng.normal(size=(2, 4, 6))
    data[1, 2, 0] = np.inf
    rec = Recording(data, make_ids(4), dims=("run", "stimulus", "channel"), runs=["morning", "evening"])
    with pytest.raises(InvalidPatternsError, match=r"stimulus 's002' \(run 'evening'\) at channel 0"):
        compute_rdms(rec, "crossnobis")


def test_nan_deep_in_a_streamed_hdf5_layer_names_the_absolute_channel(tmp_path, rng):
    layer = rng.normal(size=(4, 50))
    layer[1, 37] = np.nan
    with h5py.File(tmp_path / "a.h5", "w") as f:
        f["x"] = layer
    with pytest.raises(InvalidPatternsError, match=r"stimulus 's001' at channel 37"):
        compute_rdms((tmp_path / "a.h5", "x"), "euclidean", stimulus_ids=make_ids(4), chunk_units=8)


def test_nan_in_a_time_resolved_recording_names_the_time_point(rng):
    data = rng.normal(size=(4, 3, 2))
    data[0, 1, 1] = np.nan
    rec = Recording(data, make_ids(4), dims=("stimulus", "channel", "time"), times=[0.0, 0.5])
    with pytest.raises(InvalidPatternsError, match=r"stimulus 's000' \(time 0.5\) at channel 1"):
        compute_rdms(rec, "euclidean")


def test_constant_pattern_under_correlation(rng):
    patterns = rng.normal(size=(5, 6))
    patterns[2] = 0.1  # a constant that is not exactly representable: rounding must not hide it
    with pytest.raises(DegeneratePatternError, match=r"constant patterns .*stimulus 's002'"):
        rdms(patterns)
    with pytest.raises(DegeneratePatternError, match="'s002'"):
        rdms(patterns, chunk_units=2)


def test_nearly_constant_pattern_is_still_a_correlation(rng):
    patterns = rng.normal(size=(4, 6))
    patterns[1] = 1.0 + 1e-9 * rng.normal(size=6)
    assert np.isfinite(rdms(patterns).dissimilarities).all()


def test_all_zero_pattern_under_cosine(rng):
    patterns = rng.normal(size=(4, 6))
    patterns[0] = 0.0
    with pytest.raises(DegeneratePatternError, match=r"all-zero patterns .*stimulus 's000'"):
        rdms(patterns, "cosine")
    patterns[0] = 3.0  # constant but not zero: fine for cosine
    assert np.isfinite(rdms(patterns, "cosine").dissimilarities).all()


def test_negative_rates_under_poisson(rng):
    rates = rng.gamma(2.0, size=(4, 5))
    rates[2, 3] = -0.5
    with pytest.raises(InvalidPatternsError, match=r"negative values .*stimulus 's002' at channel 3"):
        rdms(rates, "poisson")


def test_zero_rates_need_a_prior():
    rates = np.array([[0.0, 1.0], [2.0, 1.0], [1.0, 3.0]])
    assert np.isfinite(rdms(rates, "poisson").dissimilarities).all()  # the default prior keeps zeros finite
    with pytest.raises(InvalidPatternsError, match=r"zero rates .*stimulus 's000' at channel 0"):
        rdms(rates, Poisson(prior_weight=0.0))


def test_bad_poisson_options():
    with pytest.raises(InvalidOptionError, match="prior_lambda"):
        Poisson(prior_lambda=0.0)
    with pytest.raises(InvalidOptionError, match="prior_weight"):
        Poisson(prior_weight=-1.0)


# --- runs --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["crossnobis", "poisson_cv"])
def test_cross_validated_distances_need_two_runs(rng, name):
    with pytest.raises(NotEnoughRunsError, match="at least 2 .*the array has 1"):
        rdms(rng.gamma(2.0, size=(4, 5)), name)
    with pytest.raises(NotEnoughRunsError, match="the recording has 1"):
        compute_rdms(run_recording(rng.gamma(2.0, size=(1, 4, 5))), name)


# --- shapes and ids ----------------------------------------------------------------------------------------------
def test_noise_size_must_match_the_channels(rng):
    patterns = rng.normal(size=(4, 6))
    with pytest.raises(ShapeMismatchError, match="for 5 channels but the array has 6"):
        rdms(patterns, "sqmahalanobis", noise=np.ones(5))
    with pytest.raises(ShapeMismatchError, match="square"):
        rdms(patterns, "sqmahalanobis", noise=np.ones((6, 5)))
    with pytest.raises(ShapeMismatchError, match="2 noise precisions were given for 3 inputs"):
        compute_rdms([patterns] * 3, "sqmahalanobis", stimulus_ids=make_ids(4), noise=[np.ones(6)] * 2)


def test_noise_values_must_be_a_precision(rng):
    patterns = rng.normal(size=(4, 3))
    with pytest.raises(InvalidOptionError, match="not symmetric"):
        rdms(patterns, "sqmahalanobis", noise=np.array([[1.0, 0.5, 0], [0, 1, 0], [0, 0, 1]]))
    with pytest.raises(InvalidOptionError, match=r"negative diagonal entries \(channels \[1\]\)"):
        rdms(patterns, "sqmahalanobis", noise=np.array([1.0, -1.0, 1.0]))
    with pytest.raises(InvalidOptionError, match="numpy array"):
        rdms(patterns, "sqmahalanobis", noise="shrinkage")


def test_ids_must_match_the_rows(rng):
    with pytest.raises(ShapeMismatchError, match="5 stimulus ids were given for the array with 4 rows"):
        compute_rdms(rng.normal(size=(4, 3)), "euclidean", stimulus_ids=make_ids(5))
    with pytest.raises(ShapeMismatchError, match="pass stimulus_ids="):
        compute_rdms(rng.normal(size=(4, 3)), "euclidean")
    with pytest.raises(DuplicateStimulusError, match="'a'"):
        compute_rdms(rng.normal(size=(3, 3)), "euclidean", stimulus_ids=["a", "b", "a"])


def test_unknown_or_mismatched_stimuli_in_recordings(rng):
    rec = run_recording(rng.normal(size=(1, 4, 3)))
    with pytest.raises(StimulusMismatchError, match="'nope'"):
        compute_rdms(rec, "euclidean", stimulus_ids=["s000", "nope"])
    other = Recording(rng.normal(size=(4, 3)), ["s000", "s001", "s002", "x"], dims=("stimulus", "channel"))
    with pytest.raises(StimulusMismatchError, match="'x'"):
        compute_rdms([rec, other], "euclidean")


def test_arrays_must_be_2d_and_there_must_be_two_stimuli(rng):
    with pytest.raises(ShapeMismatchError, match="the array must be 2-D .*Recording with named dims"):
        compute_rdms(rng.normal(size=(2, 4, 3)), "euclidean", stimulus_ids=make_ids(4))
    with pytest.raises(ShapeMismatchError, match="at least 2 stimuli"):
        compute_rdms(rng.normal(size=(1, 3)), "euclidean", stimulus_ids=["a"])
    with pytest.raises(TypeError, match="only Recordings or only 2-D arrays"):
        compute_rdms([rng.normal(size=(2, 3)), "x"], "euclidean", stimulus_ids=["a", "b"])


# --- options -----------------------------------------------------------------------------------------------------
def test_unknown_distance_suggests_a_close_match(rng):
    with pytest.raises(UnknownNameError, match="Did you mean 'crossnobis'"):
        rdms(rng.normal(size=(3, 3)), "crosnobis")


def test_options_that_do_not_apply_are_errors_not_ignored(rng):
    patterns = rng.normal(size=(4, 5))
    with pytest.raises(InvalidOptionError, match="normalize"):
        rdms(patterns, "correlation", normalize=True)
    with pytest.raises(InvalidOptionError, match="takes no noise precision"):
        rdms(patterns, "euclidean", noise=np.ones(5))
    with pytest.raises(InvalidOptionError, match="cannot be streamed"):
        rdms(patterns, "sqmahalanobis", noise=np.eye(5), chunk_units=2)
    with pytest.raises(InvalidOptionError, match="chunk_units"):
        rdms(patterns, chunk_units=0)
    with pytest.raises(InvalidOptionError, match="dtype"):
        rdms(patterns, dtype=torch.int64)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message shown where there is no GPU")
def test_cuda_without_a_gpu_is_a_clear_error(rng):
    with pytest.raises(InvalidOptionError, match="no CUDA device"):
        rdms(rng.normal(size=(3, 3)), device="cuda")
