"""MEG/EEG: MNE ``Epochs`` and ``Evoked`` into recordings (the conversion lives in
:mod:`neuroalign.core.recording_mne`, with the containers, so that the RDM engine can use it; re-exported here)."""

from neuroalign.core.recording_mne import (EPOCH_LEVELS, epochs_recording, evoked_recording, recording_from_epochs,
                                           recording_from_evoked)

__all__ = ["EPOCH_LEVELS", "epochs_recording", "evoked_recording", "recording_from_epochs", "recording_from_evoked"]
