"""Adapter for M/EEG BIDS datasets (OpenNeuro's, or a lab's own), read with mne-bids: events -> epochs per
condition -> a time-resolved recording per subject.

The manifest's file names are the dataset's BIDS paths; only the chosen subject's files (and the dataset's own
top-level files) are fetched. mne-bids reads a run from a BIDS root holding its sidecars, so when a subject's files
lie in different places (some in a mirror, some in the cache) they are linked into one folder of the cache first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from neuroalign.core.recording import Recording
from neuroalign.data.fetch import fetch_dataset
from neuroalign.data.settings import MirrorSpec, PathLike
from neuroalign.datasets.bids_base import BidsManifestAdapter
from neuroalign.datasets.selection import select_items


class BidsMeegAdapter(BidsManifestAdapter):
    """A BIDS MEG/EEG dataset: one time-resolved recording per subject, from all its runs of a task.

    Parameters
    ----------
    manifest : Manifest
        The manifest (file names: BIDS paths, as for every :class:`BidsManifestAdapter`).
    task : str
        The ``task-<label>`` of the recordings to read.
    datatype : str
        ``"meg"``, ``"eeg"`` or ``"ieeg"`` (the BIDS folder and suffix of the recordings).
    conditions : sequence of str, optional
        The ``trial_type`` values (stimulus ids), in order; default every value in the subject's events, sorted.
    tmin, tmax, baseline, reject
        The epochs (MNE's :class:`mne.Epochs` arguments), in seconds around each event.
    level : str
        ``"average"`` (each condition's mean epoch, as MNE's ``Epochs.average``), ``"condition"`` (trials on the
        run axis, for cross-validated distances) or ``"trial"``.
    picks, decim, lowpass
        As for :func:`~neuroalign.datasets.loaders.meeg.recording_from_epochs`.
    session : str, optional
        Only this BIDS session.
    mirror, cache, offline
        Where files are looked for.
    """

    def __init__(self, manifest, *, task: str, datatype: str = "meg", conditions: Sequence[str] | None = None,
                 tmin: float = -0.2, tmax: float = 0.5, baseline: Sequence[float | None] | None = (None, 0),
                 reject: Mapping[str, float] | None = None, level: str = "average", picks: Any = "data",
                 decim: int = 1, lowpass: float | None = None, session: str | None = None,
                 mirror: MirrorSpec = None, cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, conditions=conditions, mirror=mirror, cache=cache, offline=offline)
        self.task, self.datatype, self.session = task, datatype, session
        self.options = {"tmin": float(tmin), "tmax": float(tmax),
                        "baseline": None if baseline is None else tuple(baseline),
                        "reject": dict(reject) if reject else None, "level": level, "picks": picks, "decim": decim,
                        "lowpass": lowpass}

    def subjects(self) -> list[str]:
        """The subject labels with a recording of the task."""
        from neuroalign.datasets.loaders.bids_meeg import meeg_subjects

        return meeg_subjects([f.name for f in self.manifest.files], task=self.task, datatype=self.datatype)

    def _descriptor_rows(self) -> list[dict[str, Any]]:
        return [{"subject": s} for s in self.subjects()]

    def recordings(self, **selection: Any) -> list[Recording]:
        """One recording per selected subject (selector ``subject``); the adapter's epoch options (``tmin``,
        ``tmax``, ``baseline``, ``reject``, ``level``, ``picks``, ``decim``, ``lowpass``) can be overridden per
        call."""
        options = {**self.options, **{k: selection.pop(k) for k in list(selection) if k in self.options}}
        rows = select_items(self._descriptor_rows(), dict, selection, what=f"dataset {self.id!r}")
        return [self._subject(row["subject"], options) for row in rows]

    def _subject(self, subject: str, options: Mapping[str, Any]) -> Recording:
        from neuroalign.datasets.loaders.bids_meeg import bids_meeg_recording, recording_files

        names = [f.name for f in self.manifest.files]
        runs = recording_files(names, task=self.task, subject=subject, session=self.session,
                               datatype=self.datatype)
        paths = fetch_dataset(self.manifest, names, subjects=[subject], **self._where)
        root = self._root(paths)
        return bids_meeg_recording([root / r for r in runs], root, conditions=self.conditions, **options,
                                   descriptors={"subject": subject, "task": self.task})

    def _root(self, paths: Mapping[str, Path]) -> Path:
        """The one BIDS root holding every path, linking them into the cache where they lie in several."""
        roots = {Path(str(path)[: -len(name)]) for name, path in paths.items() if str(path).endswith(name)}
        if len(roots) == 1 and len(paths) == sum(str(p).endswith(n) for n, p in paths.items()):
            return roots.pop()
        view = self.cache_dir / "bids_view"
        for name, path in paths.items():
            link = view / name
            link.parent.mkdir(parents=True, exist_ok=True)
            if link.is_symlink() or link.exists():
                if link.resolve() == Path(path).resolve():
                    continue
                link.unlink()
            link.symlink_to(Path(path).resolve())
        return view
