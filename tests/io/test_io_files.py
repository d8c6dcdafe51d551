"""User files in and out (neuroalign.io): RDMs in the three formats, patterns from CSV, checked against the values
written with numpy, scipy and the csv module as a user would."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from scipy.spatial.distance import pdist, squareform

from neuroalign.core.rdms import RDMs
from neuroalign.io import read_patterns, read_rdms, write_rdms

IDS = ["001", "b", "c", "d"]


@pytest.fixture(scope="module")
def square() -> np.ndarray:
    return squareform(pdist(np.random.default_rng(0).normal(size=(4, 3))))


def test_hdf5_round_trip_keeps_values_ids_and_distance(tmp_path, square):
    rdms = RDMs(squareform(square)[None], IDS, distance="euclidean")
    write_rdms(rdms, tmp_path / "r.h5")
    back = read_rdms(tmp_path / "r.h5")
    np.testing.assert_array_equal(back.dissimilarities, squareform(square)[None])
    assert list(back.stimulus_ids) == IDS and back.distance == "euclidean"


def test_npz_square_and_condensed_read_the_same(tmp_path, square):
    np.savez(tmp_path / "s.npz", stimulus_ids=np.array(IDS), square=square)
    np.savez(tmp_path / "c.npz", stimulus_ids=np.array(IDS), condensed=squareform(square))
    a, b = read_rdms(tmp_path / "s.npz"), read_rdms(tmp_path / "c.npz")
    np.testing.assert_array_equal(a.dissimilarities, b.dissimilarities)
    np.testing.assert_allclose(a.dissimilarities[0], squareform(square), rtol=0, atol=0)


def test_csv_matrix_keeps_ids_as_text(tmp_path, square):
    with open(tmp_path / "r.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["", *IDS])
        writer.writerows([[sid, *(repr(float(x)) for x in row)] for sid, row in zip(IDS, square)])
    rdms = read_rdms(tmp_path / "r.csv")
    assert list(rdms.stimulus_ids) == IDS
    np.testing.assert_array_equal(rdms.dissimilarities[0], squareform(square))


def test_patterns_csv_with_named_channels(tmp_path):
    values = np.random.default_rng(1).normal(size=(4, 2))
    with open(tmp_path / "p.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["stimulus_id", "v1", "v2"])
        writer.writerows([[sid, *(repr(float(x)) for x in row)] for sid, row in zip(IDS, values)])
    recording = read_patterns(tmp_path / "p.csv", channel_columns="v*")
    assert list(recording.stimulus_ids) == IDS and recording.n_channels == 2
    np.testing.assert_array_equal(np.asarray(recording.data).reshape(4, 2), values)
