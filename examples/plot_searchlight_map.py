"""
A searchlight map
=================

Where in the brain does a model RDM fit? A searchlight computes an RDM in a small sphere around every voxel and
compares it with the model, giving a map. Here: the real Haxby et al. (2001) slice (subject 1, 530 voxels, 12 runs,
8 object categories), crossnobis RDMs in spheres of 6 mm, and an animacy model (faces and cats vs objects).
"""

# %%
# Condition patterns per run (the dataset adapter averages each block), and the model RDM: one feature, 1 for the
# animate categories; its euclidean RDM is 1 across the animate/inanimate boundary and 0 within.
import matplotlib.pyplot as plt
import numpy as np

from neuroalign.analysis import searchlight_rsa, sphere_neighbourhoods
from neuroalign.datasets import load_dataset
from neuroalign.rdm import compute_rdms

haxby = load_dataset("haxby2001_subj1_slice")
recording, = haxby.recordings()
mask = haxby.path("mask.nii.gz")
animate = np.array([[float(s in ("face", "cat"))] for s in recording.stimulus_ids])
animacy = compute_rdms(animate, "euclidean", stimulus_ids=recording.stimulus_ids)
print(recording)

# %%
# The spheres are built once from the mask (in mm, through its affine) and can be reused for other models.
centres, spheres = sphere_neighbourhoods(mask, 6.0)
result = searchlight_rsa(recording, mask, animacy, distance="crossnobis", comparator="spearman",
                         spheres=(centres, spheres))
values = result.values[0]
print(f"{len(values)} spheres; Spearman from {values.min():.2f} to {values.max():.2f}, median {np.median(values):.2f}")

# %%
# The map as a NIfTI image (voxels that are no sphere centre are NaN) and as a picture of the slice.
img = result.to_img(fill=np.nan)
slice_map = np.asarray(img.dataobj)[:, :, 0]
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
image = ax.imshow(slice_map.T, origin="lower", cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
ax.set(xlabel="voxel i (left-right)", ylabel="voxel j (posterior-anterior)",
       title="Searchlight (6 mm): animacy model vs crossnobis RDMs")
fig.colorbar(image, ax=ax, label="Spearman")
plt.show()
