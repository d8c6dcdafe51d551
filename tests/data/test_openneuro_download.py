"""Downloads from versioned OpenNeuro-style addresses on a local server: published md5/sha256, trust on first use,
subsets, resuming, progress; right bytes, wrong bytes, truncated, 404, slow and stalled transfers."""

from __future__ import annotations

import hashlib
import os
import warnings

import pytest

from data_helpers import write_manifest
from openneuro_server import OpenNeuroServer
from neuroalign.cli.main import main
from neuroalign.data import ChecksumMismatchError, DownloadError, MissingDataError, fetch_dataset, read_manifest_file
from neuroalign.data.coverage import hash_coverage
from neuroalign.data.settings import cache_dir
from neuroalign.data.trust import TrustOnFirstUseWarning, trust_record

RUN = {(s, r): f"sub-{s}/func/sub-{s}_task-x_run-{r:02d}_bold.nii.gz" for s in (1, 2) for r in (1, 2)}
BYTES = {path: f"{path}\n".encode() * 3000 for path in RUN.values()}
DESCRIPTION = b'{"Name": "toy", "BIDSVersion": "1.8.0"}\n'
STIMULI = b"an archive whose source publishes no checksum\n" * 100


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


@pytest.fixture
def server():
    with OpenNeuroServer(pause=0.01, stall=1.5) as srv:
        for k, (path, data) in enumerate(BYTES.items()):
            srv.add(f"ds999999/{path}", data, f"v{k}.abc_DEF")
        srv.add("ds999999/dataset_description.json", DESCRIPTION, None)
        srv.add("stimuli.tar.gz", STIMULI, None)
        yield srv


def _entries(server, **override) -> str:
    rows = [f'[[files]]\nname = "dataset_description.json"\nsha256 = "{hashlib.sha256(DESCRIPTION).hexdigest()}"\n'
            f'size = {len(DESCRIPTION)}\nurl = "{server.url("ds999999/dataset_description.json", None)}"']
    for k, (path, data) in enumerate(BYTES.items()):
        url = server.url(f"ds999999/{path}", override.get(path, f"v{k}.abc_DEF"))
        rows.append(f'[[files]]\nname = "{path}"\nmd5 = "{_md5(data)}"\nsize = {len(data)}\nurl = "{url}"')
    rows.append(f'[[files]]\nname = "stimuli.tar.gz"\nhash = "unpublished"\n'
                f'url = "{server.url("stimuli.tar.gz", None)}"')
    return "\n\n".join(rows)


@pytest.fixture
def manifest(tmp_path, server, monkeypatch):
    directory = tmp_path / "manifests"
    write_manifest(directory, "toyneuro", _entries(server), modality='"fmri"')
    monkeypatch.setenv("NEUROALIGN_MANIFESTS", str(directory))
    return read_manifest_file(directory / "toyneuro.toml")


def _files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_cli_fetches_exactly_one_subjects_run_verified_by_md5(manifest, server, capsys, monkeypatch):
    monkeypatch.setenv("NEUROALIGN_OFFLINE", "0")
    with pytest.warns(TrustOnFirstUseWarning):  # the dataset-level stimuli come with any subject
        assert main(["data", "fetch", "toyneuro", "--subjects", "1", "--runs", "1", "--no-progress"]) == 0
    root = cache_dir() / "toyneuro"
    assert _files(root) == [".trust/stimuli.tar.gz.sha256", "dataset_description.json", "stimuli.tar.gz",
                            RUN[(1, 1)]]
    assert (root / RUN[(1, 1)]).read_bytes() == BYTES[RUN[(1, 1)]]
    assert server.objects[f"/ds999999/{RUN[(2, 1)]}"].requests == []  # nothing else was asked for
    capsys.readouterr()
    assert main(["data", "fetch", "toyneuro", "--subjects", "2", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert RUN[(2, 1)] in out and RUN[(2, 2)] in out and RUN[(1, 1)] not in out
    assert f"md5:{_md5(BYTES[RUN[(2, 1)]])}" in out


def test_wrong_bytes_for_a_version_are_refused_and_nothing_is_kept(manifest, server):
    server.objects[f"/ds999999/{RUN[(1, 2)]}"].data = b"other bytes under the same version id"
    expected = _md5(BYTES[RUN[(1, 2)]])
    with pytest.raises(ChecksumMismatchError, match=rf"v1.abc_DEF does not match its manifest: expected md5 {expected}"
                       ):
        fetch_dataset(manifest, [RUN[(1, 2)]], offline=False)
    assert _files(cache_dir() / "toyneuro") == []


def test_unknown_version_is_a_404_naming_the_address(tmp_path, server, monkeypatch):
    directory = tmp_path / "other"
    write_manifest(directory, "toyneuro", _entries(server, **{RUN[(1, 1)]: "vGONE"}), modality='"fmri"')
    manifest = read_manifest_file(directory / "toyneuro.toml")
    with pytest.raises(DownloadError, match=r"versionId=vGONE failed: HTTP 404.*nothing was kept"):
        fetch_dataset(manifest, [RUN[(1, 1)]], offline=False)
    assert _files(cache_dir() / "toyneuro") == []


def test_truncated_transfer_keeps_the_partial_copy_and_the_next_fetch_resumes(manifest, server):
    served = server.objects[f"/ds999999/{RUN[(2, 2)]}"]
    served.mode = "truncate"
    with pytest.raises(DownloadError, match=r"bytes received so far are kept in .*\.part.*resumes"):
        fetch_dataset(manifest, [RUN[(2, 2)]], offline=False)
    part = cache_dir() / "toyneuro" / (RUN[(2, 2)] + ".part")
    half = len(served.data) // 2
    assert part.stat().st_size == half and not (cache_dir() / "toyneuro" / RUN[(2, 2)]).exists()
    path = fetch_dataset(manifest, [RUN[(2, 2)]], offline=False)[RUN[(2, 2)]]
    assert path.read_bytes() == served.data and served.requests == [None, f"bytes={half}-"] and not part.exists()


def test_stalled_server_times_out_then_resumes(manifest, server, monkeypatch):
    served = server.objects[f"/ds999999/{RUN[(1, 1)]}"]
    served.mode = "stall"
    monkeypatch.setenv("NEUROALIGN_DOWNLOAD_TIMEOUT", "0.3")
    with pytest.raises(DownloadError, match="was interrupted"):
        fetch_dataset(manifest, [RUN[(1, 1)]], offline=False)
    assert fetch_dataset(manifest, [RUN[(1, 1)]], offline=False)[RUN[(1, 1)]].read_bytes() == served.data


def test_slow_transfer_completes_with_a_progress_bar(manifest, server, capfd):
    server.objects[f"/ds999999/{RUN[(2, 1)]}"].mode = "slow"
    path = fetch_dataset(manifest, [RUN[(2, 1)]], offline=False, progress=True)[RUN[(2, 1)]]
    assert path.read_bytes() == BYTES[RUN[(2, 1)]]
    assert os.path.basename(RUN[(2, 1)]) in capfd.readouterr().err  # tqdm's bar names the file


def test_unpublished_hash_is_trusted_on_first_use_then_verified(manifest, server):
    with pytest.warns(TrustOnFirstUseWarning, match="publishes no checksum"):
        path = fetch_dataset(manifest, ["stimuli.tar.gz"], offline=False)["stimuli.tar.gz"]
    record = trust_record(cache_dir() / "toyneuro", "stimuli.tar.gz")
    assert record.read_text().split()[0] == hashlib.sha256(STIMULI).hexdigest()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once: a later read is silent
        assert fetch_dataset(manifest, ["stimuli.tar.gz"])["stimuli.tar.gz"] == path
    coverage = hash_coverage(manifest)
    assert coverage.published == {"md5": 4, "sha256": 1}
    assert coverage.unpublished == {"stimuli.tar.gz": hashlib.sha256(STIMULI).hexdigest()}
    path.write_bytes(b"changed later")
    with pytest.raises(ChecksumMismatchError, match=r"moved to .*mismatch.*trusted on first use"):
        fetch_dataset(manifest, ["stimuli.tar.gz"])
    server.objects["/stimuli.tar.gz"].data = b"the source changed"
    with pytest.raises(ChecksumMismatchError, match="other bytes than on first use"):
        fetch_dataset(manifest, ["stimuli.tar.gz"], offline=False)


def test_validate_reports_published_and_trusted_files(manifest, capsys):
    assert main(["data", "validate", str(manifest.path)]) == 0
    out = capsys.readouterr().out
    assert "toyneuro: 5/6 published (md5 4, sha256 1), 1 trust on first use" in out
    assert "stimuli.tar.gz: no published hash; not fetched yet" in out


def test_subset_of_an_unknown_subject_lists_the_subjects(manifest):
    with pytest.raises(MissingDataError, match=r"no subjects 7 \(its subjects: 1, 2\)"):
        fetch_dataset(manifest, subjects=[7])


@pytest.mark.parametrize("row, message", [
    ('name = "a/b.nii.gz"\nmd5 = "' + "a" * 32 + '"\norigin = "x"', "size"),
    ('name = "a/b.nii.gz"\nmd5 = "' + "a" * 32 + '"\nsha256 = "' + "b" * 64 + '"\nsize = 1\norigin = "x"',
     "exactly one checksum"),
    ('name = "a/.hidden"\nhash = "unpublished"\norigin = "x"', "does not match"),
    ('name = "a.bin"\nhash = "unknown"\norigin = "x"', "unpublished"),
])
def test_schema_refuses_checksums_without_size_twice_or_unknown(tmp_path, row, message):
    from neuroalign.data import ManifestError

    path = write_manifest(tmp_path, "bad", f"[[files]]\n{row}")
    with pytest.raises(ManifestError, match=message):
        read_manifest_file(path)
