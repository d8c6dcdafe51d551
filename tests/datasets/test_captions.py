"""Captions of the 92-image dataset: the shipped file, its loader, and the "text" modality of the stimulus set."""

from __future__ import annotations

import pytest

from neuroalign.datasets import NotProvidedError, kriegeskorte92
from neuroalign.datasets.caption_files import CaptionsNotFoundError, available_captions, load_captions


@pytest.fixture(scope="module")
def captions() -> dict[str, str]:
    return load_captions("kriegeskorte2008_92images")


def test_92_distinct_plain_sentences(captions):
    assert len(captions) == 92
    assert tuple(captions) == kriegeskorte92.STIMULUS_IDS
    assert len(set(captions.values())) == 92
    for sid, caption in captions.items():
        assert 5 <= len(caption.split()) <= 15, (sid, caption)
        assert caption.endswith(".") and caption == caption.strip() and "\t" not in caption, (sid, caption)
        assert caption[0].isupper(), (sid, caption)


def test_default_dataset_and_listing(captions):
    assert load_captions() == captions
    assert "kriegeskorte2008_92images" in available_captions()


def test_unknown_dataset_raises_specific_error():
    with pytest.raises(CaptionsNotFoundError, match="no_such_dataset"):
        load_captions("no_such_dataset")
    assert issubclass(CaptionsNotFoundError, NotProvidedError) and issubclass(CaptionsNotFoundError, LookupError)


@pytest.mark.realdata
def test_stimulus_set_ids_match_captions(data_mirror, captions):
    stimuli = kriegeskorte92.stimulus_set(data_mirror, images=False)
    assert tuple(captions) == stimuli.stimulus_ids


@pytest.mark.realdata
def test_stimulus_set_with_captions(data_mirror, captions):
    stimuli = kriegeskorte92.stimulus_set(data_mirror, captions=True)
    assert stimuli.modalities == ("image", "text")
    for sid in stimuli.stimulus_ids:
        assert stimuli.payload(sid, "text") == captions[sid]
        assert stimuli.payload(sid, "image").is_file()
    subset = stimuli.subset(["img26", "img01"])
    assert subset.payload("img26", "text") == captions["img26"]
    assert subset.modalities == ("image", "text")


@pytest.mark.realdata
def test_captions_without_images(data_mirror, captions):
    stimuli = kriegeskorte92.stimulus_set(data_mirror, images=False, captions=True)
    assert stimuli.modalities == ("text",)
    assert stimuli.payload("img92", "text") == captions["img92"]
    assert kriegeskorte92.stimulus_set(data_mirror, images=False).modalities == ()
