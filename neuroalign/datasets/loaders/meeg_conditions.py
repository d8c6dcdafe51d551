"""Which condition each MNE epoch belongs to (now :mod:`neuroalign.core.recording_mne_conditions`; re-exported)."""

from neuroalign.core.recording_mne_conditions import epoch_conditions

__all__ = ["epoch_conditions"]
