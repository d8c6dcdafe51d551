"""Image payloads: unusual modes and sizes are converted; unreadable files and empty sets are clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from models_helpers import tiny_adapter
from PIL import Image

from neuroalign.core.stimuli import StimulusSet
from neuroalign.models import EmptyStimulusSetError, PayloadError
from neuroalign.models.inputs import load_image


def _save(path, image):
    image.save(path)
    return path


def test_unusual_modes_and_sizes_are_converted(tmp_path):
    rgb = np.zeros((30, 50, 3), np.uint8)
    rgb[:, 25:] = 200
    files = {
        "grey": _save(tmp_path / "grey.png", Image.fromarray(rgb[..., 0])),
        "rgba": _save(tmp_path / "rgba.png", Image.fromarray(np.dstack([rgb, np.full((30, 50), 128, np.uint8)]))),
        "palette": _save(tmp_path / "palette.png", Image.fromarray(rgb).convert("P")),
        "sixteen": _save(tmp_path / "sixteen.png", Image.fromarray(rgb[..., 0].astype(np.uint16) * 257)),
        "cmyk": _save(tmp_path / "cmyk.jpg", Image.fromarray(rgb).convert("CMYK")),
        "tiny": _save(tmp_path / "tiny.png", Image.new("RGB", (1, 1), (10, 20, 30))),
        "huge_aspect": _save(tmp_path / "wide.png", Image.new("RGB", (400, 3), (10, 20, 30))),
    }
    for sid, path in files.items():
        image = load_image(sid, path)
        assert image.mode == "RGB"
    sixteen = np.asarray(load_image("sixteen", files["sixteen"]))
    assert sixteen.max() == 255 and sixteen.min() == 0, "16-bit range must map onto 0..255, not be clipped"
    stimuli = StimulusSet(list(files), payloads={"image": list(files.values())})
    acts = tiny_adapter().extract(stimuli, "output", cache=None, batch_size=3)
    assert acts.layer("output").shape == (len(files), 5) and np.isfinite(acts.layer("output")).all()


def test_unreadable_and_missing_payloads_name_the_stimulus_and_file(tmp_path, cache):
    good = _save(tmp_path / "good.png", Image.new("RGB", (20, 20)))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png at all")
    stimuli = StimulusSet(["ok", "bad"], payloads={"image": [good, broken]})
    with pytest.raises(PayloadError, match=r"'bad'.*broken\.png.*not a readable image"):
        tiny_adapter().extract(stimuli, "output", cache=None)
    missing = StimulusSet(["ok", "gone"], payloads={"image": [good, tmp_path / "gone.png"]})
    with pytest.raises(PayloadError, match=r"'gone'.*gone\.png.*not found"):
        tiny_adapter().extract(missing, "output", cache=cache)
    assert not list(cache.root.rglob("*.h5"))


def test_empty_set_and_missing_modality(images):
    with pytest.raises(EmptyStimulusSetError):
        tiny_adapter().extract(StimulusSet([], payloads={"image": []}), "output", cache=None)
    texts = StimulusSet(["a"], payloads={"text": ["hello"]})
    with pytest.raises(PayloadError, match="no 'image' payloads; it has \\['text'\\]"):
        tiny_adapter().extract(texts, "output", cache=None)
