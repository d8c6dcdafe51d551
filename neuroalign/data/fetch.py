"""Get a dataset's files: mirror first, then the cache, then the network (unless offline); always verified.

Resolution of one file, in order:

1. ``<mirror>/<dataset id>/<name>`` for each mirror directory (read-only; a copy with the wrong sha256 is an error).
2. ``<cache>/<dataset id>/<name>`` (a copy with the wrong sha256 is never deleted: it may be the only copy of a
   file placed by hand; it is moved aside to ``<name>.mismatch-<sha256 prefix>``, then the file is re-fetched).
3. Offline mode stops here with :class:`MissingDataError` listing every place looked at (or
   :class:`ChecksumMismatchError`, naming both hashes and where the copy went, when a copy was set aside).
4. The file's ``url`` is downloaded through pooch; or its ``archive`` is resolved like a file (mirror, cache,
   download), checked, and the one member extracted; a file with only an ``origin`` must be placed by hand.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from neuroalign.data.archives import safe_extract
from neuroalign.data.aside import set_aside, set_aside_copies
from neuroalign.data.download import download
from neuroalign.data.errors import ChecksumMismatchError, MissingDataError
from neuroalign.data.manifest import Manifest, ManifestArchive, ManifestFile, load_manifest
from neuroalign.data.mirror import find_in_mirrors, sha256_of, verify
from neuroalign.data.settings import OFFLINE_ENV, MirrorSpec, PathLike, cache_dir, mirror_dirs, offline_mode
from neuroalign.utils.directories import writable_directory


@dataclass(frozen=True)
class _Missing:
    """A file that could not be provided, and where it was looked for."""

    name: str
    looked: tuple[Path, ...]
    hint: str
    mismatch: ChecksumMismatchError | None = None  # a cached copy had the wrong checksum and was set aside


class _Resolver:
    """Resolves files of one manifest under one mirror/cache/offline configuration."""

    def __init__(self, manifest: Manifest, mirror: MirrorSpec, cache: PathLike | None, offline: bool | None):
        self.manifest = manifest
        self.mirrors = mirror_dirs(mirror)
        self.cache = cache_dir(cache) / manifest.id
        self.offline = offline_mode(offline)
        self._archives: dict[str, Path | _Missing] = {}
        self._mismatches: dict[str, ChecksumMismatchError] = {}

    def _local(self, entry: ManifestFile | ManifestArchive) -> tuple[Path | None, list[Path]]:
        found, looked = find_in_mirrors(self.mirrors, self.manifest.id, entry.name)
        if found is not None:
            return verify(found, entry.sha256, note="The mirror copy is corrupt or outdated; repair the mirror."), looked
        cached = self.cache / entry.name
        looked.append(cached)
        if cached.is_file():
            inode = cached.lstat().st_ino
            actual = sha256_of(cached)
            if actual == entry.sha256:
                return cached, looked
            # Never kept as valid (a later call must not find it), never deleted (it may be the only copy).
            aside = set_aside(cached, entry.sha256, actual, inode=inode)
            if aside is None:  # another process put a new copy in place while this one was hashing the old one
                return (cached, looked) if sha256_of(cached) == entry.sha256 else self._local(entry)
            self._mismatches[entry.name] = ChecksumMismatchError(
                str(cached), entry.sha256, actual, f"It was moved to {aside} (nothing was deleted).")
        return None, looked

    def archive(self, name: str) -> Path | _Missing:
        if name not in self._archives:  # several files may come from one archive: check it once
            self._archives[name] = self._archive(name)
        return self._archives[name]

    def _archive(self, name: str) -> Path | _Missing:
        entry = self.manifest.archive(name)
        found, looked = self._local(entry)
        if found is not None:
            return found
        if self.offline:
            return self._missing(entry.name, looked, f"archive from {entry.url}")
        return download(entry.url, self.cache / entry.name, entry.sha256)

    def _missing(self, name: str, looked: Sequence[Path], hint: str) -> _Missing:
        earlier = set_aside_copies(self.cache / name)
        if earlier and name not in self._mismatches:
            hint += f"; copies with the wrong checksum were set aside earlier: {', '.join(map(str, earlier))}"
        return _Missing(name, tuple(looked), hint, self._mismatches.get(name))

    def file(self, name: str) -> Path | _Missing:
        entry = self.manifest.file(name)
        found, looked = self._local(entry)
        if found is not None:
            return found
        target = self.cache / entry.name
        if entry.archive is not None:
            archive = self.archive(entry.archive)
            if isinstance(archive, _Missing):
                return self._missing(name, (*looked, *archive.looked),
                                     f"member {entry.member!r} of {entry.archive} ({archive.hint})")
            return _extract_member(archive, self.manifest.archive(entry.archive).format, entry, target)
        if entry.url is None:
            return self._missing(name, looked, f"no download address; obtain it by hand: {entry.origin}")
        if self.offline:
            return self._missing(name, looked, f"from {entry.url}")
        return download(entry.url, target, entry.sha256)


def _extract_member(archive: Path, fmt: str, entry: ManifestFile, target: Path) -> Path:
    writable_directory(target.parent, "data cache")
    with tempfile.TemporaryDirectory(prefix=f".{entry.name}.", dir=target.parent) as staging:
        out = safe_extract(archive, Path(staging) / "x", fmt, [entry.member]) / entry.member
        verify(out, entry.sha256, note=f"It was extracted from {archive} (member {entry.member}) and deleted.")
        os.replace(out, target)
    return target


def _raise_missing(dataset_id: str, missing: Sequence[_Missing], offline: bool) -> None:
    lines = [f"  {m.name} ({m.hint}); looked for: {', '.join(map(str, m.looked)) or 'no mirror configured'}"
             for m in missing]
    why = f"offline mode (${OFFLINE_ENV} or offline=True) forbids downloads" if offline else "they cannot be downloaded"
    where = ("Put the files in a mirror directory (<mirror>/<dataset id>/<file>, $NEUROALIGN_DATA_MIRROR) or in the "
             "cache, or fetch them online.")
    mismatched = next((m.mismatch for m in missing if m.mismatch is not None), None)
    if mismatched is not None:  # the user's copy is there but wrong: say that, not just "missing"
        raise ChecksumMismatchError(mismatched.path, mismatched.expected, mismatched.actual,
                                    f"{mismatched.note} {dataset_id}: {len(missing)} file(s) cannot be provided "
                                    f"because {why}:\n" + "\n".join(lines) + f"\n{where}")
    raise MissingDataError(f"{dataset_id}: {len(missing)} file(s) missing and {why}:\n" + "\n".join(lines)
                           + f"\n{where}")


def _manifest(dataset: str | Manifest) -> Manifest:
    return dataset if isinstance(dataset, Manifest) else load_manifest(dataset)


def fetch_dataset(dataset: str | Manifest, files: Sequence[str] | None = None, *, mirror: MirrorSpec = None,
                  cache: PathLike | None = None, offline: bool | None = None) -> dict[str, Path]:
    """Verified local paths of a dataset's files, fetching what is missing.

    Parameters
    ----------
    dataset : str or Manifest
        The dataset id (its manifest is loaded) or a manifest.
    files : sequence of str, optional
        File names to provide; all of the manifest's files by default.
    mirror : path-like or sequence of path-like, optional
        Mirror directories laid out as ``<mirror>/<dataset id>/<file>``; default ``$NEUROALIGN_DATA_MIRROR``.
    cache : path-like, optional
        The cache directory; default ``$NEUROALIGN_DATA_CACHE`` or the user cache directory.
    offline : bool, optional
        Forbid downloads; default ``$NEUROALIGN_OFFLINE``.

    Returns
    -------
    dict
        File name -> path (in a mirror or the cache), each verified against the manifest's sha256.

    Raises
    ------
    MissingDataError
        If files are neither in a mirror nor in the cache and cannot be downloaded; the message lists each
        missing file and every path looked at.
    ChecksumMismatchError
        If a mirror copy or a download does not match the manifest (expected and actual sha256 shown).
    DownloadError
        If a download fails.
    """
    manifest = _manifest(dataset)
    resolver = _Resolver(manifest, mirror, cache, offline)
    names = [f.name for f in manifest.files] if files is None else [manifest.file(n).name for n in files]
    results = {name: resolver.file(name) for name in names}
    missing = [r for r in results.values() if isinstance(r, _Missing)]
    if missing:
        _raise_missing(manifest.id, missing, resolver.offline)
    return results  # type: ignore[return-value]


def fetch_file(dataset: str | Manifest, name: str, *, mirror: MirrorSpec = None, cache: PathLike | None = None,
               offline: bool | None = None) -> Path:
    """Verified local path of one dataset file (see :func:`fetch_dataset` for the parameters and errors)."""
    return fetch_dataset(dataset, [name], mirror=mirror, cache=cache, offline=offline)[name]


def locate_file(dataset_id: str, name: str, *, mirror: MirrorSpec = None) -> Path:
    """Verified local path of one dataset file; :func:`fetch_file` under its first name."""
    return fetch_file(dataset_id, name, mirror=mirror)


@dataclass(frozen=True)
class FileStatus:
    """Where a dataset file is available right now (nothing is fetched to find out)."""

    name: str
    size: int | None
    location: Path | None
    kind: str  # "mirror", "cache" or "missing"


def file_status(dataset: str | Manifest, *, mirror: MirrorSpec = None, cache: PathLike | None = None
                ) -> list[FileStatus]:
    """Where each file of a dataset is (mirror, cache or missing), by presence only: checksums are not computed."""
    manifest = _manifest(dataset)
    mirrors, cached = mirror_dirs(mirror), cache_dir(cache) / manifest.id
    out = []
    for entry in manifest.files:
        found, _ = find_in_mirrors(mirrors, manifest.id, entry.name)
        if found is None and (cached / entry.name).is_file():
            out.append(FileStatus(entry.name, entry.size, cached / entry.name, "cache"))
        else:
            out.append(FileStatus(entry.name, entry.size, found, "mirror" if found else "missing"))
    return out
