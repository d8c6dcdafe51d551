"""Loaders from the formats labs use into neuroalign containers.

- fMRI: :mod:`.fmri_masking` (NIfTI with a mask or an atlas), :mod:`.fmri_design` (volume labels, block and event
  designs), :mod:`.fmri_patterns` (condition patterns per run: label averaging with a haemodynamic lag, or a GLM),
  :mod:`.bids` (BIDS derivatives layouts).
- MEG/EEG: :mod:`.meeg` (MNE ``Epochs`` and ``Evoked``).
- Precomputed RDMs: :mod:`.rdm_files` (MATLAB RSA-toolbox struct arrays, rsatoolbox HDF5, neuroalign HDF5, NPZ).
- Generic arrays (HDF5 / NPZ / CSV with a stimulus-id column): :func:`neuroalign.io.read_patterns`.

Heavy libraries (nilearn, mne, rsatoolbox) are imported inside the functions that need them.
"""
