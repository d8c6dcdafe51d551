"""
Extract any Hugging Face model over your own folder of images, and score it
===========================================================================

A user brings two things neuroalign does not ship: a model (any transformers model, named ``hf:ORG/NAME`` on the hub
or ``hf:/path`` on disk) and stimuli (a folder of images, a table of sentences). This tutorial walks the whole path
offline:

1. A model folder. Here a ViT and a CLIP-style image-text model are *built from their configs* with random weights
   by ``scripts/make_tiny_models.py`` (so nothing is downloaded; with a network, name ``hf:google/vit-base-patch16-224``
   instead). Random weights are also the proper control for any trained model.
2. A folder of images with a ``stimuli.tsv`` of descriptors and captions (here: the 92 images of Kriegeskorte et al.
   2008, copied into a folder as a user would have them, named by stimulus id).
3. ``neuroalign.extract``: activations through the activation cache into one HDF5 file with its provenance.
4. Scoring the file on the human IT benchmark, anywhere, and checking it equals scoring the model itself.
5. A paired image-text model: both towers of one model over the same stimuli, and how aligned they are.
6. Handing the activations to rsatoolbox.

Every statement below is computed and printed by the script. Run from the repository root:

    NEUROALIGN_DATA_MIRROR=../shared/data .venv/bin/python tutorials/extract_and_score_your_own_model.py
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # this tutorial never needs the hub

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import neuroalign  # noqa: E402
from neuroalign import StimulusSet  # noqa: E402
from neuroalign.datasets import kriegeskorte92  # noqa: E402
from neuroalign.metrics import get_metric  # noqa: E402
from neuroalign.models.export import to_rsatoolbox  # noqa: E402
from neuroalign.rdm import compute_rdms  # noqa: E402

OUTPUT = Path(os.environ.get("NEUROALIGN_TUTORIAL_OUTPUT", "tutorial_output"))
ROOT = Path(sys.argv[0]).resolve().parents[1]  # the script's path; the docs gallery runs it without __file__
BENCHMARK = "kriegeskorte2008.human_it.rsa"
start = time.perf_counter()

# 1. Two model folders, written by save_pretrained exactly as a hub download would hold them.
models = OUTPUT / "models"
subprocess.run([sys.executable, str(ROOT / "scripts" / "make_tiny_models.py"), str(models), "--only", "tiny-vit",
                "tiny-clip"], check=True, capture_output=True)
vit, clip = f"hf:{models / 'tiny-vit'}", f"hf:{models / 'tiny-clip'}"
print(f"model folders: {sorted(p.name for p in models.iterdir())}")

# 2. Your stimuli: a folder of images named by id, and a table of descriptors with one caption per image.
shipped = kriegeskorte92.stimulus_set(captions=True)
folder = OUTPUT / "my_images"
folder.mkdir(parents=True, exist_ok=True)
for sid in shipped.stimulus_ids:
    shutil.copy(shipped.payload(sid, "image"), folder / f"{sid}.png")
table = pd.DataFrame({"stimulus_id": shipped.stimulus_ids, "category": shipped.metadata["category"].to_numpy(),
                      "caption": [shipped.payload(sid, "text") for sid in shipped.stimulus_ids]})
table.to_csv(folder / "stimuli.tsv", sep="\t", index=False)
stimuli = StimulusSet.from_image_folder(folder)
print(f"{len(stimuli)} images from {folder.name}/, modalities {list(stimuli.modalities)}, "
      f"metadata {list(stimuli.metadata.columns)}")

# 3. Extract. The family (a vision transformer with a CLS token) decides the preprocessing and the pooling; the
#    batches stream through the activation cache ($NEUROALIGN_CACHE_DIR), so a second call is a cache hit and an
#    interrupted one resumes. The file records where the model came from and how it was read.
acts = neuroalign.extract(vit, stimuli, OUTPUT / "vit.h5", progress=False)
with h5py.File(OUTPUT / "vit.h5") as f:
    source, pooling = f.attrs["source"], f.attrs["pooling"]
print(f"extracted {len(acts.layer_names)} layers x {len(acts.stimulus_ids)} stimuli into vit.h5; pooling {pooling}")
print(f"recorded source: {source}")
again = time.perf_counter()
neuroalign.extract(vit, stimuli, OUTPUT / "vit_again.h5", progress=False)
print(f"the same extraction again took {time.perf_counter() - again:.2f} s (served from the activation cache)")

# 4. Score the file. A features file is a model id: the rows are joined to the benchmark's stimuli by id, so the
#    activations extracted here (on a GPU machine, say) score anywhere. Scoring the model itself extracts the same
#    numbers, so the two scores are the same to the last bit.
from_file = neuroalign.score(str(OUTPUT / "vit.h5"), BENCHMARK, progress=False)
from_model = neuroalign.score(vit, BENCHMARK, progress=False)
print(f"score of vit.h5 on {BENCHMARK}: {from_file.value:.4f} (layer {from_file.provenance['commitment']['layer']})")
print(f"score of the model itself: {from_model.value:.4f}; identical: {from_file.value == from_model.value}")
print(f"normalised by the ceiling: {from_file.normalized:.3f} (random weights; a trained model is scored the same way)")

# 5. One image-text model, two reads. Named as a whole, it extracts the image tower from the images and the text
#    tower from the captions of the same stimuli into one file; the projections are the model's own embeddings.
pairs = neuroalign.extract(clip, stimuli, OUTPUT / "clip.h5", progress=False)
image_emb, text_emb = pairs.layer("image.projection"), pairs.layer("text.projection")
cka = get_metric("cka.linear")
print(f"clip.h5: {len(pairs.layer_names)} layers, image.projection {image_emb.shape}, text.projection "
      f"{text_emb.shape}")
rng = np.random.default_rng(0)
shuffled = [cka(image_emb, text_emb[rng.permutation(len(text_emb))]) for _ in range(200)]
observed = cka(image_emb, text_emb)
print(f"linear CKA between the two towers' embeddings: {observed:.3f}; with captions shuffled across images: "
      f"mean {np.mean(shuffled):.3f}, {np.mean(np.array(shuffled) >= observed):.2f} of 200 at least as high")

# 6. rsatoolbox: each layer as an rsatoolbox Dataset, whose correlation RDM equals neuroalign's.
from rsatoolbox.rdm import calc_rdm  # noqa: E402

layer = acts.layer_names[-1]
theirs = calc_rdm(to_rsatoolbox(acts, layer), method="correlation").get_vectors()[0]
ours = compute_rdms(acts.select_layers([layer]), "correlation").dissimilarities[0]
print(f"{layer}: rsatoolbox's correlation RDM vs neuroalign's, max abs difference {np.abs(theirs - ours).max():.1e}")
print(f"runtime {time.perf_counter() - start:.0f} s")
print("done")
