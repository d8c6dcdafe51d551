"""Archive extraction refuses members that escape, links out and special files, and leaves nothing behind."""

from __future__ import annotations

import io
import tarfile
import zipfile

import pytest

from neuroalign.data import UnsafeArchiveError
from neuroalign.data.archives import safe_extract


def _tar(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _file(name, data=b"content"):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def _link(name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def test_good_archives_extract_atomically(tmp_path):
    archive = _tar(tmp_path / "ok.tar.gz", [_file("top/a.txt"), _file("top/sub/b.txt"),
                                            _link("top/link", "sub/b.txt")])
    out = safe_extract(archive, tmp_path / "out", "tar.gz")
    assert (out / "top" / "sub" / "b.txt").read_bytes() == b"content" and (out / "top" / "link").is_symlink()
    only = safe_extract(archive, tmp_path / "only", "tar.gz", members=["top/a.txt"])
    assert sorted(p.name for p in only.rglob("*")) == ["a.txt", "top"]
    with zipfile.ZipFile(tmp_path / "ok.zip", "w") as zf:
        zf.writestr("dir/c.txt", "zip content")
    assert (safe_extract(tmp_path / "ok.zip", tmp_path / "z", "zip") / "dir" / "c.txt").read_text() == "zip content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.tar.gz", "ok.zip", "only", "out", "z"]


@pytest.mark.parametrize("member, reason", [
    (_file("../evil.txt"), "escapes"),
    (_file("top/../../evil.txt"), "escapes"),
    (_file("/tmp/evil.txt"), "escapes"),
    (_link("top/link", "/etc/passwd"), "outside the extraction directory"),
    (_link("top/link", "../../outside"), "outside the extraction directory"),
    (_link("top/hard", "../outside", tarfile.LNKTYPE), "outside the extraction directory"),
    (_link("top/fifo", "", tarfile.FIFOTYPE), "special file"),
])
def test_unsafe_tar_members_are_refused_whole(tmp_path, member, reason):
    archive = _tar(tmp_path / "bad.tar.gz", [_file("top/fine.txt"), member])
    with pytest.raises(UnsafeArchiveError, match=reason) as info:
        safe_extract(archive, tmp_path / "out", "tar.gz")
    assert info.value.member == member[0].name and str(archive) in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tar.gz"]  # no target, no staging, no escapee
    assert not (tmp_path.parent / "evil.txt").exists()


def test_unsafe_zip_members_are_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as zf:
        zf.writestr("fine.txt", "x")
        zf.writestr("../../evil.txt", "x")
    with pytest.raises(UnsafeArchiveError, match="'../../evil.txt' has a path that escapes"):
        safe_extract(tmp_path / "bad.zip", tmp_path / "out", "zip")
    link = zipfile.ZipInfo("link")
    link.external_attr = (0o120777 << 16)
    with zipfile.ZipFile(tmp_path / "link.zip", "w") as zf:
        zf.writestr(link, "../../../etc/passwd")
    with pytest.raises(UnsafeArchiveError, match="is a link"):
        safe_extract(tmp_path / "link.zip", tmp_path / "out", "zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip", "link.zip"]


def test_missing_member_is_reported(tmp_path):
    archive = _tar(tmp_path / "ok.tar.gz", [_file("a.txt")])
    with pytest.raises(UnsafeArchiveError, match="'b.txt' is not in the archive"):
        safe_extract(archive, tmp_path / "out", "tar.gz", members=["b.txt"])
    assert not (tmp_path / "out").exists()
