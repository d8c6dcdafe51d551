"""
Activations from your own images
================================

Your stimuli are a folder of images (optionally with a ``stimuli.tsv`` of metadata: captions, categories).
:meth:`neuroalign.StimulusSet.from_image_folder` reads it, :func:`neuroalign.extract` runs a model over it through
the activation cache and writes one HDF5 file (with provenance) that scores anywhere, and the activations become
RDMs like any other representation.
"""

# %%
# A folder of 12 images with a metadata table: here 6 faces and 6 inanimate objects copied from the 92-image set,
# standing in for a lab's own pictures.
import os
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import neuroalign
from neuroalign import StimulusSet
from neuroalign.datasets import kriegeskorte92
from neuroalign.rdm import compute_rdms
from neuroalign.report.plots import plot_rdm

source = kriegeskorte92.stimulus_set()
table = source.metadata.reset_index()
picked = pd.concat([table[table["category"] == kind].head(6) for kind in ("human face", "artificial inanimate")])
output = Path(os.environ.get("NEUROALIGN_TUTORIAL_OUTPUT", "tutorial_output"))   # where files go
folder = output / "my_images"
folder.mkdir(parents=True, exist_ok=True)
for stimulus_id in picked["stimulus_id"]:
    shutil.copy(source.payload(stimulus_id, "image"), folder / f"{stimulus_id}.png")
picked[["stimulus_id", "category"]].to_csv(folder / "stimuli.tsv", sep="\t", index=False)

images = StimulusSet.from_image_folder(folder)          # ids from the file names, metadata from stimuli.tsv
print(images)

# %%
# Extract two layers of EfficientNet-Lite0 (a model id; ``hf:ORG/NAME`` ids of transformers models work the same)
# into ``efficientnet.h5``. The file is read lazily, one layer at a time.
acts = neuroalign.extract("efficientnet-lite0", images, output / "efficientnet.h5", layers=["_blocks.3", "_blocks.15"],
                          progress=False)
for layer in acts.layer_names:
    print(layer, acts.layer(layer).shape)

# %%
# Each layer's correlation-distance RDM, grouped by category: the deeper block separates faces from objects.
rdms = compute_rdms(acts, "correlation")
fig, axes = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
for ax, layer in zip(axes, acts.layer_names):
    plot_rdm(rdms.select(layer=layer), categories=images, ax=ax, title=layer)
plt.show()
