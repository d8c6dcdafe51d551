"""Loaders from the formats labs use into neuroalign containers.

The everyday entry points are also at the top level: ``neuroalign.recording_from_epochs(epochs)``,
``neuroalign.recording_from_evoked(evokeds)`` and ``neuroalign.recording_from_nifti(imgs, events, mask, tr=...)``.

- fMRI: :mod:`.nifti` (NIfTI images, an events table and a mask, as a user has them), :mod:`.fmri_masking` (NIfTI
  with a mask or an atlas), :mod:`.fmri_design` (volume labels, block and event designs), :mod:`.fmri_patterns`
  (condition patterns per run: label averaging with a haemodynamic lag, or a GLM), :mod:`.bids` (BIDS derivatives
  layouts).
- MEG/EEG: :mod:`.meeg` (MNE ``Epochs`` and ``Evoked``), :mod:`.meeg_conditions` (which epochs form a condition).
- Precomputed RDMs: :mod:`.rdm_files` (MATLAB RSA-toolbox struct arrays, rsatoolbox HDF5, neuroalign HDF5, NPZ).
- Generic arrays (HDF5 / NPZ / CSV with a stimulus-id column): :func:`neuroalign.io.read_patterns`.

Heavy libraries (nilearn, mne, rsatoolbox) are imported inside the functions that need them; the names below are
imported from their modules on first use.
"""

from __future__ import annotations

import importlib

#: Public loader functions -> the module that defines them.
_PUBLIC = {
    "recording_from_epochs": "meeg", "recording_from_evoked": "meeg", "recording_from_nifti": "nifti",
    "condition_patterns": "fmri_patterns", "events_from_volume_labels": "fmri_design",
    "read_volume_labels": "fmri_design", "volume_labels_from_events": "fmri_design",
    "masked_series": "fmri_masking", "roi_masks": "fmri_masking", "find_bids_runs": "bids",
    "bids_condition_patterns": "bids", "read_rdm_set": "rdm_files",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    """A public loader function, imported from its module when first asked for."""
    if name in _PUBLIC:
        return getattr(importlib.import_module(f"{__name__}.{_PUBLIC[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
