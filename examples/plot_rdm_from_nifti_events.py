"""
RDMs from NIfTI images and an events table
==========================================

The usual fMRI starting point: a 4-D BOLD series, a mask, and a BIDS-style events table (``onset``, ``duration``,
``trial_type``, here also ``run`` since the 12 runs share one series). :func:`neuroalign.recording_from_nifti`
turns them into condition patterns per run (``run x stimulus x voxel``), from which crossnobis RDMs are unbiased.
The data are one real slice of Haxby et al. (2001), subject 1 (530 voxels, 12 runs, 8 object categories).
"""

# %%
# The dataset ships a label and a run for every volume; an events table has one row per block instead. We build
# it as a user with a BIDS ``events.tsv`` would already have it.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import neuroalign
from neuroalign.data import fetch_dataset
from neuroalign.rdm import compute_rdms
from neuroalign.report.plots import plot_rdm

TR = 2.5
files = fetch_dataset("haxby2001_subj1_slice")
labels = pd.read_csv(files["attributes_literal.txt"], sep=" ", names=["label", "run"])
labels["volume_in_run"] = labels.groupby("run").cumcount()
labels["block"] = (labels["label"] != labels["label"].shift()).cumsum()
blocks = labels[labels["label"] != "rest"].groupby("block")
events = pd.DataFrame({"onset": blocks["volume_in_run"].first() * TR,
                       "duration": blocks.size() * TR,
                       "trial_type": blocks["label"].first(),
                       "run": blocks["run"].first()}).reset_index(drop=True)
print(events.head())

# %%
# Condition patterns: detrended, z-scored volumes averaged within each block, shifted by the haemodynamic lag.
recording = neuroalign.recording_from_nifti(files["bold.nii.gz"], events, files["mask.nii.gz"], tr=TR,
                                            volume_runs=labels["run"].to_numpy(), options={"lag": 5.0})
print(recording)

# %%
# Crossnobis distances are cross-validated over the 12 runs: noise adds nothing to them on average, so a
# dissimilarity near 0 means "not distinguishable", and values can be negative.
rdm = compute_rdms(recording, "crossnobis")
fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
plot_rdm(rdm, ax=ax, title="Haxby slice: crossnobis RDM of 8 categories")
plt.show()
print(f"smallest and largest crossnobis distance: {np.min(rdm.dissimilarities):.3f}, "
      f"{np.max(rdm.dissimilarities):.3f}")
