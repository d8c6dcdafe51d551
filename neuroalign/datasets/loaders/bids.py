"""fMRI in a BIDS derivatives layout (fMRIPrep style): preprocessed runs, brain masks and events per run.

Preprocessed series are ``sub-<s>[_ses-<x>]_task-<t>[_run-<r>][_space-<sp>]_desc-preproc_bold.nii.gz`` under
``<derivatives>/sub-<s>/[ses-<x>/]func/``; events are the matching ``_events.tsv`` of the raw dataset (or of the
derivatives folder); the mask is the run's ``desc-brain_mask`` unless one is given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from neuroalign.core.recording import Recording
from neuroalign.errors import DataFormatError
from neuroalign.datasets.loaders.fmri_patterns import condition_patterns


@dataclass(frozen=True)
class BidsRun:
    """The files of one run."""

    run: str
    bold: Path
    events: Path
    mask: Path | None


def _entities(path: str) -> dict[str, str]:
    from nilearn.interfaces.bids import parse_bids_filename

    return dict(parse_bids_filename(path)["entities"])


def find_bids_runs(derivatives: str | os.PathLike[str], *, subject: str, task: str, raw: str | os.PathLike[str]
                   | None = None, session: str | None = None, space: str | None = None) -> list[BidsRun]:
    """The preprocessed runs of one subject and task, with their events and brain masks, sorted by run.

    Raises
    ------
    DataFormatError
        If no preprocessed run matches, or a run has no events file (naming the bold file and ``events``).
    """
    from nilearn.interfaces.bids import get_bids_files

    filters = [("task", task), ("desc", "preproc")] + [(k, v) for k, v in (("ses", session), ("space", space)) if v]
    bolds = get_bids_files(os.fspath(derivatives), file_tag="bold", file_type="nii*", sub_label=subject,
                           modality_folder="func", filters=filters)
    if not bolds:
        raise DataFormatError(derivatives, f"sub-{subject} task-{task}", "no desc-preproc bold file matches")
    runs = []
    for bold in sorted(bolds):
        entities = _entities(bold)
        keys = [(k, entities[k]) for k in ("task", "ses", "run") if k in entities]
        events = get_bids_files(os.fspath(raw or derivatives), file_tag="events", file_type="tsv",
                                sub_label=subject, modality_folder="func", filters=keys)
        if len(events) != 1:
            raise DataFormatError(bold, "events", f"expected one matching _events.tsv, found {len(events)}")
        masks = get_bids_files(os.fspath(derivatives), file_tag="mask", file_type="nii*", sub_label=subject,
                               modality_folder="func", filters=[*keys, ("desc", "brain")]
                               + ([("space", space)] if space else []))
        runs.append(BidsRun(entities.get("run", "1"), Path(bold), Path(events[0]), Path(masks[0]) if masks else None))
    return runs


def bids_condition_patterns(runs: Sequence[BidsRun], tr: float, *, mask: Any = None,
                            conditions: Sequence[str] | None = None, method: str = "glm",
                            options: Mapping[str, Any] | None = None,
                            descriptors: Mapping[str, Any] | None = None) -> Recording:
    """Condition patterns per run (``run x stimulus x voxel``) from BIDS runs, each run's events its design.

    Parameters
    ----------
    runs : sequence of BidsRun
        From :func:`find_bids_runs`.
    tr : float
        Repetition time in seconds.
    mask : image or path, optional
        The mask; default the first run's brain mask.
    conditions, method, options, descriptors
        As for :func:`~neuroalign.datasets.loaders.fmri_patterns.condition_patterns`.
    """
    from nilearn.image import concat_imgs, load_img

    mask = mask if mask is not None else runs[0].mask
    if mask is None:
        raise DataFormatError(runs[0].bold, "mask", "no desc-brain_mask found for this run; pass mask=")
    images = [load_img(r.bold) for r in runs]
    volume_runs = np.concatenate([[r.run] * img.shape[3] for r, img in zip(runs, images)])
    events = pd.concat([pd.read_csv(r.events, sep="\t").assign(run=r.run) for r in runs], ignore_index=True)
    missing = {"onset", "duration", "trial_type"} - set(events.columns)
    if missing:
        raise DataFormatError(runs[0].events, "columns", f"events need onset, duration, trial_type; missing "
                                                         f"{sorted(missing)}")
    return condition_patterns(concat_imgs(images), mask, events, volume_runs, tr, conditions=conditions,
                              method=method, options=options, descriptors=descriptors)
