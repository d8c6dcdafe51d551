"""What the BIDS adapters share: a lab's folder searched first (``MIRROR``), and the conditions as stimuli."""

from __future__ import annotations

import os
from typing import ClassVar, Sequence

from neuroalign.core.stimuli import StimulusSet
from neuroalign.data.settings import MirrorSpec, PathLike, mirror_dirs
from neuroalign.datasets.adapter import ManifestAdapter
from neuroalign.errors import DataFormatError


class BidsManifestAdapter(ManifestAdapter):
    """Base of the BIDS adapters (fMRI and M/EEG): the manifest's file names are the dataset's BIDS paths.

    Parameters
    ----------
    manifest : Manifest
        The dataset's manifest.
    conditions : sequence of str, optional
        The ``trial_type`` values (stimulus ids), in order; None: every value in the events, sorted.
    mirror, cache, offline
        Where files are looked for (after :attr:`MIRROR`).
    """

    #: A folder laid out like a data mirror (``<MIRROR>/<dataset id>/<BIDS path>``) searched first; a lab's
    #: subclass points it at its BIDS folder's parent.
    MIRROR: ClassVar[str | os.PathLike[str] | None] = None

    def __init__(self, manifest, *, conditions: Sequence[str] | None = None, mirror: MirrorSpec = None,
                 cache: PathLike | None = None, offline: bool | None = None) -> None:
        mirrors = [*([self.MIRROR] if self.MIRROR else []), *mirror_dirs(mirror)]
        super().__init__(manifest, mirror=mirrors, cache=cache, offline=offline)
        self.conditions = None if conditions is None else tuple(conditions)

    def stimulus_set(self) -> StimulusSet:
        """The conditions as stimuli (payloads come from a benchmark or a stimuli file, not from BIDS)."""
        if self.conditions is None:
            raise DataFormatError(self.manifest.path or self.id, "adapter.params.conditions",
                                  "is needed to list the stimuli before reading events; name the trial_type values")
        return StimulusSet(self.conditions, name=self.id)
