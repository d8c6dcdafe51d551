#!/usr/bin/env python
"""Put a ``save_pretrained`` folder into a Hugging Face hub cache, laid out exactly as the hub client lays it out.

    python scripts/fake_hub_cache.py FOLDER ORG/NAME HUB_DIR [--commit HEX40] [--ref main ...]

This is how ``hf:ORG/NAME`` resolution is tested offline: nothing is downloaded, the cache is written here. Layout
(``huggingface_hub`` >= 0.14, unchanged in 2.x), under ``HUB_DIR`` (``$HF_HOME/hub``, ``HF_HUB_CACHE``)::

    models--ORG--NAME/
      blobs/<etag>                                the file bytes; etag = sha256 for LFS files (weights),
                                                  the git blob sha1 for regular files (json, txt)
      snapshots/<commit>/<path> -> ../../blobs/<etag>    relative symlinks, one folder per commit
      refs/main                                   the commit main points to (40 hex, no newline)

``huggingface_hub.scan_cache_dir`` reads it without warnings, and with ``HF_HUB_OFFLINE=1`` ``from_pretrained``,
``snapshot_download(local_files_only=True)`` and ``resolve_revision`` all find it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
from pathlib import Path

#: Extensions the hub stores through git LFS (the default ``.gitattributes`` of a new model repo): their etag is
#: their sha256. Any file above 10 MB is LFS as well.
LFS_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".h5", ".msgpack", ".onnx", ".model", ".gguf",
                ".npz", ".npy", ".pkl", ".tar", ".zip")
_HEX40 = re.compile(r"^[0-9a-f]{40}$")


def git_blob_sha1(data: bytes) -> str:
    """The id git gives a file's content (what the hub sends as the ETag of a non-LFS file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def file_etag(path: Path) -> str:
    """The blob name of ``path`` in the cache: sha256 for LFS files, the git blob sha1 otherwise."""
    data = path.read_bytes()
    if path.suffix in LFS_SUFFIXES or len(data) > 10 * 1024 * 1024:
        return hashlib.sha256(data).hexdigest()
    return git_blob_sha1(data)


def derived_commit(etags: dict[str, str]) -> str:
    """A deterministic 40-hex "commit" for a set of files (the hub's real commit ids are git commit sha1s)."""
    h = hashlib.sha1()
    for rel in sorted(etags):
        h.update(f"{rel}\0{etags[rel]}\n".encode())
    return h.hexdigest()


def repo_cache_dir(hub_dir: str | os.PathLike[str], repo_id: str) -> Path:
    """``HUB_DIR/models--ORG--NAME``."""
    return Path(hub_dir) / "--".join(["models", *repo_id.split("/")])


def add_to_hub_cache(folder: str | os.PathLike[str], repo_id: str, hub_dir: str | os.PathLike[str], *,
                     commit: str | None = None, refs: tuple[str, ...] = ("main",)) -> str:
    """Store ``folder``'s files as snapshot ``commit`` of ``repo_id`` in ``hub_dir`` and point ``refs`` at it.

    Parameters
    ----------
    folder : path-like
        A ``save_pretrained`` folder.
    repo_id : str
        ``"ORG/NAME"``.
    hub_dir : path-like
        The hub cache (``$HF_HOME/hub``).
    commit : str, optional
        40 lowercase hex digits; derived from the files' hashes when omitted.
    refs : tuple of str
        Branch or tag names to point at the commit (calling again with other files moves them, as a push followed
        by a fresh download would).

    Returns
    -------
    str
        The commit.
    """
    folder = Path(folder)
    repo = repo_cache_dir(hub_dir, repo_id)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    etags = {p.relative_to(folder).as_posix(): file_etag(p) for p in files}
    commit = commit or derived_commit(etags)
    if not _HEX40.match(commit):
        raise ValueError(f"a commit is 40 lowercase hex digits, not {commit!r}")
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    snapshot = repo / "snapshots" / commit
    for path in files:
        rel = path.relative_to(folder).as_posix()
        blob = repo / "blobs" / etags[rel]
        if not blob.exists():
            tmp = blob.with_name(blob.name + ".incomplete")  # the client's own temporary name
            shutil.copyfile(path, tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, blob)
        link = snapshot / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(os.path.relpath(blob, link.parent), link)  # relative, as huggingface_hub writes them
    for ref in refs:
        ref_file = repo / "refs" / ref
        ref_file.parent.mkdir(parents=True, exist_ok=True)
        ref_file.write_text(commit)  # no trailing newline, as the client writes it
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("repo_id", metavar="ORG/NAME")
    parser.add_argument("hub_dir", metavar="HUB_DIR")
    parser.add_argument("--commit", default=None)
    parser.add_argument("--ref", action="append", dest="refs", default=None)
    args = parser.parse_args(argv)
    print(add_to_hub_cache(args.folder, args.repo_id, args.hub_dir, commit=args.commit,
                           refs=tuple(args.refs or ("main",))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
