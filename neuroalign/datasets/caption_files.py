"""Captions shipped with neuroalign: one plain English sentence per stimulus, as a paired "text" modality.

The captions are package data (``neuroalign/datasets/captions/<dataset_id>_captions.tsv``, columns
``stimulus_id`` and ``caption``, UTF-8), written by the neuroalign developers from the images; see the README in
that folder.

>>> from neuroalign.datasets.caption_files import load_captions   # doctest: +SKIP
>>> load_captions("kriegeskorte2008_92images")["img26"]       # doctest: +SKIP
'A brown two-humped camel standing sideways.'
"""

from __future__ import annotations

import csv
import io
from importlib import resources

from neuroalign.errors.adapters import NotProvidedError

_FOLDER = "captions"


class CaptionsNotFoundError(NotProvidedError):
    """No captions are shipped for the dataset asked for."""


def available_captions() -> tuple[str, ...]:
    """The dataset ids that captions are shipped for, sorted."""
    folder = resources.files("neuroalign.datasets") / _FOLDER
    if not folder.is_dir():
        return ()
    suffix = "_captions.tsv"
    return tuple(sorted(entry.name[:-len(suffix)] for entry in folder.iterdir() if entry.name.endswith(suffix)))


def load_captions(dataset_id: str = "kriegeskorte2008_92images") -> dict[str, str]:
    """The captions of a dataset's stimuli, ``{stimulus_id: caption}`` in the file's (stimulus) order.

    Raises
    ------
    CaptionsNotFoundError
        When no captions are shipped for ``dataset_id``.
    """
    resource = resources.files("neuroalign.datasets") / _FOLDER / f"{dataset_id}_captions.tsv"
    if not resource.is_file():
        known = ", ".join(available_captions()) or "none"
        raise CaptionsNotFoundError(f"no captions are shipped for dataset {dataset_id!r} (captions exist for: {known})")
    text = resource.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    captions: dict[str, str] = {}
    for row in reader:
        sid, caption = row["stimulus_id"].strip(), row["caption"].strip()
        if sid in captions:
            raise ValueError(f"captions of {dataset_id!r}: stimulus id {sid!r} appears twice")
        captions[sid] = caption
    return captions
