"""A model id's recorded fingerprint answers a stored request without torch, and is never stale (issue 20, item 2).

The record keeps each weights file's size, modification time and sha256: a touched file with the same bytes keeps
the record; a file with other bytes makes the model load again, and the fingerprint (so the request key) changes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from neuroalign.distributed import fingerprint_memo
from neuroalign.distributed.units import _LOADED, describe_model

#: In a fresh interpreter: describe the model, say whether torch was imported, print the fingerprint.
_DESCRIBE = ("import json, sys; from neuroalign.distributed.units import describe_model; "
             "info = describe_model(sys.argv[1]); "
             "print(json.dumps(['torch' in sys.modules, info.model_id, info.fingerprint(), info.default_layers]))")


@pytest.fixture
def tiny_bert(tiny_models, tmp_path):
    folder = shutil.copytree(tiny_models["tiny-bert"], tmp_path / "tiny-bert")  # its weights get rewritten
    return folder, f"hf:{folder}"


@pytest.fixture
def cache_env(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROALIGN_CACHE_DIR", str(tmp_path / "activations"))
    _LOADED.clear()
    yield {**os.environ}
    _LOADED.clear()


def _describe_in_fresh_process(ref: str, env: dict) -> tuple[bool, str, dict, list]:
    out = subprocess.run([sys.executable, "-c", _DESCRIBE, ref], capture_output=True, text=True, check=True, env=env)
    torch_imported, model_id, fingerprint, layers = json.loads(out.stdout.splitlines()[-1])
    return torch_imported, model_id, fingerprint, layers


def test_recorded_fingerprint_answers_without_torch_until_the_weights_change(tiny_bert, cache_env):
    folder, ref = tiny_bert
    loaded = describe_model(ref)  # loads the model, records its fingerprint
    assert fingerprint_memo.recall(ref)["model_fingerprint"] == json.loads(json.dumps(loaded.fingerprint()))
    torch_imported, model_id, fingerprint, layers = _describe_in_fresh_process(ref, cache_env)
    assert not torch_imported and model_id == loaded.model_id
    assert fingerprint == json.loads(json.dumps(loaded.fingerprint()))
    # the layers a profile reads by default are recorded too: a stored profile is found without the model
    assert loaded.default_layers == tuple(getattr(_LOADED[ref], "main_layers", None) or _LOADED[ref].layers) and \
        layers == list(loaded.default_layers)

    weights = next(folder.glob("*.safetensors"))
    stat = weights.stat()
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched, same bytes: still recalled
    assert _describe_in_fresh_process(ref, cache_env)[0] is False

    from safetensors.torch import load_file, save_file

    tensors = load_file(weights)
    name = sorted(tensors)[0]
    tensors[name] = tensors[name] + 1.0  # other weights, same file size
    save_file(tensors, weights, metadata={"format": "pt"})
    assert weights.stat().st_size == stat.st_size
    assert fingerprint_memo.recall(ref) is None
    _LOADED.clear()
    changed = describe_model(ref)
    assert changed.fingerprint()["weights_sha256"] != loaded.fingerprint()["weights_sha256"]
    assert fingerprint_memo.recall(ref)["model_fingerprint"]["weights_sha256"] == \
        changed.fingerprint()["weights_sha256"]


def test_an_added_weights_file_or_another_version_is_noticed(tiny_bert, cache_env, monkeypatch):
    folder, ref = tiny_bert
    describe_model(ref)
    assert fingerprint_memo.recall(ref) is not None
    extra = folder / "extra.bin"
    extra.write_bytes(b"not weights")
    try:
        assert fingerprint_memo.recall(ref) is None
    finally:
        extra.unlink()
    assert fingerprint_memo.recall(ref) is not None
    real = fingerprint_memo._environment
    monkeypatch.setattr(fingerprint_memo, "_environment", lambda r: {**real(r), "torch": "0.0"})
    assert fingerprint_memo.recall(ref) is None


def test_a_changed_tokenizer_or_model_setting_is_noticed(tiny_bert, cache_env):
    """Lower-casing flipped in tokenizer_config.json changes the tokens, so the activations: the folder's
    fingerprint names its settings files, and the record kept to answer without torch notices the edit (a record
    and a fingerprint kept only on the weights answered for settings that no longer held)."""
    folder, ref = tiny_bert
    loaded = describe_model(ref)
    settings = folder / "tokenizer_config.json"
    original = settings.read_text()
    config = json.loads(original)
    config["do_lower_case"] = not config.get("do_lower_case", True)
    settings.write_text(json.dumps(config))
    assert fingerprint_memo.recall(ref) is None
    _LOADED.clear()
    changed = describe_model(ref)
    assert changed.fingerprint()["source"]["settings_files_sha256"] != \
        loaded.fingerprint()["source"]["settings_files_sha256"]
    assert changed.fingerprint()["weights_sha256"] == loaded.fingerprint()["weights_sha256"]
    assert fingerprint_memo.recall(ref)["model_fingerprint"] == json.loads(json.dumps(changed.fingerprint()))
    settings.write_text(original)


def test_a_model_without_known_weights_files_is_not_recorded(cache_env):
    class Bare:
        model_id = "bare"

    assert fingerprint_memo.remember("bare", Bare(), {"model_id": "bare", "modality": None,
                                                      "model_fingerprint": {}}) is False
    assert fingerprint_memo.recall("bare") is None
