"""Batches (lists, time points, subjects, layers) equal one-by-one computation; ids and descriptors follow."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign import Recording
from neuroalign.rdm import compute_rdms

from rdm_helpers import make_ids, run_recording


def one(patterns, name, **kwargs):
    return compute_rdms(patterns, name, stimulus_ids=make_ids(len(patterns)), **kwargs).dissimilarities[0]


@pytest.mark.parametrize("name", ["correlation", "cosine", "euclidean", "sqmahalanobis", "poisson"])
def test_list_of_arrays_equals_one_by_one(rng, name):
    arrays = [rng.gamma(2.0, size=(8, 12)) for _ in range(3)] + [rng.gamma(2.0, size=(8, 5))]
    batch = compute_rdms(arrays, name, stimulus_ids=make_ids(8))
    assert batch.n_rdms == 4
    for k, array in enumerate(arrays):
        np.testing.assert_allclose(batch.dissimilarities[k], one(array, name), rtol=1e-12, atol=1e-14)


def test_time_resolved_recording_gives_one_rdm_per_time_point(rng):
    data = rng.normal(size=(2, 6, 10, 5))  # run, stimulus, channel, time
    times = [-0.1, 0.0, 0.1, 0.2, 0.3]
    rec = Recording(data, make_ids(6), dims=("run", "stimulus", "channel", "time"), times=times,
                    descriptors={"subject": "s1", "roi": "IT"})
    rdms = compute_rdms(rec, "correlation")
    assert rdms.n_rdms == 5
    assert list(rdms.descriptors["time"]) == times
    assert set(rdms.descriptors["subject"]) == {"s1"} and set(rdms.descriptors["roi"]) == {"IT"}
    for t in range(5):
        np.testing.assert_allclose(rdms.dissimilarities[t], one(data[:, :, :, t].mean(axis=0), "correlation"),
                                   rtol=1e-12)


def test_time_resolved_crossnobis_uses_runs_per_time_point(rng):
    data = rng.normal(size=(3, 5, 8, 4))
    rec = Recording(data, make_ids(5), dims=("run", "stimulus", "channel", "time"))
    batch = compute_rdms(rec, "crossnobis").dissimilarities
    for t in range(4):
        alone = compute_rdms(run_recording(data[..., t]), "crossnobis").dissimilarities[0]
        np.testing.assert_allclose(batch[t], alone, rtol=1e-12)


def test_runs_are_averaged_for_distances_that_are_not_cross_validated(rng):
    data = rng.normal(size=(4, 6, 9))
    np.testing.assert_allclose(compute_rdms(run_recording(data), "euclidean").dissimilarities[0],
                               one(data.mean(axis=0), "euclidean"), rtol=1e-12)


def test_list_of_recordings_is_joined_by_id_and_carries_descriptors(rng):
    data = rng.normal(size=(3, 2, 6, 7))
    recs = [run_recording(d, descriptors={"subject": f"sub{k}"}) for k, d in enumerate(data)]
    order = [5, 3, 1, 0, 2, 4]  # the last subject lists its stimuli in another order
    recs[2] = Recording(data[2][:, order], [make_ids(6)[k] for k in order], dims=("run", "stimulus", "channel"),
                        descriptors={"subject": "sub2"})
    rdms = compute_rdms(recs, "crossnobis")
    assert list(rdms.descriptors["subject"]) == ["sub0", "sub1", "sub2"]
    for k in range(3):
        np.testing.assert_allclose(rdms.dissimilarities[k],
                                   compute_rdms(run_recording(data[k]), "crossnobis").dissimilarities[0], rtol=1e-12)


def test_one_noise_precision_per_input(rng):
    arrays = [rng.normal(size=(5, 4)) for _ in range(2)]
    weights = [rng.uniform(0.5, 2, 4), rng.uniform(0.5, 2, 4)]
    batch = compute_rdms(arrays, "sqmahalanobis", stimulus_ids=make_ids(5), noise=weights).dissimilarities
    for k in range(2):
        np.testing.assert_allclose(batch[k], one(arrays[k], "sqmahalanobis", noise=weights[k]), rtol=1e-12)
    mixed = compute_rdms(arrays, "sqmahalanobis", stimulus_ids=make_ids(5), noise=[np.diag(weights[0]), None])
    np.testing.assert_allclose(mixed.dissimilarities[0], batch[0], rtol=1e-12)
    np.testing.assert_allclose(mixed.dissimilarities[1], one(arrays[1], "sqeuclidean"), rtol=1e-12)


def test_stimulus_ids_select_and_order_a_recording(rng):
    data = rng.normal(size=(1, 6, 9))
    rec = run_recording(data)
    chosen = ["s004", "s000", "s002"]
    rdms = compute_rdms(rec, "euclidean", stimulus_ids=chosen)
    assert rdms.stimulus_ids == tuple(chosen)
    np.testing.assert_allclose(rdms.dissimilarities[0], one(data[0][[4, 0, 2]], "euclidean"), rtol=1e-12)


def test_extra_descriptors_apply_to_every_rdm(rng):
    arrays = [rng.normal(size=(4, 3)) for _ in range(2)]
    rdms = compute_rdms(arrays, "euclidean", stimulus_ids=make_ids(4), descriptors={"roi": "V1", "run": [1, 2]})
    assert list(rdms.descriptors["roi"]) == ["V1", "V1"] and list(rdms.descriptors["run"]) == [1, 2]


def test_a_distance_object_can_be_configured(rng):
    from neuroalign.rdm import Poisson

    rates = rng.gamma(2.0, size=(5, 8)) + 0.1
    raw = compute_rdms(rates, Poisson(prior_weight=0.0), stimulus_ids=make_ids(5)).dissimilarities[0]
    by_hand = [np.sum((rates[i] - rates[j]) * np.log(rates[i] / rates[j])) for i in range(5) for j in range(i + 1, 5)]
    np.testing.assert_allclose(raw, by_hand, rtol=1e-12)
