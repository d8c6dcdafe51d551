"""A benchmark whose data come from a dataset manifest: its citation, and the mirror its files are read from."""

from __future__ import annotations

import functools
from typing import Any

from neuroalign.benchmarks.base import Benchmark
from neuroalign.data.manifest import load_manifest
from neuroalign.datasets import load_dataset


class ManifestBacked(Benchmark):
    """Mixin of benchmarks that read one manifest's dataset; ``method_citations`` are appended to its citation.

    Parameters
    ----------
    mirror : path-like or list, optional
        Where the dataset's files are looked for (``$NEUROALIGN_DATA_MIRROR`` by default).
    """

    method_citations: tuple[str, ...] = ()

    def __init__(self, *, mirror: Any = None) -> None:
        self.mirror = mirror

    @functools.cached_property
    def citation(self) -> str:  # type: ignore[override]
        """The dataset's BibTeX (from its manifest) followed by the methods'."""
        return "\n".join([load_manifest(self.dataset).citation.strip(), *self.method_citations])

    def adapter(self) -> Any:
        """The dataset's adapter, reading files from :attr:`mirror`."""
        return load_dataset(self.dataset, mirror=self.mirror)
