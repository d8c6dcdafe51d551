"""The errors users hit when naming models (issue 16 item 4): each is a specific exception whose message names
what was wrong and what to do."""

from __future__ import annotations

import json

import pytest

from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import UnknownNameError
from neuroalign.models.errors import (HubModelNotCachedError, ModelIdError, ModelNotFoundError,
                                      StimulusModalityError, UnsupportedModelError)
from neuroalign.models.hf import load_hf_model, parse_hf_id
from neuroalign.plugins import load_model

pytest.importorskip("transformers")


def test_unknown_id_suggests_plugins_and_the_hf_spelling():
    with pytest.raises(UnknownNameError, match=r"unknown model 'tiny-org/tiny-bert'.*Did you mean 'hf:tiny-org/"
                                               r"tiny-bert'.*hf:ORG/NAME\[@REVISION\]"):
        load_model("tiny-org/tiny-bert")
    with pytest.raises(UnknownNameError, match=r"hf:/path/to/folder"):
        load_model("no-such-model-anywhere")


def test_unknown_plugin_id_suggests_the_close_plugin():
    pytest.importorskip("neuroalign_efficientnet")
    with pytest.raises(UnknownNameError, match="Did you mean 'efficientnet-lite0'"):
        load_model("efficientnet-lite")


def test_hub_id_not_cached_while_offline_says_how_to_download(hf_home):
    with pytest.raises(HubModelNotCachedError, match=r"hf:nobody/nothing is not in the local Hugging Face cache "
                                                     r".*HF_HUB_OFFLINE=1.*`hf download nobody/nothing`"):
        load_model("hf:nobody/nothing")


def test_uncached_revision_names_what_the_cache_has_and_short_hashes(hf_home):
    commit = (hf_home / "hub" / "models--tiny-org--tiny-bert" / "refs" / "main").read_text()
    with pytest.raises(HubModelNotCachedError, match=rf"has tiny-org/tiny-bert at main = {commit[:12]}, but not "
                                                     r"revision 'v9'.*--revision v9"):
        load_hf_model("hf:tiny-org/tiny-bert@v9")
    with pytest.raises(HubModelNotCachedError, match="give all 40 hex digits"):
        load_hf_model(f"hf:tiny-org/tiny-bert@{commit[:8]}")


def test_model_type_without_adapter_lists_the_supported_families(tmp_path):
    from transformers import AutoConfig

    for model_type, what in (("patchtst", "main input is 'past_values'"), ("llava", "generative vision-language"),
                             ("clap", "audio-text dual encoder")):
        folder = tmp_path / model_type
        AutoConfig.for_model(model_type).save_pretrained(folder)
        (folder / "model.safetensors").write_bytes(b"not read: the family is refused first")
        with pytest.raises(UnsupportedModelError, match=rf"{what}.*Supported families: text-encoder, causal-decoder"
                                                        r", encoder-decoder, vision, conv-vision, audio, image-text"):
            load_model(f"hf:{folder}")


def test_layer_that_does_not_exist_lists_the_layers(tiny_models):
    adapter = load_hf_model(f"hf:{tiny_models['tiny-bert']}")
    texts = StimulusSet(["a"], payloads={"text": ["a cat"]})
    with pytest.raises(UnknownNameError, match=r"unknown layer 'hidden_states.7'.*Available: .*hidden_states.2"):
        adapter.extract(texts, "hidden_states.7", cache=None)
    with pytest.raises(UnknownNameError, match="unknown layer 'pooler_output'"):  # untrained: no layer
        adapter.extract(texts, "pooler_output", cache=None)


def test_stimulus_modality_the_model_cannot_read(tiny_models):
    adapter = load_hf_model(f"hf:{tiny_models['tiny-vit']}")
    texts = StimulusSet(["a", "b"], payloads={"text": ["a cat", "a dog"]})
    with pytest.raises(StimulusModalityError, match=rf"model 'hf:{tiny_models['tiny-vit']}' reads 'image' stimuli, "
                                                    r"but the stimulus set has no 'image' payloads; it has \['text'\]"):
        adapter.extract(texts, "hidden_states.1", cache=None)


@pytest.mark.parametrize(("model_id", "error", "fragment"), [
    ("hf:", ModelIdError, "not a valid hf: model id"),
    ("hf:org/name@", ModelIdError, "not a valid hf: model id"),
    ("hf:/no/such/folder/anywhere", ModelNotFoundError, "no such folder /no/such/folder/anywhere"),
])
def test_malformed_or_missing_ids(model_id, error, fragment):
    with pytest.raises(error, match=fragment):
        load_hf_model(model_id)


def test_folder_without_config_and_read_of_a_single_tower(tmp_path, tiny_models):
    (tmp_path / "weights").mkdir()
    with pytest.raises(ModelNotFoundError, match="has no config.json"):
        load_hf_model(f"hf:{tmp_path / 'weights'}")
    with pytest.raises(ModelIdError, match="#text picks one read of an image-text dual encoder.*text-encoder"):
        load_hf_model(f"hf:{tiny_models['tiny-bert']}#text")
    with pytest.raises(ModelIdError, match="dtype 'float64' is not one of"):
        load_hf_model(f"hf:{tiny_models['tiny-bert']}", dtype="float64")


def test_grammar_local_paths_reads_and_ambiguity(tmp_path, monkeypatch):
    ref = parse_hf_id("hf:org/name@v1.0#text")
    assert (ref.repo_id, ref.revision, ref.read, ref.base_id) == ("org/name", "v1.0", "text", "hf:org/name@v1.0")
    weird = tmp_path / "a@b#text"
    weird.mkdir()
    assert parse_hf_id(f"hf:{weird}").path == weird and parse_hf_id(f"hf:{weird}").read is None  # part of the path
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models" / "bert").mkdir(parents=True)
    assert parse_hf_id("hf:./models/bert").path == tmp_path / "models" / "bert"
    with pytest.raises(ModelIdError, match=r"ambiguous.*hf:\./models/bert"):
        parse_hf_id("hf:models/bert")
    assert json.loads(json.dumps(parse_hf_id("hf:gpt2").model_id)) == "hf:gpt2"


def test_mixed_image_sizes_where_the_processor_does_not_resize(tiny_models, tmp_path):
    from PIL import Image

    from neuroalign.errors import ShapeMismatchError

    for k, size in enumerate(((32, 32), (40, 32))):
        Image.new("RGB", size, (10 * k, 20, 30)).save(tmp_path / f"im{k}.png")
    stimuli = StimulusSet.from_image_folder(tmp_path)
    adapter = load_hf_model(f"hf:{tiny_models['tiny-vit']}")
    adapter.processor.do_resize = False
    with pytest.raises(ShapeMismatchError, match=r"does not resize \(do_resize=False\).*2 sizes \[\(32, 32\), "
                                                 r"\(40, 32\)\]"):
        adapter.extract(stimuli, "hidden_states.1", cache=None)
