"""Checking a dataset file against its manifest: a published hash, or trust established on first use.

A source that publishes no checksum (``hash = "unpublished"`` in the manifest, e.g. the PyMVPA stimuli archive)
cannot be verified the first time. The fetcher then records the sha256 it saw in the user's cache,
``<cache>/<dataset id>/.trust/<file name>.sha256``, warns once (:class:`TrustOnFirstUseWarning`) that trust was
established on first use, and verifies every later read against that record. A manifest name never starts with a
dot, so the ``.trust`` folder cannot collide with a dataset file.
"""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
import warnings
from pathlib import Path

from neuroalign.errors.adapters import ChecksumMismatchError, DataFileError
from neuroalign.data.mirror import sha256_of, verify

logger = logging.getLogger(__name__)

#: The folder, inside a dataset's cache directory, holding the sha256 recorded on first use of unpublished files.
TRUST_DIR = ".trust"


class TrustOnFirstUseWarning(UserWarning):
    """A file whose source publishes no checksum was accepted as it was first seen; later reads are verified."""


def trust_record(dataset_cache: Path, name: str) -> Path:
    """Where the sha256 of the unpublished file ``name`` seen on first use is recorded."""
    return dataset_cache / TRUST_DIR / f"{name}.sha256"


def trusted_sha256(dataset_cache: Path, name: str) -> str | None:
    """The sha256 recorded on first use of ``name``, or None if it was never fetched.

    Raises
    ------
    DataFileError
        If the record exists but is unreadable or malformed (the message names it and says how to reset it).
    """
    record = trust_record(dataset_cache, name)
    if not record.is_file():
        return None
    try:
        digest = record.read_text(encoding="ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError) as error:
        raise DataFileError(f"the trust record {record} cannot be read ({error}); delete it to trust the next "
                            "download anew") from None
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise DataFileError(f"the trust record {record} does not hold a sha256 ({digest!r}); delete it to trust "
                            "the next download anew")
    return digest


def record_trust(dataset_cache: Path, name: str, path: Path, source: str) -> str:
    """Record the sha256 of ``path`` as the trusted content of ``name`` (atomically) and warn once; return it."""
    digest = sha256_of(path)
    record = trust_record(dataset_cache, name)
    record.parent.mkdir(parents=True, exist_ok=True)
    when = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    fd, tmp = tempfile.mkstemp(prefix=".record.", dir=record.parent)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(f"{digest}  first seen {when} from {source}\n")
    os.replace(tmp, record)
    message = (f"{name}: its source publishes no checksum, so it was trusted on first use (sha256 {digest}, "
               f"recorded in {record}); every later read is verified against it")
    logger.warning(message)
    warnings.warn(message, TrustOnFirstUseWarning, stacklevel=3)
    return digest


def check_entry(path: Path, entry, dataset_cache: Path, *, source: str, note: str = "") -> Path:
    """Return ``path`` if it matches ``entry``'s published hash, or its hash trusted on first use.

    Parameters
    ----------
    path : Path
        The local copy.
    entry : ManifestFile or ManifestArchive
        The manifest's entry.
    dataset_cache : Path
        The dataset's cache directory (where trust records live).
    source : str
        Where the copy came from (recorded with a first-use sha256).
    note : str
        What happened to a mismatching file and what to do (appended to the error).

    Raises
    ------
    ChecksumMismatchError
        If the copy differs from the published hash, or from the sha256 recorded on first use.
    """
    checksum = entry.checksum
    if checksum is not None:
        return verify(path, checksum[1], note=note, algorithm=checksum[0])
    trusted = trusted_sha256(dataset_cache, entry.name)
    if trusted is None:
        record_trust(dataset_cache, entry.name, path, source)
        return path
    actual = sha256_of(path)
    if actual != trusted:
        raise ChecksumMismatchError(str(path), trusted, actual,
                                    f"{note} The source publishes no checksum; the expected value is the sha256 "
                                    f"trusted on first use ({trust_record(dataset_cache, entry.name)}).".strip())
    return path
