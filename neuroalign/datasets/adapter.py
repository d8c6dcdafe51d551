"""The :class:`DatasetAdapter` protocol, and :class:`ManifestAdapter`, the base that first-party adapters share."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from neuroalign.data.fetch import fetch_dataset
from neuroalign.data.manifest import Manifest
from neuroalign.data.settings import cache_dir
from neuroalign.errors.adapters import NotProvidedError
from neuroalign.datasets.selection import available_values

if TYPE_CHECKING:
    from neuroalign.core.rdms import RDMs
    from neuroalign.core.recording import Recording
    from neuroalign.core.stimuli import StimulusSet
    from neuroalign.data.settings import MirrorSpec, PathLike


@runtime_checkable
class DatasetAdapter(Protocol):
    """What every dataset offers: an id, its manifest, its stimuli, and its recordings or ready RDMs.

    ``recordings`` and ``rdms`` take selectors as keyword arguments (``subject=``, ``session=``, ``roi=``; a list
    selects several); :meth:`selectors` says which exist and their values. A dataset that has only one of the
    two raises :class:`~neuroalign.datasets.errors.NotProvidedError` for the other.
    """

    id: str
    manifest: Manifest

    def stimulus_set(self) -> "StimulusSet":
        """The dataset's stimuli, ids matching those of its recordings and RDMs."""

    def selectors(self) -> dict[str, tuple[Any, ...]]:
        """Selector name -> available values."""

    def recordings(self, **selection: Any) -> list["Recording"]:
        """The selected recordings."""

    def rdms(self, **selection: Any) -> "RDMs":
        """The selected ready-made RDMs."""


class ManifestAdapter:
    """Base of the first-party adapters: holds the manifest and fetches its files on first use.

    Subclasses implement :meth:`stimulus_set` and :meth:`recordings` and/or :meth:`rdms`, and list their
    recordings' descriptors in :meth:`_descriptor_rows` (for :meth:`selectors`). Adapter parameters are
    keyword-only constructor arguments so that a manifest's ``[adapter.params]`` is checked against them.
    """

    def __init__(self, manifest: Manifest, *, mirror: "MirrorSpec" = None, cache: "PathLike | None" = None,
                 offline: bool | None = None) -> None:
        self.manifest = manifest
        self.id = manifest.id
        self._where = {"mirror": mirror, "cache": cache, "offline": offline}
        self._paths: dict[str, Path] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id!r} v{self.manifest.version}>"

    def path(self, name: str) -> Path:
        """Verified local path of the dataset file ``name`` (fetched on first use)."""
        if name not in self._paths:
            self._paths.update(fetch_dataset(self.manifest, [name], **self._where))
        return self._paths[name]

    @property
    def cache_dir(self) -> Path:
        """This dataset's directory in the data cache (for files derived from the dataset's files)."""
        return cache_dir(self._where["cache"]) / self.id

    def _descriptor_rows(self) -> list[dict[str, Any]]:
        return []

    def selectors(self) -> dict[str, tuple[Any, ...]]:
        """Selector name -> the values available (subject, session, roi, ...)."""
        return available_values(self._descriptor_rows())

    def recordings(self, **selection: Any) -> list["Recording"]:
        """The selected recordings; this dataset has none unless a subclass says otherwise."""
        raise NotProvidedError(f"dataset {self.id!r} provides ready RDMs only; use .rdms()")

    def rdms(self, **selection: Any) -> "RDMs":
        """Ready RDMs; this dataset has none unless a subclass says otherwise."""
        raise NotProvidedError(f"dataset {self.id!r} provides recordings, not ready RDMs; compute them from "
                               ".recordings() with neuroalign.rdm.compute_rdms")
