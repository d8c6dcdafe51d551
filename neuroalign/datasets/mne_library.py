"""Adapters for datasets that MNE's own fetcher provides: Kiloword (EEG, 960 words) and visual_92_categories
(Cichy et al. 2014 MEG on the 92 images). Their files stay in MNE's data folder (see
:mod:`neuroalign.data.library`); nothing is copied into neuroalign's cache."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from neuroalign.core.recording import Recording
from neuroalign.core.stimuli import StimulusSet
from neuroalign.data.library import library_data_path
from neuroalign.data.settings import MirrorSpec, PathLike
from neuroalign.datasets.adapter import ManifestAdapter
from neuroalign.datasets.registry import load_dataset
from neuroalign.datasets.selection import select_items


class MneLibraryAdapter(ManifestAdapter):
    """Base: the dataset's folder comes from ``mne.datasets.<name>.data_path()`` (downloaded unless offline)."""

    subject = ""

    def data_path(self) -> Path:
        """MNE's folder of the dataset (fetched by MNE, md5-checked against MNE's registry, on first use)."""
        return library_data_path(self.manifest, offline=self._where["offline"])

    def _descriptor_rows(self) -> list[dict[str, Any]]:
        return [{"subject": self.subject}]


class KilowordAdapter(MneLibraryAdapter):
    """MNE's Kiloword: ERPs to 960 printed words, averaged over 75 subjects; the words are the stimuli.

    Parameters
    ----------
    epochs : str
        The epochs file in MNE's folder.
    word_column : str
        The metadata column holding each epoch's word.
    subject, picks, tmin, tmax, decim, lowpass
        As for :func:`~neuroalign.datasets.loaders.meeg.recording_from_epochs`.
    """

    def __init__(self, manifest, *, epochs: str = "kword_metadata-epo.fif", word_column: str = "WORD",
                 subject: str = "average", picks: Any = "eeg", tmin: float | None = None, tmax: float | None = None,
                 decim: int = 1, lowpass: float | None = None, mirror: MirrorSpec = None,
                 cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, mirror=mirror, cache=cache, offline=offline)
        self.epochs_file, self.word_column, self.subject = epochs, word_column, subject
        self.options = {"picks": picks, "tmin": tmin, "tmax": tmax, "decim": decim, "lowpass": lowpass}

    @functools.cached_property
    def epochs(self) -> Any:
        """The epochs, read once from MNE's folder."""
        import mne

        return mne.read_epochs(self.data_path() / self.epochs_file, preload=True, verbose="error")

    def stimulus_set(self) -> StimulusSet:
        """The 960 words, each its own ``text`` payload, with the epochs' metadata (concreteness, frequency...)."""
        meta = self.epochs.metadata.reset_index(drop=True)
        words = [str(w) for w in meta[self.word_column]]
        return StimulusSet(words, payloads={"text": words}, name=self.id,
                           metadata={c: list(meta[c]) for c in meta.columns if c != self.word_column})

    def recordings(self, **selection: Any) -> list[Recording]:
        """One recording ``run x word x channel x time`` (one averaged epoch per word); options overridable."""
        from neuroalign.datasets.loaders.meeg import recording_from_epochs

        options = {**self.options, **{k: selection.pop(k) for k in list(selection) if k in self.options}}
        select_items(self._descriptor_rows(), dict, selection, what=f"dataset {self.id!r}")
        words = list(self.stimulus_set().stimulus_ids)
        return [recording_from_epochs(self.epochs, words, by=self.word_column, level="condition",
                                      descriptors={"subject": self.subject}, **options)]


class Visual92Adapter(MneLibraryAdapter):
    """MNE's visual_92_categories: one subject's MEG (4 runs) to the 92 images of Kriegeskorte et al. (2008).

    Event value ``k`` (1..92) is image ``img<k>`` of ``kriegeskorte2008_92images``; the mapping is checked row by
    row against ``visual_stimuli.csv`` (:func:`~neuroalign.datasets.visual92_triggers.check_visual_stimuli`)
    before any epoch is cut. Each image's trials are kept apart on the run axis.

    Parameters
    ----------
    n_runs : int
        How many of the four runs to read.
    picks, tmin, tmax, decim, lowpass
        As for :func:`~neuroalign.datasets.loaders.meeg.recording_from_epochs`; epochs span ``tmin``..``tmax``.
    images : str
        The dataset that holds the 92 images.
    """

    subject = "cichy2014_sample"

    def __init__(self, manifest, *, n_runs: int = 4, picks: Any = "grad", tmin: float = -0.1, tmax: float = 0.5,
                 decim: int = 10, lowpass: float | None = 40.0, images: str = "kriegeskorte2008_92images",
                 mirror: MirrorSpec = None, cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, mirror=mirror, cache=cache, offline=offline)
        self.n_runs, self.images = int(n_runs), images
        self.options = {"picks": picks, "decim": decim, "lowpass": lowpass}
        self.window = (float(tmin), float(tmax))

    @functools.cached_property
    def image_dataset(self) -> Any:
        """The adapter of the 92-image dataset (same mirror, cache and offline settings)."""
        return load_dataset(self.images, **self._where)

    def stimulus_set(self) -> StimulusSet:
        """The 92 images (with captions), as ``kriegeskorte2008_92images`` provides them."""
        return self.image_dataset.stimulus_set(captions=True)

    def event_images(self) -> dict[int, str]:
        """Event value -> image id, checked against ``visual_stimuli.csv``."""
        from neuroalign.datasets.visual92_triggers import check_visual_stimuli

        return check_visual_stimuli(self.data_path() / "visual_stimuli.csv", self.stimulus_set().metadata)

    def recordings(self, **selection: Any) -> list[Recording]:
        """One recording ``run x image x channel x time`` over the chosen runs."""
        import mne

        from neuroalign.datasets.loaders.meeg import recording_from_epochs

        select_items(self._descriptor_rows(), dict, selection, what=f"dataset {self.id!r}")
        images = self.event_images()
        raws = [mne.io.read_raw_fif(self.data_path() / f"sample_subject_{k}_tsss_mc.fif", verbose="error",
                                    on_split_missing="ignore") for k in range(self.n_runs)]
        raw = mne.concatenate_raws(raws)
        events = mne.find_events(raw, min_duration=0.002, verbose="error")
        events = events[(events[:, 2] >= 1) & (events[:, 2] <= 92)]
        epochs = mne.Epochs(raw, events, {images[v]: v for v in sorted(images)}, tmin=self.window[0],
                            tmax=self.window[1], baseline=(None, 0), preload=True, verbose="error")
        return [recording_from_epochs(epochs, list(images.values()), level="condition",
                                      descriptors={"subject": self.subject}, **self.options)]
