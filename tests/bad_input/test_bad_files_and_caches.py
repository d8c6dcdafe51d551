"""Bad data files and data caches: a user's file is never lost, damaged files are never used, errors name the file.

Issue 14, items 10, 13 (data side) and 18; the activation cache is in test_bad_activation_caches.py. Real files
throughout: manifests written as TOML, archives written with tarfile/zipfile, files served by file:// URLs.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from neuroalign.cli.main import main as cli_main
from neuroalign.data import (ChecksumMismatchError, DamagedArchiveError, ManifestError, MissingDataError, fetch_file,
                             load_manifest, read_manifest_file)
from neuroalign.data.archives import safe_extract
from neuroalign.data.aside import set_aside
from neuroalign.data.settings import CACHE_ENV, MIRROR_ENV, OFFLINE_ENV
from neuroalign.datasets import validate_manifests
from neuroalign.utils.directories import UnwritableDirectoryError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
from data_helpers import write_manifest  # noqa: E402  (the data tests' manifest writer)

PAYLOAD = b"the only copy of a recording, placed by hand\n" * 200
NOISE = random.Random(0).randbytes(20_000)  # incompressible, so a cut compressed archive is cut inside the member


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(OFFLINE_ENV, "1")
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.setenv("NEUROALIGN_MANIFESTS", str(tmp_path / "manifests"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(tmp_path: Path, files: str, dataset_id: str = "toy") -> Path:
    """A small valid manifest in ``tmp_path/manifests`` (the directory ``$NEUROALIGN_MANIFESTS`` names)."""
    return write_manifest(tmp_path / "manifests", dataset_id, files)


def _by_hand(tmp_path: Path):
    files = (f'[[files]]\nname = "rec.bin"\nsha256 = "{_sha(PAYLOAD)}"\nsize = {len(PAYLOAD)}\n'
             'origin = "ask the lab that recorded it"')
    return read_manifest_file(_manifest(tmp_path, files))


# --- item 10: a file placed by hand is never deleted --------------------------------------------------------------
@pytest.mark.parametrize("offline", [True, False])
def test_hand_placed_file_with_wrong_checksum_is_set_aside_not_deleted(tmp_path, offline):
    manifest = _by_hand(tmp_path)
    placed = tmp_path / "cache" / "toy" / "rec.bin"
    placed.parent.mkdir(parents=True)
    edited = PAYLOAD + b"one extra line written by an editor\n"
    placed.write_bytes(edited)
    with pytest.raises(ChecksumMismatchError) as info:
        fetch_file(manifest, "rec.bin", offline=offline)
    error = info.value
    assert error.path == str(placed) and error.expected == _sha(PAYLOAD) and error.actual == _sha(edited)
    assert f"expected sha256 {_sha(PAYLOAD)}, got {_sha(edited)}" in str(error)
    aside = placed.with_name(f"rec.bin.mismatch-{_sha(edited)[:12]}")
    assert aside.read_bytes() == edited, "the user's bytes must survive"
    assert str(aside) in str(error) and "nothing was deleted" in str(error)
    assert "ask the lab that recorded it" in str(error)
    # Asked again: missing now, and the message points at the copy that was set aside.
    with pytest.raises(MissingDataError, match=r"set aside earlier: .*rec\.bin\.mismatch-"):
        fetch_file(manifest, "rec.bin", offline=offline)
    placed.write_bytes(PAYLOAD)  # the user puts the right file back
    assert fetch_file(manifest, "rec.bin").read_bytes() == PAYLOAD and aside.read_bytes() == edited


def test_hand_placed_symlink_with_wrong_checksum_moves_the_link_not_its_target(tmp_path):
    manifest = _by_hand(tmp_path)
    own = tmp_path / "lab" / "rec.bin"
    own.parent.mkdir()
    own.write_bytes(b"another recording")
    link = tmp_path / "cache" / "toy" / "rec.bin"
    link.parent.mkdir(parents=True)
    link.symlink_to(own)
    with pytest.raises(ChecksumMismatchError, match="rec.bin.mismatch-"):
        fetch_file(manifest, "rec.bin")
    assert own.read_bytes() == b"another recording" and not link.is_symlink()
    (aside,) = link.parent.glob("rec.bin.mismatch-*")
    assert aside.is_symlink() and aside.resolve() == own.resolve()


def test_bad_download_over_a_mismatched_cached_copy_keeps_the_copy_and_no_temporary(tmp_path):
    served = tmp_path / "served.bin"
    served.write_bytes(b"the server now sends something else")
    files = (f'[[files]]\nname = "rec.bin"\nsha256 = "{_sha(PAYLOAD)}"\nsize = {len(PAYLOAD)}\n'
             f'url = "{served.as_uri()}"')
    manifest = read_manifest_file(_manifest(tmp_path, files))
    cached = tmp_path / "cache" / "toy" / "rec.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"an older version")
    with pytest.raises(ChecksumMismatchError, match="The download was deleted") as info:
        fetch_file(manifest, "rec.bin", offline=False)
    assert info.value.actual == _sha(served.read_bytes())
    assert sorted(p.name for p in cached.parent.iterdir()) == [f"rec.bin.mismatch-{_sha(b'an older version')[:12]}"]


def test_a_copy_another_process_just_fetched_into_place_is_not_set_aside(tmp_path):
    path = tmp_path / "rec.bin"
    path.write_bytes(b"an older version")
    hashed = path.lstat().st_ino  # this process hashed the old file ...
    fresh = tmp_path / ".download.tmp"
    fresh.write_bytes(PAYLOAD)
    os.replace(fresh, path)  # ... while another one renamed its verified download into place
    assert set_aside(path, _sha(PAYLOAD), _sha(b"an older version"), inode=hashed) is None
    assert path.read_bytes() == PAYLOAD and sorted(p.name for p in tmp_path.iterdir()) == ["rec.bin"]


# --- item 13, data side: damaged archives and unwritable caches name the file ----------------------------------
def _tar_bytes(mode: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as tar:
        info = tarfile.TarInfo("bundle/rec.bin")
        info.size = len(NOISE)
        tar.addfile(info, io.BytesIO(NOISE))
    return buffer.getvalue()


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bundle/rec.bin", NOISE)
    return buffer.getvalue()


ARCHIVES = {"tar.gz": lambda: _tar_bytes("w:gz"), "tar.bz2": lambda: _tar_bytes("w:bz2"),
            "tar.xz": lambda: _tar_bytes("w:xz"), "tar": lambda: _tar_bytes("w"), "zip": _zip_bytes}


@pytest.mark.parametrize("fmt", sorted(ARCHIVES))
@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_damaged_archive_raises_an_error_naming_it_and_leaves_nothing(tmp_path, fmt, damage):
    data = bytearray(ARCHIVES[fmt]())
    if damage == "truncated":
        data = data[: len(data) // 3]  # inside the member (a plain tar is padded to 20 kB)
    else:  # bytes flipped in the middle: compressed streams fail their CRC, a plain tar its header or size
        middle = 600 if fmt == "tar" else len(data) // 2  # a plain tar's member data starts at byte 512
        data[middle:middle + 64] = bytes(b ^ 0x5A for b in data[middle:middle + 64])
    archive = tmp_path / f"bundle.{fmt}"
    archive.write_bytes(bytes(data))
    try:
        out = safe_extract(archive, tmp_path / "out", fmt, members=["bundle/rec.bin"])
    except DamagedArchiveError as error:
        assert str(archive) in str(error) and f"as a {fmt} archive" in str(error)
        assert sorted(p.name for p in tmp_path.iterdir()) == [archive.name], "nothing half-extracted may remain"
    else:  # a flip inside an uncompressed tar's payload is not detectable by the archive itself
        assert fmt == "tar" and damage == "flipped"
        assert (out / "bundle" / "rec.bin").read_bytes() != NOISE  # the manifest's file checksum catches it


def test_truncated_archive_through_the_fetcher_names_the_archive(tmp_path):
    # A manifest author hashed an incomplete download: the checksum matches, the archive cannot be read.
    archive = tmp_path / "served" / "bundle.tar.gz"
    archive.parent.mkdir()
    archive.write_bytes(_tar_bytes("w:gz")[:5000])
    files = (f'[[archives]]\nname = "bundle.tar.gz"\nsha256 = "{_sha(archive.read_bytes())}"\n'
             f'size = {archive.stat().st_size}\nurl = "{archive.as_uri()}"\nformat = "tar.gz"\n\n'
             f'[[files]]\nname = "rec.bin"\nsha256 = "{_sha(NOISE)}"\nsize = {len(NOISE)}\n'
             'archive = "bundle.tar.gz"\nmember = "bundle/rec.bin"')
    manifest = read_manifest_file(_manifest(tmp_path, files))
    with pytest.raises(DamagedArchiveError, match=r"bundle\.tar\.gz cannot be read as a tar\.gz archive"):
        fetch_file(manifest, "rec.bin", offline=False)
    assert sorted(p.name for p in (tmp_path / "cache" / "toy").iterdir()) == ["bundle.tar.gz"]


def test_unwritable_data_cache_names_the_directory(tmp_path, capsys):
    served = tmp_path / "served.bin"
    served.write_bytes(PAYLOAD)
    files = (f'[[files]]\nname = "rec.bin"\nsha256 = "{_sha(PAYLOAD)}"\nsize = {len(PAYLOAD)}\n'
             f'url = "{served.as_uri()}"')
    manifest = read_manifest_file(_manifest(tmp_path, files))
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache should be")  # root ignores permission bits; a file blocks anyone
    with pytest.raises(UnwritableDirectoryError) as info:
        fetch_file(manifest, "rec.bin", cache=blocker / "cache", offline=False)
    assert isinstance(info.value, OSError) and str(blocker / "cache" / "toy") in str(info.value)
    assert cli_main(["data", "fetch", "toy", "--cache", str(blocker / "cache")]) != 0
    assert str(blocker / "cache") in capsys.readouterr().err


# --- item 18: one broken manifest does not hide the others ---------------------------------------------------------
def test_data_list_marks_a_broken_manifest_and_lists_the_rest(tmp_path, capsys):
    _by_hand(tmp_path)  # toy.toml: valid
    broken = _manifest(tmp_path, "[[files]]\nname = \"x.bin\"\nsha256 = \"not-a-hash\"\nsize = 1\norigin = \"x\"",
                       dataset_id="broken")
    (tmp_path / "manifests" / "latin1.toml").write_bytes("title = \"Caf\xe9\"\n".encode("latin-1"))
    assert cli_main(["data", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    line = {row.split()[0]: row for row in out if row.strip()}
    assert "BROKEN" not in line["toy"] and "not on this machine" in line["toy"]
    assert "BROKEN" in line["broken"] and "files[0].sha256" in line["broken"] and str(broken) in line["broken"]
    assert "BROKEN" in line["latin1"] and "not UTF-8" in line["latin1"]
    assert "kriegeskorte2008_92images" in line  # the package's own manifests are still listed
    problems = {(Path(p.path).name, p.field) for p in validate_manifests()}
    assert ("broken.toml", "files[0].sha256") in problems and ("latin1.toml", "<root>") in problems
    with pytest.raises(ManifestError, match=r"broken\.toml: field 'files\[0\]\.sha256'"):
        load_manifest("broken")
    with pytest.raises(ManifestError, match=r"latin1\.toml: field '<root>': is not UTF-8 text"):
        load_manifest("latin1")
