"""The fetcher against a real local HTTP server: verified, cached, mirror first, offline, nothing half-written."""

from __future__ import annotations

import shutil
import tarfile

import pytest

from data_helpers import sha256, write_manifest
from neuroalign.data import (ChecksumMismatchError, DownloadError, MissingDataError, fetch_dataset, fetch_file,
                             file_status, read_manifest_file)
from neuroalign.data.settings import CACHE_ENV, OFFLINE_ENV, cache_dir

PAYLOAD = b"real bytes of a dataset file\n" * 1000


def _manifest(tmp_path, url: str, digest: str, name: str = "x.bin", size: int = len(PAYLOAD)):
    files = f'[[files]]\nname = "{name}"\nsha256 = "{digest}"\nsize = {size}\nurl = "{url}"'
    return read_manifest_file(write_manifest(tmp_path / "manifests", "toy", files))


def _leftovers(directory):
    return sorted(p.name for p in directory.rglob("*")) if directory.exists() else []


@pytest.fixture
def served(http_server):
    root, base = http_server
    (root / "x.bin").write_bytes(PAYLOAD)
    return root, base


def test_download_is_verified_cached_and_reused(tmp_path, served, monkeypatch):
    root, base = served
    manifest = _manifest(tmp_path, f"{base}/x.bin", sha256(root / "x.bin"))
    path = fetch_file(manifest, "x.bin", offline=False)
    assert path == cache_dir() / "toy" / "x.bin" and path.read_bytes() == PAYLOAD
    assert _leftovers(cache_dir()) == ["toy", "x.bin"]  # no temporary file remains
    (root / "x.bin").unlink()  # the server no longer has it: the cache answers, even offline
    monkeypatch.setenv(OFFLINE_ENV, "1")
    assert fetch_dataset(manifest) == {"x.bin": path}
    assert [s.kind for s in file_status(manifest)] == ["cache"]


def test_checksum_mismatch_keeps_nothing(tmp_path, served):
    root, base = served
    wrong = "0" * 64
    manifest = _manifest(tmp_path, f"{base}/x.bin", wrong)
    with pytest.raises(ChecksumMismatchError) as info:
        fetch_file(manifest, "x.bin", offline=False)
    assert info.value.expected == wrong and info.value.actual == sha256(root / "x.bin")
    assert f"expected sha256 {wrong}, got {info.value.actual}" in str(info.value) and base in str(info.value)
    assert _leftovers(cache_dir() / "toy") == []
    assert [s.kind for s in file_status(manifest)] == ["missing"]


def test_failed_download_keeps_nothing(tmp_path, served):
    _, base = served
    manifest = _manifest(tmp_path, f"{base}/absent.bin", "1" * 64)
    with pytest.raises(DownloadError, match="absent.bin.*nothing was kept"):
        fetch_file(manifest, "x.bin", offline=False)
    assert _leftovers(cache_dir() / "toy") == []


def test_corrupt_cache_copy_is_replaced_online_and_reported_offline(tmp_path, served):
    root, base = served
    manifest = _manifest(tmp_path, f"{base}/x.bin", sha256(root / "x.bin"))
    cached = cache_dir() / "toy" / "x.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    with pytest.raises(ChecksumMismatchError, match=r"moved to .*x\.bin\.mismatch-[0-9a-f]{12} \(nothing was deleted"):
        fetch_file(manifest, "x.bin")  # offline (the fixture's default)
    assert not cached.exists()  # never served as valid, but kept aside (issue 14, item 10)
    (aside,) = cached.parent.glob("x.bin.mismatch-*")
    assert aside.read_bytes() == b"truncated"
    cached.write_bytes(b"truncated")
    assert fetch_file(manifest, "x.bin", offline=False).read_bytes() == PAYLOAD
    assert [p.name for p in cached.parent.glob("x.bin.mismatch-*")] == [aside.name]  # same bytes, one copy


def test_offline_error_lists_missing_files_and_places(tmp_path, served):
    root, base = served
    manifest = _manifest(tmp_path, f"{base}/x.bin", sha256(root / "x.bin"))
    mirror = tmp_path / "mirror"
    with pytest.raises(MissingDataError) as info:
        fetch_dataset(manifest, mirror=mirror)
    message = str(info.value)
    assert "offline mode" in message and "x.bin" in message
    assert str(mirror / "toy" / "x.bin") in message and str(cache_dir() / "toy" / "x.bin") in message


def test_mirror_comes_first_and_a_corrupt_mirror_is_an_error(tmp_path, served, monkeypatch):
    root, base = served
    manifest = _manifest(tmp_path, f"{base}/x.bin", sha256(root / "x.bin"))
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    shutil.copy(root / "x.bin", mirror / "toy" / "x.bin")
    monkeypatch.setenv("NEUROALIGN_DATA_MIRROR", f"{tmp_path / 'empty'}:{mirror}")
    assert fetch_file(manifest, "x.bin") == mirror / "toy" / "x.bin"
    assert _leftovers(cache_dir()) == []  # a mirror hit copies nothing
    (mirror / "toy" / "x.bin").write_bytes(b"tampered")
    with pytest.raises(ChecksumMismatchError, match="repair the mirror"):
        fetch_file(manifest, "x.bin", offline=False)


def test_file_urls_and_cache_override(tmp_path, monkeypatch):
    source = tmp_path / "source.bin"
    source.write_bytes(PAYLOAD)
    manifest = _manifest(tmp_path, source.as_uri(), sha256(source))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "elsewhere"))
    assert fetch_file(manifest, "x.bin", offline=False) == tmp_path / "elsewhere" / "toy" / "x.bin"
    assert fetch_file(manifest, "x.bin", cache=tmp_path / "explicit", offline=False).parent.parent == \
        tmp_path / "explicit"


def test_archive_member_is_downloaded_checked_and_extracted(tmp_path, http_server):
    root, base = http_server
    inner = tmp_path / "inner.bin"
    inner.write_bytes(PAYLOAD)
    with tarfile.open(root / "bundle.tar.gz", "w:gz") as tar:
        tar.add(inner, arcname="bundle/data/inner.bin")
    files = (f'[[archives]]\nname = "bundle.tar.gz"\nsha256 = "{sha256(root / "bundle.tar.gz")}"\n'
             f'size = {(root / "bundle.tar.gz").stat().st_size}\nurl = "{base}/bundle.tar.gz"\nformat = "tar.gz"\n\n'
             f'[[files]]\nname = "inner.bin"\nsha256 = "{sha256(inner)}"\nsize = {len(PAYLOAD)}\n'
             f'archive = "bundle.tar.gz"\nmember = "bundle/data/inner.bin"')
    manifest = read_manifest_file(write_manifest(tmp_path / "m", "toy", files))
    with pytest.raises(MissingDataError, match="member 'bundle/data/inner.bin' of bundle.tar.gz"):
        fetch_file(manifest, "inner.bin")
    path = fetch_file(manifest, "inner.bin", offline=False)
    assert path.read_bytes() == PAYLOAD
    assert _leftovers(cache_dir() / "toy") == ["bundle.tar.gz", "inner.bin"]
