"""Bad input to the containers, the RDM comparators' array inputs, and the RDM / patterns file readers.

Issue 14, items 1 (square matrices read as rows), 5 (None/NaN ids), 17 (RDM files), 6 (patterns columns) and 13
(a file that is not HDF5): every case gives the correct value or a specific error naming the file, id or value.
Errors are looked up on the modules (``errors.X``) so that this file also runs, and fails, against older code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.io
import scipy.spatial.distance as ssd
import scipy.stats

import neuroalign.errors as errors
from neuroalign import RDMs
from neuroalign.cli.main import main
from neuroalign.compare import compare
from neuroalign.core.activations import Activations
from neuroalign.core.recording import Recording
from neuroalign.core.stimuli import StimulusSet
from neuroalign.datasets.loaders.rdm_files import read_rdm_set
from neuroalign.io import read_patterns, read_rdms
from neuroalign.stats.permutation import permutation_test_rdm


def squares(n: int, k: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.stack([ssd.squareform(ssd.pdist(rng.normal(size=(n, 4)))) for _ in range(k)])


# --- item 1: square matrices are RDMs, never stacks of rows ---------------------------------------------------------
def test_compare_two_square_92x92_matrices_gives_one_value():
    a, b = squares(92, 2)
    got = compare(a, b, "spearman")
    expected = scipy.stats.spearmanr(ssd.squareform(a), ssd.squareform(b)).statistic
    assert got.shape == (1, 1)
    assert got[0, 0] == pytest.approx(expected, abs=1e-12)


def test_compare_square_stacks_equal_their_condensed_rows():
    a, b = squares(7, 3, seed=1), squares(7, 2, seed=2)
    condensed = compare(np.stack([ssd.squareform(m) for m in a]), np.stack([ssd.squareform(m) for m in b]), "pearson")
    np.testing.assert_allclose(compare(a, b, "pearson"), condensed, rtol=0, atol=1e-14)


def test_square_with_triangular_side_is_ambiguous_and_says_how_to_pass_it():
    a, b = squares(10, 2)  # 10 = 5 * 4 / 2: the rows could be 10 condensed RDMs over 5 stimuli
    with pytest.raises(errors.AmbiguousLayoutError, match=r"10x10.*matrix\[None\].*RDMs.from_condensed"):
        compare(a, b)
    expected = scipy.stats.spearmanr(ssd.squareform(a), ssd.squareform(b)).statistic
    assert compare(a[None], b[None])[0, 0] == pytest.approx(expected, abs=1e-12)


def test_condensed_rows_of_a_square_shape_stay_rows_when_nothing_looks_square():
    rows = np.random.default_rng(3).uniform(1, 2, size=(6, 6))  # 6 RDMs over 4 stimuli
    got = compare(rows, rows, "pearson")
    np.testing.assert_allclose(got, np.corrcoef(rows), atol=1e-14)


def test_square_that_is_not_an_rdm_is_refused_naming_the_entry():
    bad = squares(5, 1)[0]
    bad[1, 3] += 0.5  # 5 is not triangular: a 5x5 array can only be one square RDM
    with pytest.raises(errors.InvalidRDMError, match=r"not symmetric: entry \(stimulus 1, stimulus 3\)"):
        compare(bad, squares(5, 1)[0])


def test_rdms_constructor_reads_a_square_matrix_as_one_rdm():
    square = squares(5, 1)[0]
    rdms = RDMs(square, list("abcde"))
    assert rdms.n_rdms == 1
    np.testing.assert_array_equal(rdms.dissimilarities[0], ssd.squareform(square))
    stack = RDMs(squares(5, 2), list("abcde"))
    assert stack.n_rdms == 2


def test_rdms_constructor_refuses_a_3x3_that_reads_both_ways():
    square = squares(3, 1)[0]
    with pytest.raises(errors.AmbiguousLayoutError, match="RDMs.from_square"):
        RDMs(square, ["a", "b", "c"])
    assert RDMs.from_square(square, ["a", "b", "c"]).n_rdms == 1
    assert RDMs.from_condensed(square, ["a", "b", "c"]).n_rdms == 3


def test_stats_read_square_arrays_as_rdms():
    models, data = squares(9, 2, seed=4), squares(9, 3, seed=5)
    condensed = [np.stack([ssd.squareform(m) for m in x]) for x in (models, data)]
    on_squares = permutation_test_rdm(models, data, "pearson", n_perm=20, seed=0)
    on_rows = permutation_test_rdm(*condensed, "pearson", n_perm=20, seed=0)
    np.testing.assert_allclose(on_squares.observed, on_rows.observed, atol=1e-14)
    np.testing.assert_allclose(on_squares.null, on_rows.null, atol=1e-14)


def test_time_resolved_rsa_takes_a_square_model_rdm():
    from neuroalign.analysis.time_resolved import time_resolved_rsa

    rng = np.random.default_rng(6)
    recording = Recording(rng.normal(size=(8, 5, 4)), [f"s{k}" for k in range(8)], dims=("stimulus", "channel", "time"))
    model = squares(8, 1, seed=7)[0]
    course = time_resolved_rsa(recording, model, "euclidean", "spearman")
    expected = time_resolved_rsa(recording, ssd.squareform(model), "euclidean", "spearman")
    assert course.values.shape == (1, 4)
    np.testing.assert_array_equal(course.values, expected.values)


# --- item 5: missing ids are refused everywhere ids enter -----------------------------------------------------------
@pytest.mark.parametrize("missing", [None, np.nan, float("nan"), pd.NA])
def test_containers_refuse_missing_ids(missing):
    ids = ["a", missing, "c"]
    with pytest.raises(errors.StimulusMismatchError, match=r"stimulus_ids\[1\] is"):
        StimulusSet(ids)
    with pytest.raises(errors.StimulusMismatchError, match=r"stimulus_ids\[1\] is"):
        Recording(np.zeros((3, 2)), ids, dims=("stimulus", "channel"))
    with pytest.raises(errors.StimulusMismatchError, match=r"stimulus_ids\[1\] is"):
        Activations({"layer": np.zeros((3, 2))}, ids)
    with pytest.raises(errors.StimulusMismatchError, match=r"stimulus_ids\[1\] is"):
        RDMs(np.ones(3), ids)


def test_ids_that_differ_only_by_type_are_one_id_and_the_message_says_so():
    with pytest.raises(errors.DuplicateStimulusError, match=r"1 and '1' are the same id"):
        StimulusSet([1, "1", 2])
    assert RDMs(np.ones(3), [1, 2, 3]).aligned_to(["3", "1", "2"]).stimulus_ids == ("3", "1", "2")


def test_a_matlab_cell_array_as_ids_is_refused_with_the_way_to_read_it(tmp_path):
    scipy.io.savemat(tmp_path / "ids.mat", {"names": np.array(["a", "b", "c"], dtype=object)})
    cell = scipy.io.loadmat(tmp_path / "ids.mat")["names"]  # a 1 x 3 object array of char arrays
    with pytest.raises(errors.StimulusMismatchError, match="matlab_ids"):
        StimulusSet(cell)


def test_patterns_csv_with_an_empty_id_cell_names_the_row(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("stimulus_id,v1,v2\na,0.1,0.2\n,0.3,0.5\nc,0.2,0.9\n")
    with pytest.raises(errors.DataFormatError, match=r"p.csv: stimulus_ids: data row 2 has no stimulus id"):
        read_patterns(path)


def test_patterns_npz_with_a_nan_id_is_refused(tmp_path):
    path = tmp_path / "p.npz"
    np.savez(path, patterns=np.ones((3, 2)), stimulus_ids=np.array([1.0, np.nan, 3.0]))
    with pytest.raises(errors.DataFormatError, match=r"p.npz: stimulus_ids: data row 2 has no stimulus id \(nan\)"):
        read_patterns(path)


def test_precomputed_features_with_a_nan_id_are_refused(tmp_path):
    from neuroalign.models.precomputed import PrecomputedAdapter

    path = tmp_path / "features.npz"
    np.savez(path, stimulus_ids=np.array([1.0, np.nan]), layer=np.ones((2, 3)))
    with pytest.raises(errors.DataFormatError, match=r"features.npz: stimulus_ids: stimulus_ids\[1\] is NaN"):
        PrecomputedAdapter(path)


# --- item 17 and 13: RDM files name the file and what is wrong -------------------------------------------------------
def test_csv_rdm_keeps_zero_padded_ids(tmp_path):
    path = tmp_path / "rdm.csv"
    path.write_text(",001,002,010\n001,0,1,2\n002,1,0,3\n010,2,3,0\n")
    rdms = read_rdms(path)
    assert rdms.stimulus_ids == ("001", "002", "010")
    np.testing.assert_array_equal(rdms.dissimilarities[0], [1, 2, 3])


def test_csv_rdm_written_by_pandas_round_trips(tmp_path):
    ids = ["001", "002", "003", "004"]
    square = squares(4, 1)[0]
    pd.DataFrame(square, index=ids, columns=ids).to_csv(tmp_path / "rdm.csv")
    rdms = read_rdms(tmp_path / "rdm.csv")
    assert rdms.stimulus_ids == tuple(ids)
    np.testing.assert_allclose(rdms.dissimilarities[0], ssd.squareform(square), rtol=1e-15)


def test_csv_rdm_with_a_duplicated_id_names_it(tmp_path):
    path = tmp_path / "rdm.csv"
    path.write_text(",a,a,c\na,0,1,2\na,1,0,3\nc,2,3,0\n")
    with pytest.raises(errors.DataFormatError, match=r"rdm.csv: header: .*duplicate ids: 'a'"):
        read_rdms(path)


@pytest.mark.parametrize("text, match", [
    (",a,b,c\na,0,1,2\nc,1,0,3\nb,2,3,0\n", r"position 2 is 'b' in the header but 'c' in the first column"),
    (",a,b,c\na,0,1,2\nb,1,0\nc,2,3,0\n", r"line 3: has 3 fields but the header has 4"),
    (",a,b,c\na,0,1,x\nb,1,0,3\nc,2,3,0\n", r"matrix: cell \('a', 'c'\) is 'x', not a number"),
    (",a,b,c\na,0,1,2\nb,1,0,3\nc,2,4,0\n", r"matrix: RDM 0 is not symmetric: entry \('b', 'c'\)"),
    ("0,1,2\n1,0,3\n2,3,0\n", r"ids: the first row and the first column hold numbers"),
])
def test_csv_rdm_failures_name_the_file_and_the_fault(tmp_path, text, match):
    path = tmp_path / "rdm.csv"
    path.write_text(text)
    with pytest.raises(errors.DataFormatError, match=f"rdm.csv: .*{match}"):
        read_rdms(path)


def test_npz_rdm_with_object_ids_names_the_file_and_the_array(tmp_path):
    path = tmp_path / "rdm.npz"
    np.savez(path, stimulus_ids=np.array(["a", 1, "c"], dtype=object), condensed=np.ones(3))
    with pytest.raises(errors.DataFormatError, match=r"rdm.npz: stimulus_ids: is an object array.*dtype=str"):
        read_rdms(path)


def test_npz_rdm_with_both_layouts_is_refused(tmp_path):
    path = tmp_path / "rdm.npz"
    np.savez(path, stimulus_ids=np.array(["a", "b", "c"]), condensed=np.ones(3), square=squares(3, 1)[0])
    with pytest.raises(errors.DataFormatError, match="found both 'square' and 'condensed'"):
        read_rdms(path)


def _matlab_rdm_file(path, **extra):
    square = squares(4, 1)[0]
    structs = np.array([(square, "subject 1")], dtype=[("RDM", object), ("name", object)])
    scipy.io.savemat(path, {"RDMs": structs, **extra})
    return square


def test_matlab_rdm_without_ids_says_how_to_give_them(tmp_path):
    _matlab_rdm_file(tmp_path / "rdms.mat")
    with pytest.raises(errors.DataFormatError, match=r"rdms.mat: stimulus_ids: MATLAB RDM files carry no stimulus ids"):
        read_rdm_set(tmp_path / "rdms.mat")


def test_matlab_rdm_reads_ids_from_a_cell_array_in_the_file(tmp_path):
    square = _matlab_rdm_file(tmp_path / "rdms.mat", names=np.array(["001", "002", "003", "004"], dtype=object),
                              numbers=np.array([[7.0, 8.0, 9.0, 10.0]]))
    rdms = read_rdm_set(tmp_path / "rdms.mat", ids_variable="names")
    assert rdms.stimulus_ids == ("001", "002", "003", "004")
    np.testing.assert_array_equal(rdms.to_square()[0], square)
    assert read_rdm_set(tmp_path / "rdms.mat", ids_variable="numbers").stimulus_ids == ("7", "8", "9", "10")


def test_an_option_a_reader_does_not_take_is_named(tmp_path):
    _matlab_rdm_file(tmp_path / "rdms.mat")
    with pytest.raises(errors.InvalidOptionError, match="takes no option \\['stimulus_id'\\]"):
        read_rdm_set(tmp_path / "rdms.mat", stimulus_id=["a", "b", "c", "d"])


@pytest.mark.parametrize("name", ["rdms.h5", "rdms.hdf5"])
def test_a_file_that_is_not_hdf5_names_its_path(tmp_path, name):
    path = tmp_path / name
    path.write_text("stimulus,a,b\n")
    with pytest.raises(errors.DataFormatError, match=f"{name}: file: is not a readable HDF5 file"):
        read_rdms(path)
    with pytest.raises(errors.DataFormatError, match=f"{name}: file: is not a readable HDF5 file"):
        read_rdm_set(path)
    with pytest.raises(errors.DataFormatError, match=f"{name}: file: is not a readable HDF5 file"):
        read_patterns(path)
    with pytest.raises(errors.DataFormatError, match=f"{name}: file: is not a readable HDF5 file"):
        Activations.from_hdf5(path)


def test_a_truncated_hdf5_file_names_its_path(tmp_path):
    path = tmp_path / "rdms.h5"
    RDMs(np.arange(1.0, 7.0), list("abcd")).to_hdf5(path)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(errors.DataFormatError, match="rdms.h5: file: is not a readable HDF5 file"):
        read_rdms(path)


def test_a_missing_file_is_file_not_found_with_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.h5"):
        read_rdms(tmp_path / "nothing.h5")


# --- item 6: design columns are not channels -------------------------------------------------------------------------
def _patterns_with_session(path):
    rng = np.random.default_rng(8)
    table = pd.DataFrame(rng.normal(size=(6, 3)), columns=["v1", "v2", "v3"])
    table.insert(0, "session", [1, 1, 1, 2, 2, 2])
    table.insert(0, "stimulus_id", ["a", "b", "c", "d", "e", "f"])
    table.to_csv(path, index=False)
    return table


def test_a_session_column_is_not_taken_for_a_channel(tmp_path):
    _patterns_with_session(tmp_path / "p.csv")
    with pytest.raises(errors.DataFormatError, match=r"p.csv: channels: columns \['session'\] look like design"):
        read_patterns(tmp_path / "p.csv")


def test_an_unnamed_integer_code_column_is_not_taken_for_a_channel(tmp_path):
    table = _patterns_with_session(tmp_path / "p.csv").rename(columns={"session": "s"})
    table.to_csv(tmp_path / "p.csv", index=False)
    with pytest.raises(errors.DataFormatError, match=r"columns \['s'\] look like design variables"):
        read_patterns(tmp_path / "p.csv")


def test_named_channels_are_exactly_the_channels(tmp_path):
    table = _patterns_with_session(tmp_path / "p.csv")
    recording = read_patterns(tmp_path / "p.csv", channel_columns="v*")
    assert list(recording.channels) == ["v1", "v2", "v3"]
    np.testing.assert_array_equal(recording.data, table[["v1", "v2", "v3"]].to_numpy())


def test_rdm_cli_refuses_a_session_column_and_takes_named_channels(tmp_path, capsys):
    table = _patterns_with_session(tmp_path / "p.csv")
    assert main(["rdm", str(tmp_path / "p.csv")]) == 2
    assert "look like design variables" in capsys.readouterr().err
    assert main(["rdm", str(tmp_path / "p.csv"), "--channels", "v1,v2,v3", "--distance", "euclidean",
                 "--output", str(tmp_path / "out.h5")]) == 0
    saved = RDMs.from_hdf5(tmp_path / "out.h5")
    expected = ssd.pdist(table[["v1", "v2", "v3"]].to_numpy())
    np.testing.assert_allclose(saved.dissimilarities[0], expected, rtol=1e-12)


def test_spike_counts_are_channels_when_every_channel_is_integer(tmp_path):
    counts = np.random.default_rng(9).poisson(3.0, size=(5, 4))
    table = pd.DataFrame(counts, columns=[f"n{k}" for k in range(4)])
    table.insert(0, "stimulus_id", list("abcde"))
    table.to_csv(tmp_path / "counts.csv", index=False)
    np.testing.assert_array_equal(read_patterns(tmp_path / "counts.csv").data, counts)


def test_rdm_cli_joins_zero_padded_ids_of_patterns_and_target(tmp_path, capsys):
    ids = ["001", "002", "003", "004", "005"]
    rng = np.random.default_rng(10)
    patterns = pd.DataFrame(rng.normal(size=(5, 6)), columns=[f"v{k}" for k in range(6)])
    patterns.insert(0, "stimulus_id", ids)
    patterns.to_csv(tmp_path / "p.csv", index=False)
    target = squares(5, 1, seed=11)[0]
    order = [4, 2, 0, 1, 3]
    pd.DataFrame(target[order][:, order], index=[ids[k] for k in order], columns=[ids[k] for k in order]).to_csv(
        tmp_path / "target.csv")
    assert main(["rdm", str(tmp_path / "p.csv"), "--compare", str(tmp_path / "target.csv")]) == 0
    expected = scipy.stats.spearmanr(ssd.pdist(patterns.iloc[:, 1:].to_numpy(), "correlation"),
                                     ssd.squareform(target)).statistic
    assert f"{expected:.4f}" in capsys.readouterr().out


# --- HDF5 files of other tools, descriptors ----------------------------------------------------------------------
def test_hdf5_of_another_tool_lists_what_it_holds(tmp_path):
    import h5py

    with h5py.File(tmp_path / "theirs.h5", "w") as f:
        f["rdm"] = squares(4, 1)[0]
        f["labels"] = np.array([b"a", b"b", b"c", b"d"])
    with pytest.raises(errors.DataFormatError, match=r"theirs.h5: format: is not a neuroalign RDMs file.*\['labels', "
                                                     r"'rdm'\]"):
        read_rdm_set(tmp_path / "theirs.h5")


def test_hdf5_rdms_missing_a_dataset_name_it(tmp_path):
    import h5py

    path = tmp_path / "rdms.h5"
    RDMs(np.arange(1.0, 7.0), list("abcd")).to_hdf5(path)
    with h5py.File(path, "a") as f:
        del f["stimulus_ids"]
    with pytest.raises(errors.DataFormatError, match="rdms.h5: stimulus_ids: dataset missing"):
        read_rdms(path)


def test_list_descriptors_become_tuples_and_can_be_grouped():
    rdms = RDMs(np.ones((2, 3)), ["a", "b", "c"], descriptors={"shape": [[4, 5], [4, 5]], "k": [1, 2]})
    assert list(rdms.descriptors["shape"]) == [(4, 5), (4, 5)]
    assert rdms.mean().descriptors["shape"].item() == (4, 5)


def test_asymmetry_is_caught_at_any_scale():
    """MEG dissimilarities in tesla are ~1e-26: an absolute tolerance would wave any asymmetry through."""
    bad = squares(5, 1)[0] * 1e-26
    bad[0, 2] *= 2
    with pytest.raises(errors.InvalidRDMError, match=r"not symmetric: entry \('a', 'c'\)"):
        RDMs.from_square(bad, list("abcde"))
    fine = squares(5, 1)[0] * 1e-26
    np.testing.assert_array_equal(RDMs.from_square(fine, list("abcde")).dissimilarities[0], ssd.squareform(fine))


def test_stimulus_metadata_indexed_by_id_joins_by_id():
    metadata = pd.DataFrame({"category": ["animal", "face", "tool"]}, index=["cat", "face1", "hammer"])
    stimuli = StimulusSet(["hammer", "cat", "face1"], metadata=metadata)
    assert list(stimuli.metadata["category"]) == ["tool", "animal", "face"]
    positional = StimulusSet(["hammer", "cat", "face1"], metadata=metadata.reset_index(drop=True))
    assert list(positional.metadata["category"]) == ["animal", "face", "tool"]


def test_csv_only_options_on_an_npz_are_refused(tmp_path):
    np.savez(tmp_path / "p.npz", patterns=np.ones((3, 2)), stimulus_ids=np.array(["a", "b", "c"]))
    with pytest.raises(errors.InvalidOptionError, match="p.npz: run_column applies to CSV files"):
        read_patterns(tmp_path / "p.npz", run_column="run")


def test_rdm_cli_refuses_an_output_it_cannot_write_before_computing(tmp_path, capsys):
    _patterns_with_session(tmp_path / "p.csv")
    assert main(["rdm", str(tmp_path / "p.csv"), "--channels", "v*", "--output", str(tmp_path / "out.csv")]) == 2
    captured = capsys.readouterr()
    assert "out.csv: RDMs are written as HDF5" in captured.err and "RDM(s) over" not in captured.out


def test_matlab_v73_and_damaged_mat_files_are_named(tmp_path):
    header = b"MATLAB 7.3 MAT-file, Platform: GLNXA64".ljust(116, b" ") + b"\0" * 8 + b"\x00\x02IM"
    (tmp_path / "v73.mat").write_bytes(header + b"\0" * 512)  # the header MATLAB writes before the HDF5 body
    with pytest.raises(errors.DataFormatError, match="v73.mat: file: is a MATLAB v7.3 file"):
        read_rdm_set(tmp_path / "v73.mat", stimulus_ids=["a", "b"])
    (tmp_path / "text.mat").write_text("not a MAT-file")
    with pytest.raises(errors.DataFormatError, match="text.mat: file: is not a readable MAT-file"):
        read_rdm_set(tmp_path / "text.mat", stimulus_ids=["a", "b"])
