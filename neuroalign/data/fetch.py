"""Get a dataset's files: mirror first, then the cache, then the network (unless offline); always verified.

Resolution of one file, in order:

1. ``<mirror>/<dataset id>/<name>`` for each mirror directory (read-only; a copy with the wrong hash is an error).
2. ``<cache>/<dataset id>/<name>`` (a copy with the wrong hash is never deleted: it may be the only copy of a
   file placed by hand; it is moved aside to ``<name>.mismatch-<digest prefix>``, then the file is re-fetched).

"The right hash" is the sha256 or md5 the source publishes, or for a file whose source publishes none
(``hash = "unpublished"``) the sha256 recorded on its first use (:mod:`neuroalign.data.trust`).
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
from neuroalign.errors.adapters import ChecksumMismatchError, MissingDataError
from neuroalign.data.manifest import Manifest, ManifestArchive, ManifestFile, load_manifest
from neuroalign.data.mirror import find_in_mirrors
from neuroalign.data.subsets import select_files
from neuroalign.data.trust import check_entry
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

    def __init__(self, manifest: Manifest, mirror: MirrorSpec, cache: PathLike | None, offline: bool | None,
                 progress: bool = False):
        self.manifest, self.progress = manifest, progress
        self.mirrors = mirror_dirs(mirror)
        self.cache = cache_dir(cache) / manifest.id
        self.offline = offline_mode(offline)
        self._archives: dict[str, Path | _Missing] = {}
        self._mismatches: dict[str, ChecksumMismatchError] = {}

    def _check(self, path: Path, entry: ManifestFile | ManifestArchive, source: str, note: str = "") -> Path:
        return check_entry(path, entry, self.cache, source=source, note=note)

    def _local(self, entry: ManifestFile | ManifestArchive) -> tuple[Path | None, list[Path]]:
        found, looked = find_in_mirrors(self.mirrors, self.manifest.id, entry.name)
        if found is not None:
            return self._check(found, entry, f"mirror {found}",
                               "The mirror copy is corrupt or outdated; repair the mirror."), looked
        cached = self.cache / entry.name
        looked.append(cached)
        if cached.is_file():
            inode = cached.lstat().st_ino
            try:
                return self._check(cached, entry, f"cache {cached}"), looked
            except ChecksumMismatchError as error:
                mismatch = error
            expected, actual = mismatch.expected, mismatch.actual
            # Never kept as valid (a later call must not find it), never deleted (it may be the only copy).
            aside = set_aside(cached, expected, actual, inode=inode)
            if aside is None:  # another process put a new copy in place while this one was hashing the old one
                return self._local(entry)
            self._mismatches[entry.name] = ChecksumMismatchError(
                str(cached), expected, actual, f"It was moved to {aside} (nothing was deleted)."
                + ("" if entry.published else " The source publishes no checksum; the expected value is the sha256 "
                   "trusted on first use."),
                algorithm=mismatch.algorithm)
        return None, looked

    def _download(self, entry: ManifestFile | ManifestArchive) -> Path:
        path = download(entry.url, self.cache / entry.name, entry.checksum, size=entry.size, progress=self.progress)
        if entry.published:
            return path
        try:
            return self._check(path, entry, entry.url, "The download was set aside.")
        except ChecksumMismatchError as error:  # the source changed since trust was established: keep both
            aside = set_aside(path, error.expected, error.actual)
            raise ChecksumMismatchError(entry.url, error.expected, error.actual,
                                        f"The source publishes no checksum and now serves other bytes than on "
                                        f"first use; the download was moved to {aside}.") from None

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
        return self._download(entry)

    def _missing(self, name: str, looked: Sequence[Path], hint: str) -> _Missing:
        earlier = set_aside_copies(self.cache / name)
        if earlier and name not in self._mismatches:
            hint += f"; copies with the wrong checksum were set aside earlier: {', '.join(map(str, earlier))}"
        return _Missing(name, tuple(looked), hint, self._mismatches.get(name))

    def _extract_member(self, archive: Path, fmt: str, entry: ManifestFile, target: Path) -> Path:
        writable_directory(target.parent, "data cache")
        with tempfile.TemporaryDirectory(prefix=f".{Path(entry.name).name}.", dir=target.parent) as staging:
            out = safe_extract(archive, Path(staging) / "x", fmt, [entry.member]) / entry.member
            self._check(out, entry, f"{archive} member {entry.member}",
                        f"It was extracted from {archive} (member {entry.member}) and deleted.")
            os.replace(out, target)
        return target

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
            return self._extract_member(archive, self.manifest.archive(entry.archive).format, entry, target)
        if entry.url is None:
            return self._missing(name, looked, f"no download address; obtain it by hand: {entry.origin}")
        if self.offline:
            return self._missing(name, looked, f"from {entry.url}")
        return self._download(entry)


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
                  cache: PathLike | None = None, offline: bool | None = None,
                  subjects: Sequence[str | int] | None = None, sessions: Sequence[str | int] | None = None,
                  runs: Sequence[str | int] | None = None, progress: bool = False) -> dict[str, Path]:
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
    subjects, sessions, runs : sequence, optional
        Keep only the files of these BIDS subjects / sessions / runs (``sub-<label>``, ``ses-<label>``,
        ``run-<index>`` in the file's path; ``1`` matches ``run-01``); files without that entity (the dataset's
        description, a subject's anatomy when runs are chosen) are kept. See :func:`neuroalign.data.subsets`.
    progress : bool
        Show a progress bar for each download.

    Returns
    -------
    dict
        File name -> path (in a mirror or the cache), each verified against the hash its source publishes (sha256
        or md5), or against the sha256 recorded on its first download where the source publishes none.

    Raises
    ------
    MissingDataError
        If files are neither in a mirror nor in the cache and cannot be downloaded; the message lists each
        missing file and every path looked at.
    ChecksumMismatchError
        If a mirror copy or a download does not match the manifest (expected and actual digests shown).
    DownloadError
        If a download fails.
    """
    manifest = _manifest(dataset)
    resolver = _Resolver(manifest, mirror, cache, offline, progress)
    names = [f.name for f in manifest.files] if files is None else [manifest.file(n).name for n in files]
    if subjects is not None or sessions is not None or runs is not None:
        names = select_files(manifest.id, names, subjects=subjects, sessions=sessions, runs=runs)
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
