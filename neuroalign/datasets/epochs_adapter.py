"""Adapter for MEG/EEG epochs in MNE's FIF format, conditions defined by event-code ranges."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from neuroalign.core.recording import Recording
from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors.adapters import ManifestError
from neuroalign.data.settings import MirrorSpec, PathLike
from neuroalign.datasets.adapter import ManifestAdapter
from neuroalign.datasets.loaders.meeg import epochs_recording
from neuroalign.datasets.selection import select_items


class MneEpochsAdapter(ManifestAdapter):
    """One ``-epo.fif`` file; each condition is a range of event codes, each trial kept for cross-validation.

    Parameters
    ----------
    manifest : Manifest
        The dataset's manifest.
    epochs : str
        Manifest file name of the epochs.
    conditions : mapping of str to [first, last]
        Condition (stimulus id) -> the inclusive range of its event codes (``{"1xx" = [100, 199]}``).
    subject : str
        The ``subject`` descriptor.
    level : str
        ``"condition"`` (trials on the run axis) or ``"trial"`` (one stimulus per epoch).
    picks : str or list
        MNE channel picks (``"eeg"``, ``"meg"``, names).
    tmin, tmax : float, optional
        Time window in seconds.
    decim : int
        Decimation factor.
    lowpass : float, optional
        Low-pass edge in Hz applied before decimation (keep it below ``sfreq / (2 * decim)``).
    mirror, cache, offline
        Where files are looked for.
    """

    def __init__(self, manifest, *, epochs: str, conditions: Mapping[str, Sequence[int]], subject: str = "",
                 level: str = "condition", picks: Any = "data", tmin: float | None = None,
                 tmax: float | None = None, decim: int = 1, lowpass: float | None = None, mirror: MirrorSpec = None,
                 cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, mirror=mirror, cache=cache, offline=offline)
        for name, bounds in conditions.items():
            if len(bounds) != 2 or bounds[0] > bounds[1]:
                raise ManifestError(manifest.path or manifest.id, f"adapter.params.conditions.{name}",
                                    f"must be [first, last] event codes; got {list(bounds)}")
        self.epochs_file = epochs
        self.condition_codes = {name: range(int(first), int(last) + 1) for name, (first, last) in conditions.items()}
        self.subject = subject
        self.options = {"level": level, "picks": picks, "tmin": tmin, "tmax": tmax, "decim": decim,
                        "lowpass": lowpass}

    def stimulus_set(self) -> StimulusSet:
        """The conditions as stimuli, with their event-code ranges as metadata."""
        codes = self.condition_codes.values()
        return StimulusSet(list(self.condition_codes), name=self.id,
                           metadata={"first_code": [r.start for r in codes], "last_code": [r.stop - 1 for r in codes]})

    def _descriptor_rows(self) -> list[dict[str, Any]]:
        return [{"subject": self.subject}]

    def recordings(self, **selection: Any) -> list[Recording]:
        """The time-resolved recording (selector ``subject``); options of the adapter (``level``, ``picks``,
        ``tmin``, ``tmax``, ``decim``, ``lowpass``) can be overridden per call."""
        options = {**self.options, **{k: selection.pop(k) for k in list(selection) if k in self.options}}
        select_items(self._descriptor_rows(), dict, selection, what=f"dataset {self.id!r}")
        return [epochs_recording(self.path(self.epochs_file), self.condition_codes,
                                 descriptors={"subject": self.subject}, **options)]
