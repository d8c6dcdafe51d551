"""The 92-image dataset on the real files: RDMs by subject/session/ROI, model and behavioural RDMs, images."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.io
from PIL import Image

from neuroalign.datasets import DatasetAdapter, NotProvidedError, load_dataset
from neuroalign.datasets import kriegeskorte92
from neuroalign.errors import UnknownNameError

SUPPLEMENT = "Kriegeskorte_Neuron2008_supplementalData.mat"


@pytest.fixture(scope="module")
def adapter(data_mirror):
    return load_dataset(kriegeskorte92.DATASET_ID, mirror=data_mirror)


def test_human_it_rdms(data_mirror):
    rdms = kriegeskorte92.human_it_rdms(data_mirror)
    assert rdms.n_rdms == 8 and rdms.n_stimuli == 92 and rdms.distance == "correlation"
    assert list(rdms.descriptors["subject"]) == ["BE", "BE", "KO", "KO", "SN", "SN", "TI", "TI"]
    assert list(rdms.descriptors["session"]) == [1, 2] * 4
    raw = scipy.io.loadmat(data_mirror / kriegeskorte92.DATASET_ID / "92_brainRDMs.mat")["RDMs"]
    np.testing.assert_array_equal(rdms.select(subject="KO", session=2).to_square()[0], raw[0, 1, 1]["RDM"])


def test_model_rdms_and_categories(data_mirror):
    models = kriegeskorte92.model_rdms(data_mirror)
    assert list(models.descriptors["model"])[:3] == ["animacy", "FaceBodyManmadeNatobj", "monkeyIT"]
    stimuli = kriegeskorte92.stimulus_set(data_mirror, images=False)
    assert len(stimuli) == 92 and stimuli.stimulus_ids[0] == "img01" and stimuli.modalities == ()
    counts = stimuli.metadata["category"].value_counts()
    assert counts["natural inanimate"] == 23 and counts["human face"] == 12
    # the animacy model RDM separates exactly the animate from the inanimate images
    animate = stimuli.metadata["animal"].to_numpy()
    square = models.select(model="animacy").to_square()[0]
    np.testing.assert_array_equal(square > 0, animate[:, None] != animate[None, :])


def test_adapter_selects_by_subject_session_roi(adapter, data_mirror):
    assert isinstance(adapter, DatasetAdapter)
    assert set(adapter.selectors()) == {"subject", "session", "roi", "species"}
    assert adapter.rdms().n_rdms == 9
    monkey = adapter.rdms(roi="mIT")
    supplement = scipy.io.loadmat(data_mirror / kriegeskorte92.DATASET_ID / SUPPLEMENT)["RDMs_mIT_hIT_fig1"]
    np.testing.assert_array_equal(monkey.dissimilarities[0], supplement[0, 0]["RDM"].ravel())
    # the monkey IT model RDM shipped with the models is the same matrix
    np.testing.assert_allclose(adapter.model_rdms().select(model="monkeyIT").dissimilarities, monkey.dissimilarities)
    assert adapter.rdms(subject=["BE", "TI"], session=2).n_rdms == 2
    assert adapter.behaviour_rdms().n_rdms == 16
    with pytest.raises(UnknownNameError, match="Did you mean 'subject'"):
        adapter.rdms(subjects="BE")
    with pytest.raises(UnknownNameError, match="Did you mean 'BE'"):
        adapter.rdms(subject="BF")
    with pytest.raises(NotProvidedError, match="ready RDMs only"):
        adapter.recordings()


def test_stimulus_images_are_cached_png_payloads(adapter, data_mirror):
    stimuli = adapter.stimulus_set()
    path = stimuli.payload("img17", "image")
    assert path.name == "img17.png" and path.is_relative_to(adapter.cache_dir)
    raw = scipy.io.loadmat(data_mirror / kriegeskorte92.DATASET_ID / SUPPLEMENT)["stimuli_92objs"][0, 16]["image"]
    np.testing.assert_array_equal(np.asarray(Image.open(path)), raw)
    before = path.stat().st_mtime_ns
    assert adapter.stimulus_set().payload("img17", "image").stat().st_mtime_ns == before  # written once
    assert not [p for p in path.parent.iterdir() if p.suffix != ".png"]  # no temporary files left
