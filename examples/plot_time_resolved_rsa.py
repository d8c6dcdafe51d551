"""
Time-resolved RSA
=================

When does a brain signal carry the structure of a model? Time-resolved RSA computes one RDM per time point and
compares each with a model RDM (the tutorial on EEG adds a cluster test over time). The data are
16 real EEG trials (64 channels, two steady-state conditions) from the ``ssvep_eeg_64ch`` dataset.
"""

# %%
# The trials, filtered (1-20 Hz, which also removes the 50 Hz line noise decimation would fold in) and decimated
# to 32 Hz; the model RDM says "trials of different conditions differ".
import matplotlib.pyplot as plt
import mne
import numpy as np

from neuroalign import Recording
from neuroalign.analysis import time_resolved_rsa
from neuroalign.datasets import load_dataset
from neuroalign.rdm import compute_rdms
from neuroalign.report.plots import plot_time_course

raw, = load_dataset("ssvep_eeg_64ch").recordings(level="trial", tmax=4.0)
sfreq = float(raw.descriptors["sfreq"])
data = mne.filter.filter_data(raw.data.astype(np.float64), sfreq, 1.0, 20.0, verbose=False)[..., ::8]
trials = Recording(data, raw.stimulus_ids, dims=("stimulus", "channel", "time"), channels=raw.channels,
                   times=raw.times[::8], descriptors={**raw.descriptors, "sfreq": sfreq / 8})
conditions = np.array(raw.descriptors["conditions"])
model = compute_rdms((conditions == "2xx").astype(float)[:, None], "euclidean", stimulus_ids=raw.stimulus_ids)
print(trials)

# %%
# One correlation-distance RDM over the trials at every time point, each compared with the model (Spearman), in
# one batched call.
course = time_resolved_rsa(trials, model, distance="correlation", comparator="spearman")
values = course.values[0]
print(f"{len(course.times)} time points; mean Spearman {values.mean():.3f}, "
      f"maximum {values.max():.3f} at {course.times[np.argmax(values)]:.2f} s")

fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
plot_time_course(course.times, values, ax=ax, label="condition model", ylabel="Spearman",
                 title="EEG trials vs the condition model")
plt.show()
