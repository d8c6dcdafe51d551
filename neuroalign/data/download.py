"""Downloads through pooch: streamed to a temporary file, checked against the published hash, renamed into place.

pooch writes to a temporary name in the target directory and moves it over the target only after its hash check,
so a failed, interrupted or corrupted download never leaves a file under the target name.
"""

from __future__ import annotations

import logging
import shutil
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable

from neuroalign.errors.adapters import ChecksumMismatchError, DownloadError
from neuroalign.data.mirror import verify
from neuroalign.data.resumable import resumable_downloader
from neuroalign.registry import Registry
from neuroalign.utils.directories import writable_directory

Downloader = Callable[[str, Any, Any], None]
DownloaderFactory = Callable[..., Downloader]


def _pooch_downloader(url: str, target: Path, *, size: int | None, progress: bool) -> Downloader:
    import pooch  # imported lazily: listing datasets must not pay for requests

    return pooch.downloaders.choose_downloader(url, progressbar=progress)


def _http_downloader(url: str, target: Path, *, size: int | None, progress: bool) -> Downloader:
    return resumable_downloader(target, size=size, progress=progress)


def _file_downloader(url: str, target: Path, *, size: int | None, progress: bool) -> Downloader:
    source = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))

    def copy(_url: str, output_file: Any, _pooch: Any) -> None:
        with source.open("rb") as src, open(output_file, "wb") as dst:
            shutil.copyfileobj(src, dst)

    return copy


#: URL scheme -> factory ``(url, target, size=, progress=)`` of a pooch-compatible downloader
#: ``(url, output_file, pooch)``.
DOWNLOADERS: Registry[DownloaderFactory] = Registry("URL scheme")
for _scheme in ("ftp", "sftp", "doi"):
    DOWNLOADERS.register(_scheme, _pooch_downloader)
for _scheme in ("http", "https"):
    DOWNLOADERS.register(_scheme, _http_downloader)
DOWNLOADERS.register("file", _file_downloader)


def download(url: str, target: Path, checksum: tuple[str, str] | None, *, size: int | None = None,
             progress: bool = False) -> Path:
    """Download ``url`` to ``target`` and verify its published checksum; on failure nothing is left at ``target``.

    ``target`` must not hold a file with another checksum: pooch would replace it. The fetcher sets such a copy
    aside first (see :mod:`neuroalign.data.aside`). HTTP(S) transfers resume from ``<target>.part`` after an
    interruption (:mod:`neuroalign.data.resumable`).

    Parameters
    ----------
    url : str
        An http(s), ftp, sftp, doi or file URL (a versioned address such as OpenNeuro's ``?versionId=`` included).
    target : Path
        Where the verified file goes (its directory is created).
    checksum : (str, str) or None
        ``(algorithm, hex digest)`` the source publishes; None for a file without one (the caller then checks it
        against the sha256 trusted on first use).
    size : int, optional
        The size the manifest declares.
    progress : bool
        Show a progress bar on stderr.

    Raises
    ------
    ChecksumMismatchError
        If the downloaded bytes do not match ``checksum`` (the download is deleted).
    DownloadError
        If the transfer fails (the message says whether a partial copy was kept for resuming).
    UnwritableDirectoryError
        If the cache directory cannot be created or written.
    """
    import pooch

    writable_directory(target.parent, "data cache")
    fetch = DOWNLOADERS.get(urllib.parse.urlparse(url).scheme)(url, target, size=size, progress=progress)

    def checked(url_: str, output_file: Any, pooch_: Any) -> None:
        fetch(url_, output_file, pooch_)
        if checksum is not None:
            # Checked here (before pooch's own check) so the error is ours, with both hashes and the URL.
            verify(Path(output_file), checksum[1], algorithm=checksum[0],
                   note=f"Downloaded from {url}; the download was deleted.")

    known = None if checksum is None else f"{checksum[0]}:{checksum[1]}"
    logger = pooch.get_logger()
    level = logger.level
    try:
        # Without a known hash pooch logs advice to pin the sha256; the caller's trust-on-first-use record does.
        logger.setLevel(max(level, logging.WARNING))
        path = pooch.retrieve(url, known_hash=known, fname=target.name, path=target.parent,
                              downloader=checked, progressbar=False)
    except ChecksumMismatchError as error:
        raise ChecksumMismatchError(url, error.expected, error.actual,
                                    "The download was deleted; the source may have changed or been corrupted.",
                                    algorithm=error.algorithm) from None
    except DownloadError:
        raise
    except Exception as error:  # requests/ftp/OS errors: one type for the caller, with what was tried
        raise DownloadError(f"downloading {url} to {target} failed ({type(error).__name__}: {error}); "
                            "nothing was kept") from error
    finally:
        logger.setLevel(level)
    return Path(path)
