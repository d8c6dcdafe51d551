"""
RDMs from MNE Epochs
====================

Turn an :class:`mne.Epochs` object into a time-resolved :class:`~neuroalign.Recording` with
:func:`neuroalign.recording_from_epochs`, then into one RDM per time point. The data are 16 real EEG epochs (64
channels, two steady-state conditions, 8 trials each) from the ``ssvep_eeg_64ch`` dataset.
"""

# %%
# Read the epochs as MNE does; neuroalign finds the file in the data mirror and checks its sha256.
import matplotlib.pyplot as plt
import mne

import neuroalign
from neuroalign.data import fetch_dataset
from neuroalign.rdm import compute_rdms
from neuroalign.report.plots import plot_rdm

path = fetch_dataset("ssvep_eeg_64ch")["example-epo.fif"]
epochs = mne.read_epochs(path, verbose="error").filter(1.0, 20.0, verbose="error").decimate(8)
print(epochs)

# %%
# One condition per event code range (``1xx`` and ``2xx``); at the trial level every epoch is its own stimulus,
# so the RDM compares single trials (16 trials, 120 pairs) at every time point.
conditions = {"1xx": range(100, 200), "2xx": range(200, 300)}
trials = neuroalign.recording_from_epochs(epochs, conditions, level="trial", tmax=2.0)
print(trials)
rdms = compute_rdms(trials, "correlation")  # one RDM per time point
print(rdms)

# %%
# The RDM averaged over the first two seconds: trials of the same condition (the two blocks) are more alike.
mean_rdm = rdms.mean()
fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
plot_rdm(mean_rdm, ax=ax, title="EEG trials, 0-2 s, correlation distance")
plt.show()
