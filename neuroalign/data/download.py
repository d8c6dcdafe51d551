"""Downloads through pooch: streamed to a temporary file, sha256-verified, then renamed into place.

pooch writes to a temporary name in the target directory and moves it over the target only after its hash check,
so a failed, interrupted or corrupted download never leaves a file under the target name.
"""

from __future__ import annotations

import shutil
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable

from neuroalign.data.errors import ChecksumMismatchError, DownloadError
from neuroalign.data.mirror import verify
from neuroalign.registry import Registry
from neuroalign.utils.directories import writable_directory

Downloader = Callable[[str, Any, Any], None]


def _pooch_downloader(url: str) -> Downloader:
    import pooch  # imported lazily: listing datasets must not pay for requests

    return pooch.downloaders.choose_downloader(url, progressbar=False)


def _file_downloader(url: str) -> Downloader:
    source = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))

    def copy(_url: str, output_file: Any, _pooch: Any) -> None:
        with source.open("rb") as src, open(output_file, "wb") as dst:
            shutil.copyfileobj(src, dst)

    return copy


#: URL scheme -> factory of a pooch-compatible downloader ``(url, output_file, pooch)``.
DOWNLOADERS: Registry[Callable[[str], Downloader]] = Registry("URL scheme")
for _scheme in ("http", "https", "ftp", "sftp", "doi"):
    DOWNLOADERS.register(_scheme, _pooch_downloader)
DOWNLOADERS.register("file", _file_downloader)


def download(url: str, target: Path, sha256: str) -> Path:
    """Download ``url`` to ``target`` and verify its sha256; on any failure nothing is left at ``target``.

    ``target`` must not hold a file with another checksum: pooch would replace it. The fetcher sets such a copy
    aside first (see :mod:`neuroalign.data.aside`).

    Parameters
    ----------
    url : str
        An http(s), ftp, sftp, doi or file URL.
    target : Path
        Where the verified file goes (its directory is created).
    sha256 : str
        The manifest's checksum.

    Raises
    ------
    ChecksumMismatchError
        If the downloaded bytes do not match ``sha256`` (the download is deleted).
    DownloadError
        If the transfer fails.
    UnwritableDirectoryError
        If the cache directory cannot be created or written.
    """
    import pooch

    writable_directory(target.parent, "data cache")

    fetch = DOWNLOADERS.get(urllib.parse.urlparse(url).scheme)(url)

    def checked(url_: str, output_file: Any, pooch_: Any) -> None:
        fetch(url_, output_file, pooch_)
        # Checked here (before pooch's own check) so the error is ours, with both hashes and the URL.
        verify(Path(output_file), sha256, note=f"Downloaded from {url}; the download was deleted.")

    try:
        path = pooch.retrieve(url, known_hash=f"sha256:{sha256}", fname=target.name, path=target.parent,
                              downloader=checked, progressbar=False)
    except ChecksumMismatchError as error:
        raise ChecksumMismatchError(url, error.expected, error.actual,
                                    "The download was deleted; the source may have changed or been corrupted."
                                    ) from None
    except Exception as error:  # requests/ftp/OS errors: one type for the caller, with what was tried
        raise DownloadError(f"downloading {url} to {target} failed ({type(error).__name__}: {error}); "
                            "nothing was kept") from error
    return Path(path)
