"""The 92-image data of Kriegeskorte et al. (2008): human IT RDMs, model RDMs, stimuli.

Files are read from a verified mirror (see :mod:`neuroalign.data.mirror`); the MATLAB struct arrays are those of
rsatoolbox's 92-image demo.
"""

from __future__ import annotations

import os

import numpy as np
import scipy.io

from neuroalign.core.rdms import RDMs
from neuroalign.core.stimuli import StimulusSet
from neuroalign.data.mirror import locate_file

DATASET_ID = "kriegeskorte2008_92images"
N_IMAGES = 92
STIMULUS_IDS = tuple(f"img{k:02d}" for k in range(1, N_IMAGES + 1))

Mirror = str | os.PathLike[str] | None


def _load(name: str, mirror: Mirror) -> dict:
    return scipy.io.loadmat(locate_file(DATASET_ID, name, mirror=mirror))


def _text(value: np.ndarray) -> str:
    return str(np.asarray(value).ravel()[0])


def human_it_rdms(mirror: Mirror = None) -> RDMs:
    """The 8 human IT RDMs (4 subjects x 2 sessions), descriptors ``subject`` and ``session``.

    The dissimilarity is 1 - Pearson r between activity patterns (the original study's measure).
    """
    structs = _load("92_brainRDMs.mat", mirror)["RDMs"]
    matrices, subjects, sessions = [], [], []
    for subject in range(structs.shape[1]):
        for session in range(structs.shape[2]):
            entry = structs[0, subject, session]
            # names look like "hIT | BE | Session: 1"
            _, initials, session_label = (part.strip() for part in _text(entry["name"]).split("|"))
            matrices.append(np.asarray(entry["RDM"], dtype=np.float64))
            subjects.append(initials)
            sessions.append(int(session_label.split(":")[1]))
    return RDMs.from_square(np.stack(matrices), STIMULUS_IDS, measure="correlation",
                            descriptors={"subject": subjects, "session": sessions, "roi": "hIT"})


def model_rdms(mirror: Mirror = None) -> RDMs:
    """The 8 model RDMs shipped with the data (animacy, category, monkey IT, EVA, HMAX, V1, silhouette, RADON)."""
    structs = _load("92_modelRDMs.mat", mirror)["Models"]
    names = [_text(structs[0, k]["name"]) for k in range(structs.shape[1])]
    matrices = np.stack([np.asarray(structs[0, k]["RDM"], dtype=np.float64) for k in range(structs.shape[1])])
    return RDMs.from_square(matrices, STIMULUS_IDS, descriptors={"model": names})


def stimulus_set(mirror: Mirror = None) -> StimulusSet:
    """The 92 stimuli with their category labels (images stay in the .mat file; payloads come with the dataset layer)."""
    stimuli = _load("Kriegeskorte_Neuron2008_supplementalData.mat", mirror)["stimuli_92objs"][0]
    metadata = {
        "category": [_text(s["category"]) for s in stimuli],
        **{flag: [bool(np.asarray(s[flag]).ravel()[0]) for s in stimuli] for flag in ("human", "face", "animal", "natural")},
    }
    return StimulusSet(STIMULUS_IDS, metadata=metadata, name=DATASET_ID)

