"""The activation cache never serves damaged bytes, and every cache problem names its file (issue 14, item 11).

Real entries written by the cache itself, then damaged as disks and crashes damage files: bytes flipped inside a
layer's data (found through HDF5's own chunk index), files truncated or emptied, a partial file missing its id
dataset, every single byte of a file flipped in turn, a cache directory that cannot be written, a disk that fills
up (a real tmpfs in a private mount namespace). The kill -9 tests are in tests/models/.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import h5py
import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw
from torch import nn

from neuroalign.cache import ActivationCache, DamagedCacheWarning
from neuroalign.cli.main import main as cli_main
from neuroalign.core.stimuli import StimulusSet
from neuroalign.models import ImageTransform, TorchAdapter
from neuroalign.utils.directories import UnwritableDirectoryError


def _images(folder: Path, n: int = 9) -> StimulusSet:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        image = Image.new("RGB", (20, 20), ((40 * k) % 256, (90 * k + 30) % 256, (70 * k + 100) % 256))
        ImageDraw.Draw(image).rectangle((k % 5, k % 3, 10 + k, 12 + k % 4), fill=(255, 20 * k % 256, 0))
        image.save(folder / f"{k}.png")
        paths.append(folder / f"{k}.png")
    return StimulusSet([f"s{k}" for k in range(n)], payloads={"image": paths})


def _adapter() -> TorchAdapter:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(),
                        nn.Linear(16, 3))
    return TorchAdapter(net, ImageTransform(size=16, resize=16), model_id="tiny")


def _extract(stimuli: StimulusSet, cache: ActivationCache, **kwargs):
    return _adapter().extract(stimuli, ["0", "output"], pooling={"0": "flatten", "*": "spatial_mean"},
                              batch_size=4, cache=cache, device="cpu", progress=False, **kwargs)


def _same(a, b) -> bool:
    return all(a.layer(n).tobytes() == b.layer(n).tobytes() for n in ("0", "output"))


@pytest.fixture
def acts_cache(tmp_path):
    stimuli = _images(tmp_path / "images")
    clean = _adapter().extract(stimuli, ["0", "output"], pooling={"0": "flatten", "*": "spatial_mean"},
                               batch_size=4, cache=None, device="cpu", progress=False)
    return stimuli, ActivationCache(tmp_path / "acts"), clean


def _flip_in_layer_data(path: Path, layer: str = "0") -> None:
    with h5py.File(path, "r") as f:
        offset = f["layers"][layer].id.get_chunk_info(1).byte_offset + 17  # inside the second batch's rows
    with path.open("r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0x40]))


def _cli_out(capsys, *argv: str) -> tuple[int, str]:
    code = cli_main(list(argv))
    return code, capsys.readouterr().out


def _clear_leaves_the_good_entry(capsys, cache: ActivationCache, flag: str) -> None:
    _, out = _cli_out(capsys, "cache", "--dir", str(cache.root), "clear", flag)
    assert "removed 1 entry" in out and [e.state for e in cache.entries()] == ["complete"]


def test_flipped_bytes_in_a_complete_entry_are_quarantined_and_recomputed(acts_cache, capsys):
    stimuli, cache, clean = acts_cache
    path = Path(_extract(stimuli, cache).descriptors["cache_file"])
    _flip_in_layer_data(path)
    code, out = _cli_out(capsys, "cache", "--dir", str(cache.root), "verify")
    assert code == 1 and f"DAMAGED {path}: its bytes changed" in out
    assert path.with_name(path.name + ".damaged").is_file() and not path.exists()
    _, out = _cli_out(capsys, "cache", "--dir", str(cache.root), "list")
    assert "DAMAGED: quarantined" in out and "1 damaged" in out
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the quarantined copy is never read again: no second warning
        again = _extract(stimuli, cache)
    assert _same(again, clean)
    _clear_leaves_the_good_entry(capsys, cache, "--damaged")


def test_a_hit_checks_every_byte_before_serving(acts_cache):
    stimuli, cache, clean = acts_cache
    path = Path(_extract(stimuli, cache).descriptors["cache_file"])
    _flip_in_layer_data(path, "output")
    with pytest.warns(DamagedCacheWarning, match=rf"{re.escape(str(path))} \(its bytes changed.*recomputed"):
        again = _extract(stimuli, cache)
    assert _same(again, clean) and np.isfinite(again.layer("0")).all()


@pytest.mark.parametrize("damage", ["truncated", "empty"])
def test_truncated_or_empty_complete_entry_is_listed_quarantined_and_recomputed(acts_cache, damage, capsys):
    stimuli, cache, clean = acts_cache
    path = Path(_extract(stimuli, cache).descriptors["cache_file"])
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.truncate(0 if damage == "empty" else size // 2)
    (entry,) = cache.entries()
    assert entry.state == "damaged" and ("empty" in entry.problem or "truncated" in entry.problem)
    code, out = _cli_out(capsys, "cache", "--dir", str(cache.root), "list")
    assert code == 0 and "DAMAGED" in out and entry.key[:12] in out
    with pytest.warns(DamagedCacheWarning, match=re.escape(str(path))):
        again = _extract(stimuli, cache)
    assert _same(again, clean)
    assert sorted(e.state for e in cache.entries()) == ["complete", "damaged"]


def _interrupted(stimuli: StimulusSet, cache: ActivationCache) -> Path:
    """A real partial entry: the third batch's forward pass raises, two batches (8 rows) are final."""
    adapter, calls = _adapter(), {"n": 0}

    def stop(module, inputs, output):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt

    adapter.model[0].register_forward_hook(stop)
    with pytest.raises(KeyboardInterrupt):
        adapter.extract(stimuli, ["0", "output"], pooling={"0": "flatten", "*": "spatial_mean"}, batch_size=4,
                        cache=cache, device="cpu", progress=False)
    (entry,) = cache.entries()
    assert entry.state == "partial" and entry.n_done == 8
    return entry.path


def _drop_ids(path: Path) -> None:
    with h5py.File(path, "a") as f:
        del f["stimulus_ids"]


def _zero(path: Path) -> None:
    path.write_bytes(b"")


def _cut(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


@pytest.mark.parametrize("damage", [_flip_in_layer_data, _drop_ids, _zero, _cut],
                         ids=["flipped", "no-ids", "empty", "truncated"])
def test_damaged_partial_entry_is_listed_cleared_and_never_resumed(acts_cache, damage, capsys):
    stimuli, cache, clean = acts_cache
    partial = _interrupted(stimuli, cache)
    damage(partial)
    (entry,) = cache.entries()  # listing a damaged partial file does not crash
    if damage is not _flip_in_layer_data:  # flipped data rows are only found by resuming (their digests)
        assert entry.state == "damaged" and entry.path == partial
    code, out = _cli_out(capsys, "cache", "--dir", str(cache.root), "list")
    assert code == 0 and entry.key[:12] in out
    with pytest.warns(DamagedCacheWarning, match=re.escape(str(partial))):
        resumed = _extract(stimuli, cache)
    assert _same(resumed, clean)
    _clear_leaves_the_good_entry(capsys, cache, "--partial")


def test_a_clean_partial_entry_still_resumes_without_a_warning(acts_cache):
    stimuli, cache, clean = acts_cache
    _interrupted(stimuli, cache)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _same(_extract(stimuli, cache), clean)


def test_every_single_byte_flip_of_an_entry_is_detected_or_harmless(acts_cache):
    """Flip one byte at a time over the whole file: the cache either refuses the file or serves the same numbers."""
    stimuli, cache, clean = acts_cache
    path = Path(_extract(stimuli, cache).descriptors["cache_file"])
    key, pristine = path.name.split(".")[0], path.read_bytes()
    userblock = int(pristine.split(b"\n", 1)[0].split()[-1])
    padding = range(pristine.index(b"\0"), userblock)  # the zeros after the header: carry nothing
    undetected = []
    for offset in range(0, len(pristine), 11):  # ~1,000 positions: every structure of the file is hit
        flipped = bytearray(pristine)
        flipped[offset] ^= 0x21
        path.write_bytes(bytes(flipped))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DamagedCacheWarning)
            got = cache.get(key, "tiny")
        if got is None:  # refused and quarantined
            for stale in path.parent.glob("*.damaged*"):
                stale.unlink()
            continue
        assert _same(got, clean), f"a flip at byte {offset} was served"
        undetected.append(offset)
    assert all(o in padding for o in undetected), [o for o in undetected if o not in padding][:10]


def test_unwritable_activation_cache_names_the_directory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")  # blocks root too, unlike permission bits
    with pytest.raises(UnwritableDirectoryError, match=re.escape(str(blocker / "acts"))):
        _extract(_images(tmp_path / "images", 2), ActivationCache(blocker / "acts"))


FILL_THE_DISK = """
import json, sys
import numpy as np
from neuroalign.cache import ActivationCache, CacheWriteError
cache = ActivationCache(sys.argv[1])
ids = [f"s{k}" for k in range(64)]
out = {}
try:
    with cache.writing("d" * 64, "m", {"model_id": "m"}, ids, ["a"], 8) as entry:
        for start in range(0, 64, 8):
            entry.append(start, {"a": np.full((8, 8000), start, np.float32)})
        entry.finalize(cache.path_for("d" * 64, "m"))
except CacheWriteError as error:
    out["error"] = str(error)
out["entries"] = [[e.state, e.n_done] for e in cache.entries()]
print(json.dumps(out))
"""


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1) for a private tmpfs")
def test_a_full_disk_stops_the_writer_cleanly_and_keeps_what_is_final(tmp_path):
    mount = tmp_path / "small-disk"
    mount.mkdir()
    run = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size=1m tmpfs "$0" && exec "$@"',
                          str(mount), sys.executable, "-c", FILL_THE_DISK, str(mount / "acts")],
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0 and "mount" in run.stderr and "ermission" in run.stderr:
        pytest.skip(f"no private mounts here: {run.stderr.strip()}")
    assert run.returncode == 0, run.stderr[-3000:]  # no crash, no traceback: a clean error
    out = json.loads(run.stdout)
    assert re.search(r"the disk holding the activation cache file .*/acts/m/d{64}\.partial\.h5 has \d+ bytes free",
                     out["error"]), out["error"]
    assert "rows 0-" in out["error"] and "are kept and resume" in out["error"]
    ((state, n_done),) = out["entries"]
    assert state == "partial" and 0 < n_done < 64
