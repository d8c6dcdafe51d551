"""Adapter for BIDS fMRI datasets (OpenNeuro's, or a lab's own): events -> per-run condition patterns.

The manifest's file names are the dataset's BIDS paths, so the runs are found from the names alone
(:mod:`neuroalign.datasets.loaders.bids_layout`); only the chosen subject's files are fetched. A lab registers its
own BIDS folder as a plugin by subclassing :class:`BidsFmriAdapter` with ``MANIFEST`` (written by
:func:`neuroalign.datasets.bids_manifest.write_bids_manifest`) and ``MIRROR`` (the folder holding ``<id>/``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from neuroalign.core.recording import Recording
from neuroalign.data.fetch import fetch_dataset
from neuroalign.data.settings import MirrorSpec, PathLike
from neuroalign.datasets.bids_base import BidsManifestAdapter
from neuroalign.errors import DataFormatError
from neuroalign.datasets.selection import select_items


class BidsFmriAdapter(BidsManifestAdapter):
    """A BIDS fMRI dataset: one recording (``run x condition x voxel``) per subject and ROI.

    Parameters
    ----------
    manifest : Manifest
        The dataset's manifest; its file names are BIDS paths.
    task : str
        The BIDS task.
    tr : float
        Repetition time in seconds.
    conditions : sequence of str, optional
        The ``trial_type`` values to estimate, in order (default: every one, sorted).
    mask : str, optional
        Manifest file name of the mask, ``{subject}`` standing for the subject label; default the runs'
        ``desc-brain_mask`` (fMRIPrep), else nilearn's EPI mask of the first run.
    roi : str
        Name of the mask's ROI (the ``roi`` descriptor).
    method : str
        ``"average"`` or ``"glm"`` (nilearn first-level betas per run).
    method_options : mapping, optional
        Per-method keyword arguments (``{glm = {hrf_model = "spm"}}``).
    confounds : sequence of str, optional
        fMRIPrep confound columns regressed out where a run has a ``desc-confounds_timeseries.tsv`` (default:
        the six motion parameters); ``[]`` uses none.
    session : str, optional
        Only this BIDS session.
    mirror, cache, offline
        Where files are looked for.
    """

    def __init__(self, manifest, *, task: str, tr: float, conditions: Sequence[str] | None = None,
                 mask: str | None = None, roi: str = "brain", method: str = "average",
                 method_options: Mapping[str, Mapping[str, Any]] | None = None,
                 confounds: Sequence[str] | None = None, session: str | None = None, mirror: MirrorSpec = None,
                 cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, conditions=conditions, mirror=mirror, cache=cache, offline=offline)
        self.task, self.tr, self.session = task, float(tr), session
        self.mask, self.roi, self.method = mask, roi, method
        self.method_options = {k: dict(v) for k, v in (method_options or {}).items()}
        self.confounds = None if confounds is None else tuple(confounds)
        self._cache: dict[tuple[str, str], Recording] = {}

    def subjects(self) -> list[str]:
        """The subject labels with a bold series of the task."""
        from neuroalign.datasets.loaders.bids_layout import subjects_of

        return subjects_of([f.name for f in self.manifest.files], self.task)

    def _descriptor_rows(self) -> list[dict[str, Any]]:
        return [{"subject": s, "roi": self.roi} for s in self.subjects()]

    def recordings(self, *, method: str | None = None, **selection: Any) -> list[Recording]:
        """Condition patterns per run for each selected subject (selectors ``subject``, ``roi``)."""
        method = method or self.method
        rows = select_items(self._descriptor_rows(), dict, selection, what=f"dataset {self.id!r}")
        for row in rows:
            if (row["subject"], method) not in self._cache:
                self._cache[(row["subject"], method)] = self._subject(row["subject"], method)
        return [self._cache[(row["subject"], method)] for row in rows]

    def _subject(self, subject: str, method: str) -> Recording:
        from neuroalign.datasets.loaders.bids_layout import find_runs

        names = [f.name for f in self.manifest.files]
        runs = find_runs(names, subject=subject, task=self.task, session=self.session,
                         where=self.manifest.path or self.id)
        wanted = [n for r in runs for n in (r.bold, r.events, r.confounds, r.mask) if n is not None]
        mask = self.mask.format(subject=subject) if self.mask else None
        paths = fetch_dataset(self.manifest, wanted + ([mask] if mask else []), **self._where)
        return run_patterns(runs, paths, self.tr, mask=paths[mask] if mask else None, conditions=self.conditions,
                            method=method, options=self.method_options.get(method), confounds=self.confounds,
                            descriptors={"subject": subject, "roi": self.roi, "task": self.task})


def run_patterns(runs, paths: Mapping[str, Path], tr: float, *, mask: Any = None,
                 conditions: Sequence[str] | None = None, method: str = "average",
                 options: Mapping[str, Any] | None = None, confounds: Sequence[str] | None = None,
                 descriptors: Mapping[str, Any] | None = None) -> Recording:
    """A ``run x condition x voxel`` recording from BIDS runs (see :class:`BidsFmriAdapter`).

    Parameters
    ----------
    runs : sequence of BidsRunFiles
        From :func:`~neuroalign.datasets.loaders.bids_layout.find_runs`.
    paths : mapping
        Relative name -> local path of every file the runs name.
    tr : float
        Repetition time (seconds).
    mask : image or path, optional
        Default the first run's brain mask, else nilearn's EPI mask of the first run.
    conditions, method, options, descriptors
        As for :func:`~neuroalign.datasets.loaders.fmri_patterns.condition_patterns`.
    confounds : sequence of str, optional
        fMRIPrep columns (default motion) used where every run has a confounds file.
    """
    from nilearn.image import concat_imgs, load_img
    from nilearn.masking import compute_epi_mask

    from neuroalign.datasets.loaders.bids_layout import MOTION, read_confounds, read_events
    from neuroalign.datasets.loaders.fmri_patterns import condition_patterns

    images = [load_img(paths[r.bold]) for r in runs]
    if mask is None:
        mask = paths[runs[0].mask] if runs[0].mask else compute_epi_mask(images[0])
    labels = [f"{r.session}-{r.run}" if r.session else r.run for r in runs]
    volume_runs = np.concatenate([[label] * img.shape[3] for label, img in zip(labels, images)])
    events = pd.concat([read_events(paths[r.events]).assign(run=label) for r, label in zip(runs, labels)],
                       ignore_index=True)
    options = dict(options or {})
    columns = MOTION if confounds is None else tuple(confounds)
    if columns and all(r.confounds for r in runs):
        tables = [read_confounds(paths[r.confounds], columns) for r in runs]
        for r, table, img in zip(runs, tables, images):
            if len(table) != img.shape[3]:
                raise DataFormatError(paths[r.confounds], "rows", f"{len(table)} rows for {img.shape[3]} volumes "
                                                                  f"of {Path(r.bold).name}")
        options["confounds"] = pd.concat(tables, ignore_index=True).to_numpy()
    return condition_patterns(concat_imgs(images), mask, events, volume_runs, tr, conditions=conditions,
                              method=method, options=options, descriptors=descriptors)
