"""Image-text dual encoders by id: one model, two reads; the projection layers equal the model's own
``get_text_features`` / ``get_image_features``, and the towers equal their sub-models run by hand."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import UnknownNameError
from neuroalign.models.hf import load_hf_model

transformers = pytest.importorskip("transformers")

CAPTIONS = ["a photo of a cat", "a red car", "the big house and a small tree on the mat"]


def _paired(images) -> StimulusSet:
    ids = images.stimulus_ids[:3]
    return StimulusSet(ids, payloads={"image": [images.payload(i, "image") for i in ids], "text": CAPTIONS})


def _pil(stimuli):
    return [Image.open(stimuli.payload(i, "image")).convert("RGB") for i in stimuli.stimulus_ids]


@torch.inference_mode()
def test_clip_projections_are_the_models_own_features(tiny_models, images):
    folder = tiny_models["tiny-clip"]
    image_read = load_hf_model(f"hf:{folder}")
    text_read = image_read.reads["text"]
    assert image_read.model is text_read.model  # one model, two reads
    assert (image_read.modality, text_read.modality) == ("image", "text")
    assert text_read.model_id == f"hf:{folder}#text" and load_hf_model(f"hf:{folder}#text").modality == "text"
    stimuli = _paired(images)
    img = image_read.extract(stimuli, ["image.projection", "image.hidden_states.2"], cache=None, device="cpu")
    txt = text_read.extract(stimuli, ["text.projection", "text.hidden_states.*"], cache=None, device="cpu")

    model = transformers.CLIPModel.from_pretrained(folder).eval()
    processor = transformers.CLIPProcessor.from_pretrained(folder)
    enc = processor(text=CAPTIONS, padding=True, return_tensors="pt")
    own_text = model.get_text_features(**enc)
    own_text = getattr(own_text, "pooler_output", own_text)
    pixels = processor(images=_pil(stimuli), return_tensors="pt")["pixel_values"]
    own_image = model.get_image_features(pixel_values=pixels)
    own_image = getattr(own_image, "pooler_output", own_image)
    np.testing.assert_allclose(txt.layer("text.projection"), own_text.numpy(), atol=1e-5)
    np.testing.assert_allclose(img.layer("image.projection"), own_image.numpy(), atol=1e-5)
    # the projection written out: the text tower pooled at the end-of-text token, then text_projection
    tower = model.text_model(**enc)
    np.testing.assert_allclose(txt.layer("text.projection"), model.text_projection(tower.pooler_output), atol=1e-5)
    vision = model.vision_model(pixel_values=pixels, output_hidden_states=True)
    np.testing.assert_allclose(img.layer("image.hidden_states.2"), vision.hidden_states[2][:, 0], atol=1e-5)
    # hidden states of the text tower: mean over each caption's own tokens
    for k, caption in enumerate(CAPTIONS):
        alone = model.text_model(**processor(text=[caption], return_tensors="pt"), output_hidden_states=True)
        np.testing.assert_allclose(txt.layer("text.hidden_states.1")[k], alone.hidden_states[1][0].mean(0), atol=1e-5)


@torch.inference_mode()
def test_siglip_text_is_padded_to_the_trained_length(tiny_models, images):
    """SigLIP pools its text tower at the last position: with padding to the batch's longest text, a caption's
    embedding would depend on the batch. Padded to max_length, it is the same alone and in a batch, and equals
    get_text_features on the processor's max_length encoding."""
    folder = tiny_models["tiny-siglip"]
    text_read = load_hf_model(f"hf:{folder}#text")
    stimuli = _paired(images)
    batch = text_read.extract(stimuli, "text.projection", cache=None, device="cpu").layer("text.projection")
    alone = text_read.extract(stimuli.subset([stimuli.stimulus_ids[1]]), "text.projection", cache=None,
                              device="cpu").layer("text.projection")
    np.testing.assert_allclose(batch[1], alone[0], atol=1e-6)
    model = transformers.SiglipModel.from_pretrained(folder).eval()
    processor = transformers.SiglipProcessor.from_pretrained(folder)
    own = model.get_text_features(**processor(text=CAPTIONS, padding="max_length", return_tensors="pt"))
    np.testing.assert_allclose(batch, getattr(own, "pooler_output", own).numpy(), atol=1e-5)
    image_read = text_read.reads["image"]
    assert image_read.default_pooling["image.hidden_states.0"] == "token_mean"  # SigLIP has no CLS token


def test_each_read_offers_its_own_towers_modules(tiny_models):
    image_read = load_hf_model(f"hf:{tiny_models['tiny-clip']}")
    text_read = image_read.reads["text"]
    image_modules = [n for n in image_read.layers if not n.startswith("image.")]
    text_modules = [n for n in text_read.layers if not n.startswith("text.")]
    assert image_modules and all(n.startswith(("vision_model", "visual_projection")) for n in image_modules)
    assert text_modules and all(n.startswith(("text_model", "text_projection")) for n in text_modules)
    stimuli = StimulusSet(["a"], payloads={"image": ["x.png"]})
    with pytest.raises(UnknownNameError, match=r"belongs to the text read .*#text"):
        image_read.extract(stimuli, "text.projection", cache=None)
    with pytest.raises(UnknownNameError, match="Did you mean 'image.projection'"):
        image_read.extract(stimuli, "image.projektion", cache=None)
