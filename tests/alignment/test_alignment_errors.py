"""Bad input to an alignment study fails early, with errors that say what is wrong."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alignment_helpers import ids, layered, planted  # noqa: E402

from neuroalign.alignment import (AlignmentError, MissingPayloadError, ModelSource, StimulusOverlapError,  # noqa: E402
                                  TooFewStimuliError, align, brain_source, check_payloads)
from neuroalign.core.stimuli import StimulusSet  # noqa: E402
from neuroalign.errors import UnknownNameError  # noqa: E402


class TextModel:
    """Just enough of an adapter for the checks that run before any extraction."""

    model_id = "words"
    modality = "text"
    layers = ("h",)
    main_layers = ("h",)

    def extract(self, *args, **kwargs):  # pragma: no cover - never reached
        raise AssertionError("extract must not run on bad input")


def test_missing_modality_names_the_stimuli():
    a, _, _ = planted(8)
    stimuli = StimulusSet(ids(8), payloads={"image": [Path("x.png")] * 8}, name="pictures")
    with pytest.raises(MissingPayloadError, match=r"'text'.*all 8 stimuli.*s000"):
        align([ModelSource(TextModel()), a], stimuli, ["cka.linear"])


def test_empty_payloads_name_the_stimulus_ids(tmp_path):
    captions = ["a cat", "", "a dog", "  ", "a cow", "a hen"]
    stimuli = StimulusSet(ids(6), payloads={"text": captions})
    with pytest.raises(MissingPayloadError, match=r"2 of 6 .*\['s001', 's003'\]"):
        check_payloads(stimuli, "text", "model 'words'")
    image = tmp_path / "one.png"
    image.write_bytes(b"png")
    pictures = StimulusSet(ids(2), payloads={"image": [image, tmp_path / "gone.png"]})
    with pytest.raises(MissingPayloadError, match=r"\['s001'\]"):
        check_payloads(pictures, "image", "model 'eyes'")


def test_sources_without_shared_stimuli_name_the_counts():
    a, _, stimuli = planted(40)
    other = layered("other", {"x": np.random.default_rng(0).normal(size=(40, 5))})
    other._data["x"] = other._data["x"].select_stimuli(ids(40)[:5])  # recorded on 5 of the stimuli only
    with pytest.raises(StimulusOverlapError, match=r"share 5 of the 40 .*'a' covers 40, 'other' covers 5"):
        align([a, other], stimuli, ["cka.linear"])


def test_partial_overlap_warns_and_uses_the_shared_stimuli():
    a, b, stimuli = planted(40)
    b._data["m2"] = b._data["m2"].select_stimuli(ids(40)[:30])
    for layer in ("m0", "m1"):
        b._data[layer] = b._data[layer].select_stimuli(ids(40)[:30])
    with pytest.warns(UserWarning, match="only 30 of 40"):
        study = align([a, b], stimuli, ["cka.linear"], n_permutations=5, n_bootstrap=5)
    assert study.stimulus_ids == tuple(ids(30))


def test_a_measure_that_needs_more_stimuli_than_a_part_has():
    a, b, _ = planted(40)
    small = StimulusSet(ids(16))
    with pytest.raises(TooFewStimuliError, match=r"knn.mutual.10 needs at least 11 stimuli.*8 for selection"):
        align([a, b], small, ["cka.linear", "knn.mutual.10"])


def test_other_bad_arguments():
    a, b, stimuli = planted(20)
    with pytest.raises(AlignmentError, match="at least two sources"):
        align([a], stimuli, ["cka.linear"])
    with pytest.raises(AlignmentError, match="unique"):
        align([a, a], stimuli, ["cka.linear"])
    with pytest.raises(UnknownNameError):
        align([a, b], stimuli, ["cka.linearr"])
    with pytest.raises(UnknownNameError, match="brain source"):
        brain_source("kriegeskorte2008.human_ti")
