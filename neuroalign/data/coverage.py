"""Which files of a dataset are verified by a hash their source publishes, and which by trust on first use."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Mapping

from neuroalign.data.manifest import Manifest
from neuroalign.data.settings import PathLike, cache_dir
from neuroalign.data.trust import trusted_sha256


@dataclass(frozen=True)
class HashCoverage:
    """How a dataset's files (and archives) are verified.

    Attributes
    ----------
    dataset : str
        The dataset id.
    published : Mapping[str, int]
        Algorithm (``"sha256"``, ``"md5"``) -> number of entries verified by a hash their source publishes.
    unpublished : Mapping[str, str | None]
        Entry name -> the sha256 trusted on first use in this cache, or None if not fetched yet.
    library : str or None
        The library whose fetcher downloads and verifies the files (``"mne"``), if any.
    """

    dataset: str
    published: Mapping[str, int]
    unpublished: Mapping[str, str | None]
    library: str | None = None

    @property
    def total(self) -> int:
        """Number of entries (files and archives)."""
        return sum(self.published.values()) + len(self.unpublished)

    def summary(self) -> str:
        """One line: ``"12/13 published (md5 10, sha256 2), 1 trust on first use"``."""
        n = sum(self.published.values())
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.published.items()))
        text = f"{n}/{self.total} published" + (f" ({kinds})" if kinds else "")
        if self.unpublished:
            text += f", {len(self.unpublished)} trust on first use"
        if self.library:
            text += f", fetched and verified by {self.library}"
        return text

    def lines(self) -> list[str]:
        """The summary, then one line per file verified by trust on first use (trusted yet or not)."""
        out = [f"{self.dataset}: {self.summary()}"]
        for name, digest in self.unpublished.items():
            state = f"trusted on first use, sha256 {digest}" if digest else "not fetched yet: trust on first use"
            out.append(f"  {name}: no published hash; {state}")
        return out


def hash_coverage(manifest: Manifest, *, cache: PathLike | None = None) -> HashCoverage:
    """The :class:`HashCoverage` of ``manifest``'s files and archives, with the trust records of ``cache``."""
    entries = [*manifest.files, *manifest.archives]
    published = Counter(e.checksum[0] for e in entries if e.checksum is not None)
    where = cache_dir(cache) / manifest.id
    unpublished = {e.name: trusted_sha256(where, e.name) for e in entries if e.checksum is None}
    library = manifest.fetcher["library"] if manifest.fetcher else None
    return HashCoverage(manifest.id, dict(published), unpublished, library)
