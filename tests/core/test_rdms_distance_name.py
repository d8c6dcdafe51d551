"""``RDMs.distance`` names the RDM distance; ``measure`` is its deprecated spelling, and files and rsatoolbox objects
written with the old name still load."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from neuroalign.core.rdms import RDMs

IDS = ["a", "b", "c", "d"]


def test_measure_keyword_and_property_are_deprecated_aliases():
    with pytest.warns(FutureWarning, match="'measure=' is deprecated.*use 'distance='"):
        old = RDMs(np.arange(1.0, 7.0), IDS, measure="crossnobis")
    assert old.distance == "crossnobis"
    for build in (RDMs.from_condensed, lambda v, ids, **kw: RDMs.from_square(old.to_square(), ids, **kw)):
        with pytest.warns(FutureWarning, match="use 'distance='"):
            assert build(np.arange(1.0, 7.0), IDS, measure="euclidean").distance == "euclidean"
    with pytest.warns(FutureWarning, match="'RDMs.measure' is deprecated.*use 'RDMs.distance'"):
        assert old.measure == "crossnobis"


def test_a_file_written_with_the_measure_attribute_still_loads(tmp_path):
    """The layout neuroalign 0.1.0 wrote (attribute ``measure``), written here with h5py as it did."""
    path = tmp_path / "old.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"], f.attrs["format_version"], f.attrs["measure"] = "neuroalign.rdms", 1, "crossnobis"
        f.create_dataset("dissimilarities", data=np.arange(1.0, 7.0)[None])
        f.create_dataset("stimulus_ids", data=np.array(IDS, dtype=object), dtype=h5py.string_dtype("utf-8"))
        f.create_dataset("descriptors", data='{"columns":[],"data":[[]]}', dtype=h5py.string_dtype("utf-8"))
    loaded = RDMs.from_hdf5(path)
    assert loaded.distance == "crossnobis" and loaded.stimulus_ids == tuple(IDS)


def test_a_written_file_holds_the_distance_under_both_names(tmp_path):
    path = tmp_path / "new.h5"
    RDMs(np.arange(1.0, 7.0), IDS, distance="sqeuclidean").to_hdf5(path)
    with h5py.File(path, "r") as f:
        assert f.attrs["distance"] == "sqeuclidean" == f.attrs["measure"]  # older neuroalign reads "measure"
    assert RDMs.from_hdf5(path).distance == "sqeuclidean"


def test_an_rsatoolbox_object_exported_with_the_old_descriptor_key_keeps_its_distance():
    import rsatoolbox

    exported = rsatoolbox.rdm.RDMs(np.arange(1.0, 7.0)[None], dissimilarity_measure="squared euclidean",
                                   descriptors={"neuroalign_measure": "sqeuclidean (normalized)"},
                                   pattern_descriptors={"stimulus_id": IDS})
    assert RDMs.from_rsatoolbox(exported).distance == "sqeuclidean (normalized)"
    new = RDMs(np.arange(1.0, 7.0), IDS, distance="crossnobis").to_rsatoolbox()
    assert new.descriptors == {"neuroalign_distance": "crossnobis"}
    assert RDMs.from_rsatoolbox(new).distance == "crossnobis"
