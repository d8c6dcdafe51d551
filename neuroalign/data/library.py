"""Datasets fetched by the field's own library (``[fetcher] library = "mne"``): its fetcher, cache and registry.

MNE's ``mne.datasets.<name>.data_path()`` downloads the archives listed in ``mne/datasets/config.py`` and checks
each against the md5 recorded there; neuroalign uses that folder in place, never a second copy, and never
downloads when offline.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from neuroalign.errors.adapters import MissingDataError
from neuroalign.data.manifest import Manifest
from neuroalign.data.settings import OFFLINE_ENV, offline_mode


def _mne_dataset(manifest: Manifest):
    return importlib.import_module(f"mne.datasets.{manifest.fetcher['dataset']}")


def library_description(manifest: Manifest) -> str:
    """What ``neuroalign data info`` says about the library fetcher of ``manifest``."""
    name = manifest.fetcher["dataset"]
    return (f"fetched by MNE's own fetcher, mne.datasets.{name}.data_path(), into MNE's data folder ($MNE_DATA or "
            f"~/mne_data; MNE_DATASETS_{name.upper()}_PATH); each archive is checked against the md5 in MNE's "
            "registry (mne/datasets/config.py); neuroalign keeps no second copy")


def library_present(manifest: Manifest) -> Path | None:
    """The library's folder of the dataset if it is on this machine (nothing is downloaded), else None."""
    import mne

    name = manifest.fetcher["dataset"]
    try:
        if not mne.datasets.has_dataset(name):
            return None
    except (OSError, KeyError):  # MNE_DATA names a missing folder, or this MNE lacks the dataset
        return None
    return Path(_mne_dataset(manifest).data_path(download=False))


def library_data_path(manifest: Manifest, *, offline: bool | None = None) -> Path:
    """The dataset's folder, downloading it through the library unless offline.

    Raises
    ------
    MissingDataError
        If the dataset is absent and downloads are forbidden (the message says how to fetch it).
    """
    found = library_present(manifest)
    if found is not None:
        return found
    name = manifest.fetcher["dataset"]
    if offline_mode(offline):
        raise MissingDataError(f"{manifest.id} is not on this machine and offline mode (${OFFLINE_ENV}) forbids "
                               f"downloads; fetch it online with `neuroalign data fetch {manifest.id}` or "
                               f"mne.datasets.{name}.data_path() (it goes to MNE's data folder, $MNE_DATA)")
    return Path(_mne_dataset(manifest).data_path(download=True))
