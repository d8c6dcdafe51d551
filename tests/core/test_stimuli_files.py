"""Stimulus sets from disk: folders of images and sounds, tables, image arrays, paired sets; and their errors."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
from PIL import Image
from scipy.io import wavfile

from neuroalign.core.stimuli import StimulusSet
from neuroalign.core.stimuli_arrays import ArrayImage
from neuroalign.core.stimuli_errors import MixedImageSizesError, NoStimuliError, StimulusFileError
from neuroalign.core.stimuli_files import load_stimuli, paired
from neuroalign.errors import DuplicateStimulusError, StimulusMismatchError


def _image(path, size=(12, 10), value=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.full((size[1], size[0], 3), value, dtype=np.uint8)
    pixels[: size[1] // 2, : size[0] // 2] = 255 - value
    Image.fromarray(pixels).save(path)
    return path


def test_image_folder_ids_sizes_and_categories_from_subfolders(tmp_path):
    for k, animal in enumerate(("cat", "dog")):
        _image(tmp_path / "imgs" / "animals" / f"{animal}.png", value=k)
    _image(tmp_path / "imgs" / "tools" / "hammer.jpg", size=(20, 8))
    (tmp_path / "imgs" / "tools" / "notes.txt").write_text("not an image")
    stimuli = StimulusSet.from_image_folder(tmp_path / "imgs")
    assert stimuli.stimulus_ids == ("cat", "dog", "hammer") and stimuli.name == "imgs"
    meta = stimuli.metadata
    assert list(meta.category) == ["animals", "animals", "tools"] and list(meta.width) == [12, 12, 20]
    assert stimuli.payload("hammer", "image") == (tmp_path / "imgs" / "tools" / "hammer.jpg").absolute()
    with pytest.raises(MixedImageSizesError, match=r"2 sizes.*12x10 \(cat.png\).*20x8 \(hammer.jpg\)"):
        StimulusSet.from_image_folder(tmp_path / "imgs", same_size=True)


def test_descriptor_table_orders_describes_and_pairs_captions(tmp_path):
    for name in ("b", "a", "c"):
        _image(tmp_path / f"{name}.png")
    (tmp_path / "stimuli.tsv").write_text("stimulus_id\tanimate\tcaption\nc\tNA\ta cup\na\tyes\ta cat\nb\tno\ta "
                                          "box\n")
    stimuli = load_stimuli(tmp_path)
    assert stimuli.stimulus_ids == ("c", "a", "b")  # the table's order
    assert list(stimuli.metadata.animate) == ["NA", "yes", "no"]  # "NA" is text, never a missing value
    assert stimuli.modalities == ("image", "text") and stimuli.payload("a", "text") == "a cat"
    (tmp_path / "stimuli.tsv").write_text("stimulus_id\tanimate\na\tyes\nb\tno\nd\tno\n")
    with pytest.raises(StimulusMismatchError, match=r"rows without a file \['d'\], files without a row \['c'\]"):
        load_stimuli(tmp_path)
    (tmp_path / "stimuli.tsv").write_text("file\tanimate\na.png\tyes\nb.png\tno\na.png\tyes\n")
    with pytest.raises(DuplicateStimulusError, match=r"'file' lists \['a.png'\] more than once"):
        load_stimuli(tmp_path)


def test_unreadable_duplicate_and_missing_files_are_named(tmp_path):
    _image(tmp_path / "imgs" / "ok.png")
    (tmp_path / "imgs" / "broken.png").write_bytes(b"\x89PNG not really")
    with pytest.raises(StimulusFileError, match=r"broken.png: not a readable image"):
        StimulusSet.from_image_folder(tmp_path / "imgs")
    (tmp_path / "imgs" / "broken.png").unlink()
    _image(tmp_path / "imgs" / "ok.jpg")
    with pytest.raises(DuplicateStimulusError, match=r"'ok' .* two files: .*ok.jpg and .*ok.png"):
        StimulusSet.from_image_folder(tmp_path / "imgs")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.md").write_text("x")
    with pytest.raises(NoStimuliError, match=r"no image .* or WAV files"):
        load_stimuli(tmp_path / "empty")
    with pytest.raises(StimulusFileError, match="no such folder"):
        StimulusSet.from_image_folder(tmp_path / "nope")


def test_audio_folder_reads_wav_headers(tmp_path):
    rng = np.random.default_rng(0)
    wavfile.write(tmp_path / "a.wav", 16_000, (rng.normal(0, 0.1, 8000) * 32767).astype(np.int16))
    wavfile.write(tmp_path / "b.wav", 44_100, rng.normal(0, 0.1, 44_100).astype(np.float32))
    stimuli = load_stimuli(tmp_path)
    assert stimuli.modalities == ("audio",)
    assert list(stimuli.metadata.sampling_rate) == [16_000, 44_100]
    np.testing.assert_allclose(stimuli.metadata.duration_s, [0.5, 1.0])
    (tmp_path / "c.wav").write_bytes(b"RIFF....WAVEjunk")
    with pytest.raises(StimulusFileError, match=r"c.wav: not a readable WAV file"):
        StimulusSet.from_audio_folder(tmp_path)


def test_sentence_tables_and_text_files(tmp_path):
    (tmp_path / "s.csv").write_text('stimulus_id,sentence,length\nx,"A cat, sitting.",short\ny,NULL,short\n')
    table = load_stimuli(tmp_path / "s.csv")
    assert table.stimulus_ids == ("x", "y") and table.payload("y", "text") == "NULL"
    assert list(table.metadata.columns) == ["length"]
    (tmp_path / "s.txt").write_text("first sentence\n\nsecond one\n")
    lines = load_stimuli(tmp_path / "s.txt")
    assert lines.stimulus_ids == ("s001", "s002") and lines.payload("s002", "text") == "second one"
    (tmp_path / "bad.tsv").write_text("stimulus_id\ttext\na\t  \n")
    with pytest.raises(StimulusFileError, match=r"empty text for stimulus ids \['a'\]"):
        load_stimuli(tmp_path / "bad.tsv")
    (tmp_path / "dup.tsv").write_text("stimulus_id\ttext\na\tone\na\ttwo\n")
    with pytest.raises(DuplicateStimulusError, match="'a'"):
        load_stimuli(tmp_path / "dup.tsv")
    (tmp_path / "none.tsv").write_text("stimulus_id\tlabel\na\tone\n")
    with pytest.raises(StimulusFileError, match="no stimulus column"):
        load_stimuli(tmp_path / "none.tsv")


def test_table_of_image_files_with_captions_is_a_paired_set(tmp_path):
    _image(tmp_path / "pics" / "one.png")
    (tmp_path / "t.tsv").write_text("stimulus_id\timage\tcaption\n1\tpics/one.png\ta square\n2\tpics/two.png\tx\n")
    with pytest.raises(StimulusFileError, match=r"'image' names files that do not exist .*\['pics/two.png'\]"):
        load_stimuli(tmp_path / "t.tsv")
    _image(tmp_path / "pics" / "two.png")
    stimuli = load_stimuli(tmp_path / "t.tsv")
    assert stimuli.modalities == ("text", "image") and stimuli.payload("2", "image") == tmp_path / "pics" / "two.png"


def test_image_arrays_in_hdf5_and_npz(tmp_path):
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, (3, 8, 6, 3), dtype=np.uint8)
    with h5py.File(tmp_path / "imgs.h5", "w") as f:
        f["images"] = pixels
        f["stimulus_ids"] = np.array(["p", "q", "r"], dtype=object)
    stimuli = load_stimuli(tmp_path / "imgs.h5")
    payload = stimuli.payload("q", "image")
    assert isinstance(payload, ArrayImage) and np.array_equal(payload.load(), pixels[1])
    np.savez(tmp_path / "grey.npz", pixels=(pixels[..., 0] / 255.0).astype(np.float32))
    grey = load_stimuli(tmp_path / "grey.npz")
    assert grey.stimulus_ids == ("img0000", "img0001", "img0002")
    np.testing.assert_array_equal(grey.payload("img0002", "image").load(), pixels[2, ..., 0])
    np.savez(tmp_path / "first.npz", images=np.moveaxis(pixels, 3, 1))
    with pytest.raises(StimulusFileError, match=r"channels first\? store \(n, height, width, channels\)"):
        load_stimuli(tmp_path / "first.npz")
    np.savez(tmp_path / "big.npz", images=pixels.astype(np.float32))
    with pytest.raises(StimulusFileError, match=r"float images must hold values in \[0, 1\]"):
        load_stimuli(tmp_path / "big.npz").payload("img0000", "image").load()
    np.savez(tmp_path / "two.npz", a=pixels, b=pixels)
    with pytest.raises(StimulusFileError, match=r"say which array holds the images"):
        load_stimuli(tmp_path / "two.npz")


def test_paired_joins_by_id_and_refuses_mismatches(tmp_path):
    for name in ("a", "b"):
        _image(tmp_path / f"{name}.png")
    images = StimulusSet.from_image_folder(tmp_path)
    captions = StimulusSet(["b", "a"], payloads={"text": ["bee", "ay"]}, metadata={"len": [3, 2]})
    both = paired(images, captions)
    assert both.stimulus_ids == ("a", "b") and both.payload("a", "text") == "ay"
    assert list(both.metadata["len"]) == [2, 3]
    with pytest.raises(StimulusMismatchError, match=r"lacks ids \['b'\]"):
        paired(images, StimulusSet(["a"], payloads={"text": ["ay"]}))
