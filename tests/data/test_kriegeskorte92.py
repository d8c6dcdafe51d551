"""The 92-image loaders on the real files."""

from __future__ import annotations

import numpy as np
import scipy.io

from neuroalign.datasets import kriegeskorte92


def test_human_it_rdms(data_mirror):
    rdms = kriegeskorte92.human_it_rdms(data_mirror)
    assert rdms.n_rdms == 8 and rdms.n_stimuli == 92
    assert list(rdms.descriptors["subject"]) == ["BE", "BE", "KO", "KO", "SN", "SN", "TI", "TI"]
    assert list(rdms.descriptors["session"]) == [1, 2] * 4
    raw = scipy.io.loadmat(data_mirror / kriegeskorte92.DATASET_ID / "92_brainRDMs.mat")["RDMs"]
    np.testing.assert_array_equal(rdms.select(subject="KO", session=2).to_square()[0], raw[0, 1, 1]["RDM"])


def test_model_rdms_and_stimuli(data_mirror):
    models = kriegeskorte92.model_rdms(data_mirror)
    assert list(models.descriptors["model"])[:3] == ["animacy", "FaceBodyManmadeNatobj", "monkeyIT"]
    stimuli = kriegeskorte92.stimulus_set(data_mirror)
    assert len(stimuli) == 92 and stimuli.stimulus_ids[0] == "img01"
    counts = stimuli.metadata["category"].value_counts()
    assert counts["natural inanimate"] == 23 and counts["human face"] == 12
    # the animacy model RDM separates exactly the animate from the inanimate images
    animate = stimuli.metadata["animal"].to_numpy()
    square = models.select(model="animacy").to_square()[0]
    np.testing.assert_array_equal(square > 0, animate[:, None] != animate[None, :])
