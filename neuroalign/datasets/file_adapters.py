"""Generic adapters for datasets that are plain files: precomputed RDM sets, or pattern tables.

A manifest lists the files and the descriptors of each; no code is needed for a new dataset of this kind.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from neuroalign.core.rdms import RDMs
from neuroalign.core.recording import Recording
from neuroalign.core.stimuli import StimulusSet
from neuroalign.data.settings import MirrorSpec, PathLike
from neuroalign.datasets.adapter import ManifestAdapter
from neuroalign.datasets.loaders.rdm_files import read_rdm_set
from neuroalign.datasets.selection import select_items
from neuroalign.io import read_patterns


def _entries(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"file": e["file"], "descriptors": dict(e.get("descriptors", {})), "options": dict(e.get("options", {}))}
            for e in entries]


class _FileListAdapter(ManifestAdapter):
    """Shared part: a list of ``{file, descriptors, options}`` entries and the stimulus ids."""

    def __init__(self, manifest, *, entries: Sequence[Mapping[str, Any]], stimulus_ids: Sequence[str],
                 mirror: MirrorSpec = None, cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, mirror=mirror, cache=cache, offline=offline)
        self.entries, self.stimulus_ids = _entries(entries), tuple(stimulus_ids)

    def stimulus_set(self) -> StimulusSet:
        """The stimuli, by id."""
        return StimulusSet(self.stimulus_ids, name=self.id)

    def _descriptor_rows(self) -> list[dict[str, Any]]:
        return [e["descriptors"] for e in self.entries]

    def _selected(self, selection: Mapping[str, Any]) -> list[dict[str, Any]]:
        return select_items(self.entries, lambda e: e["descriptors"], selection, what=f"dataset {self.id!r}")


class RdmFilesAdapter(_FileListAdapter):
    """Precomputed RDMs in files (MATLAB RSA-toolbox structs, rsatoolbox or neuroalign HDF5, NPZ, CSV).

    Parameters
    ----------
    manifest : Manifest
        The dataset's manifest.
    rdms : sequence of mapping
        One entry per file: ``file`` (a manifest file name), ``descriptors`` (added to its RDMs) and
        ``options`` (``format``, ``variable``, ... of :func:`~neuroalign.datasets.loaders.rdm_files.read_rdm_set`).
    stimulus_ids : sequence of str
        The stimuli; MATLAB matrices are read in this order, other formats are reordered to it by id.
    mirror, cache, offline
        Where files are looked for.
    """

    def __init__(self, manifest, *, rdms: Sequence[Mapping[str, Any]], stimulus_ids: Sequence[str],
                 mirror: MirrorSpec = None, cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, entries=rdms, stimulus_ids=stimulus_ids, mirror=mirror, cache=cache,
                         offline=offline)

    def rdms(self, **selection: Any) -> RDMs:
        """The RDMs of the selected files, stacked, aligned to :attr:`stimulus_ids`."""
        stacks = []
        for entry in self._selected(selection):
            options = dict(entry["options"])
            is_matlab = options.get("format", self.path(entry["file"]).suffix.lstrip(".")) in ("mat", "matlab")
            if is_matlab and "ids_variable" not in options:  # a file naming its own ids is read by them
                options.setdefault("stimulus_ids", self.stimulus_ids)
            rdms = read_rdm_set(self.path(entry["file"]), **options)
            stacks.append(rdms.aligned_to(self.stimulus_ids).with_descriptors(**entry["descriptors"]))
        return RDMs.concat(*stacks)


class PatternFilesAdapter(_FileListAdapter):
    """Response patterns in CSV / NPZ / HDF5 files with an explicit stimulus-id column or array.

    Parameters
    ----------
    manifest : Manifest
        The dataset's manifest.
    recordings : sequence of mapping
        One entry per file: ``file``, ``descriptors`` (subject, roi, ...) and ``options`` (``id_column``,
        ``run_column`` of :func:`neuroalign.io.read_patterns`).
    stimulus_ids : sequence of str
        The stimuli; every file's rows are selected and ordered by these ids.
    mirror, cache, offline
        Where files are looked for.
    """

    def __init__(self, manifest, *, recordings: Sequence[Mapping[str, Any]], stimulus_ids: Sequence[str],
                 mirror: MirrorSpec = None, cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, entries=recordings, stimulus_ids=stimulus_ids, mirror=mirror, cache=cache,
                         offline=offline)

    def recordings(self, **selection: Any) -> list[Recording]:
        """One recording per selected file, stimuli in :attr:`stimulus_ids` order, file descriptors attached."""
        out = []
        for entry in self._selected(selection):
            recording = read_patterns(self.path(entry["file"]), **entry["options"]).select_stimuli(self.stimulus_ids)
            out.append(Recording(recording.data, recording.stimulus_ids, dims=recording.dims,
                                 channels=recording.channels, runs=recording.runs,
                                 descriptors={**recording.descriptors, **entry["descriptors"]}))
        return out
