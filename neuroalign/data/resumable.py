"""Resumable HTTP(S) downloads with progress, as a pooch downloader.

Bytes stream into ``<target>.part`` next to the target. An interrupted transfer (connection closed early, a
stalled server, a truncated body) keeps that partial file and the next attempt asks the server for the rest with a
``Range`` header; a server that ignores the range sends the whole file again and the partial copy is replaced.
Only a complete transfer is handed to pooch, which checks its hash before moving it under the target name, so
the target name never holds unverified bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from neuroalign.errors.adapters import DownloadError

#: Seconds without a byte from the server before a download is abandoned (its partial file is kept); overridable.
TIMEOUT_ENV = "NEUROALIGN_DOWNLOAD_TIMEOUT"
_CHUNK = 1 << 16


def partial_path(target: Path) -> Path:
    """Where the bytes of an unfinished download of ``target`` are kept."""
    return target.with_name(target.name + ".part")


def read_timeout() -> float:
    """The stall timeout in seconds: ``$NEUROALIGN_DOWNLOAD_TIMEOUT`` or 60."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        return float(raw) if raw else 60.0
    except ValueError:
        raise DownloadError(f"${TIMEOUT_ENV} must be a number of seconds; got {raw!r}") from None


def _progress_bar(enabled: bool, total: int | None, name: str, initial: int) -> Any:
    from tqdm.auto import tqdm  # a dependency of pooch's and transformers' progress bars already

    return tqdm(total=total, initial=initial, unit="B", unit_scale=True, desc=name, disable=not enabled,
                leave=False)


def resumable_downloader(target: Path, *, size: int | None = None, progress: bool = False
                         ) -> Callable[[str, Any, Any], None]:
    """A pooch downloader ``(url, output_file, pooch)`` that resumes into ``<target>.part``.

    Parameters
    ----------
    target : Path
        The final file (its ``.part`` sibling holds the bytes received so far).
    size : int, optional
        The size the manifest declares; a partial file at least that long is discarded rather than resumed.
    progress : bool
        Show a progress bar on stderr.
    """
    part = partial_path(target)

    def fetch(url: str, output_file: Any, _pooch: Any) -> None:
        import requests  # pooch's own HTTP client

        have = part.stat().st_size if part.is_file() else 0
        if size is not None and have >= size:
            part.unlink()
            have = 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        timeout = read_timeout()
        received = 0
        try:
            with requests.get(url, headers=headers, stream=True, timeout=(timeout, timeout)) as response:
                if response.status_code == 416:  # the range starts past the end: the partial copy is stale
                    part.unlink()
                    raise DownloadError(f"{url}: the server refused to resume at byte {have}; the partial copy "
                                        "was deleted, run the fetch again")
                response.raise_for_status()
                # Keep what a short body did deliver (urllib3 would drop the last read); the length is checked below.
                response.raw.enforce_content_length = False
                resumed = response.status_code == 206
                expected = response.headers.get("Content-Length")
                total = (int(expected) + (have if resumed else 0)) if expected else size
                with part.open("ab" if resumed else "wb") as out, \
                        _progress_bar(progress, total, target.name, have if resumed else 0) as bar:
                    for chunk in response.iter_content(_CHUNK):
                        out.write(chunk)
                        received += len(chunk)
                        bar.update(len(chunk))
                if expected is not None and received < int(expected):
                    raise DownloadError(f"{url}: the server sent {received} of {expected} bytes")
        except DownloadError as error:
            raise DownloadError(f"{error}; {_kept(part)}") from None
        except requests.HTTPError as error:
            raise DownloadError(f"downloading {url} failed: HTTP {error.response.status_code} "
                                f"{error.response.reason}; {_kept(part)}") from None
        except (requests.RequestException, OSError) as error:
            raise DownloadError(f"downloading {url} was interrupted ({type(error).__name__}: {error}); "
                                f"{_kept(part)}") from None
        os.replace(part, output_file)

    return fetch


def _kept(part: Path) -> str:
    if part.is_file() and part.stat().st_size:
        return (f"the {part.stat().st_size} bytes received so far are kept in {part}, and the next fetch resumes "
                "from there")
    part.unlink(missing_ok=True)
    return "nothing was kept"
