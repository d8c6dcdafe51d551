"""A benchmark whose data come from a dataset manifest: its citation, and the mirror its files are read from."""

from __future__ import annotations

import functools
import warnings
from typing import Any

from neuroalign.benchmarks.base import Benchmark
from neuroalign.data.manifest import manifest_citation


class ManifestBacked(Benchmark):
    """Mixin of benchmarks that read one manifest's dataset; ``method_citations`` are appended to its citation.

    Parameters
    ----------
    mirror : path-like or list, optional
        Where the dataset's files are looked for (``$NEUROALIGN_DATA_MIRROR`` by default).
    """

    method_citations: tuple[str, ...] = ()

    def __init__(self, *, mirror: Any = None) -> None:
        self._mirror = mirror

    @property
    def mirror(self) -> Any:
        """Where the dataset's files are looked for (None: ``$NEUROALIGN_DATA_MIRROR``)."""
        return self._mirror

    @mirror.setter
    def mirror(self, value: Any) -> None:
        warnings.warn(f"{type(self).__name__}: setting .mirror on a benchmark is deprecated and will be removed; use "
                      "load_benchmark(id, mirror=...) or benchmark.with_mirror(...) instead", FutureWarning,
                      stacklevel=2)
        self._mirror = value

    def with_mirror(self, mirror: Any) -> "ManifestBacked":
        """A copy of this benchmark that reads its dataset's files from ``mirror`` (nothing loaded is carried over).

        Parameters
        ----------
        mirror : path-like or list, optional
            Mirror directories; None means ``$NEUROALIGN_DATA_MIRROR``.
        """
        cached: set[str] = set()
        for klass in type(self).__mro__:
            cached |= {name for name, value in vars(klass).items() if isinstance(value, functools.cached_property)}
        copy = object.__new__(type(self))
        copy.__dict__.update({k: v for k, v in self.__dict__.items() if k not in cached})
        copy._mirror = mirror
        return copy

    @functools.cached_property
    def citation(self) -> str:  # type: ignore[override]
        """The dataset's BibTeX (from its manifest) followed by the methods'."""
        return "\n".join([manifest_citation(self.dataset), *self.method_citations])

    def adapter(self) -> Any:
        """The dataset's adapter, reading files from :attr:`mirror`."""
        # Imported here: the adapters bring the fetching code (urllib, http, ssl), which listing benchmarks and
        # `neuroalign info` never need.
        from neuroalign.datasets import load_dataset

        return load_dataset(self.dataset, mirror=self.mirror)
