"""
Representational similarity analysis on the 92-image human IT data
==================================================================

Kriegeskorte et al. (2008) showed 92 object images to 4 human subjects (2 fMRI sessions each) and summarised
the response patterns of inferior temporal cortex (IT) as representational dissimilarity matrices (RDMs,
1 - Pearson r between patterns). This tutorial compares those RDMs with each other and with model RDMs, and asks
how good a model could possibly be (the noise ceiling).

Run from the repository root:  NEUROALIGN_DATA_MIRROR=../shared/data .venv/bin/python tutorials/rsa_92_images.py
"""

import tempfile
from pathlib import Path

import numpy as np

from neuroalign import RDMs
from neuroalign.compare import compare
from neuroalign.datasets import kriegeskorte92
from neuroalign.demo.rsa92 import subject_rdms
from neuroalign.rdm import compute_rdms
from neuroalign.stats import rdm_noise_ceiling

# 1. Load the RDMs. Files come from the data mirror and are verified against the sha256 in
#    data_manifests/kriegeskorte2008_92images.toml before they are read.
sessions = kriegeskorte92.human_it_rdms()
stimuli = kriegeskorte92.stimulus_set()
print(sessions)
print(sessions.descriptors.head(4).to_string(index=False))

# 2. One RDM per subject: average the two sessions. RDMs are immutable; every operation returns a new object.
subjects = subject_rdms(sessions)

# 3. Compare. Every comparator is many-vs-many: 4 subjects x 4 subjects in one call, ranks computed once per RDM.
for method in ("spearman", "kendall_tau_a", "whitened_pearson"):
    agreement = compare(subjects, subjects, comparator=method)
    off_diagonal = agreement[~np.eye(4, dtype=bool)]
    print(f"between-subject agreement, {method:>16}: mean {off_diagonal.mean():.3f}")

# 4. The noise ceiling: no model can beat the upper bound on average; a perfect model would reach the lower one.
ceiling = rdm_noise_ceiling(subjects, "spearman")
print(f"noise ceiling (Spearman): [{ceiling.lower:.3f}, {ceiling.upper:.3f}]")

# 5. Models. The categorical models (animacy, face/body/man-made/natural) predict many tied dissimilarities:
#    Kendall's tau-a does not reward a model for predicting ties, which makes it the fairer choice for them.
models = kriegeskorte92.model_rdms()
scores = compare(models, subjects, comparator="kendall_tau_a").mean(axis=1)
for name, score in sorted(zip(models.descriptors["model"], scores), key=lambda x: -x[1]):
    print(f"  {name:>22}: tau-a {score:.3f}")

# 6. Joins are by stimulus id, never by position: a model RDM listed in another order compares the same.
shuffled = models.reorder(list(reversed(models.stimulus_ids)))
assert np.allclose(compare(shuffled, subjects, comparator="spearman"), compare(models, subjects, comparator="spearman"))

# 7. An RDM of our own: the animacy labels as a one-channel pattern, with the euclidean distance.
animate = stimuli.metadata["animal"].to_numpy(dtype=float)[:, None]
animacy = compute_rdms(animate, "euclidean", stimulus_ids=stimuli.stimulus_ids)
assert np.array_equal(animacy.dissimilarities > 0, models.select(model="animacy").dissimilarities > 0)

# 8. Interop: rsatoolbox objects and HDF5 files round-trip exactly.
theirs = subjects.to_rsatoolbox()
assert np.array_equal(RDMs.from_rsatoolbox(theirs).dissimilarities, subjects.dissimilarities)
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "human_it.h5"
    subjects.to_hdf5(path)
    assert RDMs.from_hdf5(path).descriptors.equals(subjects.descriptors)
print("done")
