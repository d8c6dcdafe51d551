"""The 92-image data of Kriegeskorte et al. (2008): human and monkey IT RDMs, model RDMs, the stimulus images.

The MATLAB struct arrays are those of rsatoolbox's 92-image demo. Files are fetched and verified through
:mod:`neuroalign.data` (mirror, cache, download). The module-level functions are shortcuts for the adapter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from neuroalign.core.rdms import RDMs
from neuroalign.core.stimuli import StimulusSet
from neuroalign.data.settings import MirrorSpec, PathLike
from neuroalign.datasets.adapter import ManifestAdapter
from neuroalign.datasets.caption_files import load_captions
from neuroalign.datasets.loaders.rdm_files import matlab_text, read_matlab_rdms
from neuroalign.datasets.registry import load_dataset
from neuroalign.datasets.selection import select_items
from neuroalign.errors import StimulusMismatchError
from neuroalign.utils.atomic import atomic_path

DATASET_ID = "kriegeskorte2008_92images"
N_IMAGES = 92
STIMULUS_IDS = tuple(f"img{k:02d}" for k in range(1, N_IMAGES + 1))
_FLAGS = ("human", "face", "animal", "natural")


def _write_png(image: np.ndarray, path: Path) -> None:
    from PIL import Image

    with atomic_path(path) as tmp:
        Image.fromarray(np.asarray(image, dtype=np.uint8)).save(tmp, format="PNG")


def _captions() -> list[str]:
    """The shipped captions in stimulus order; a caption file that does not cover exactly the 92 ids is an error."""
    table = load_captions(DATASET_ID)
    if tuple(table) != STIMULUS_IDS:
        missing = [sid for sid in STIMULUS_IDS if sid not in table]
        extra = [sid for sid in table if sid not in STIMULUS_IDS]
        raise StimulusMismatchError(f"captions of {DATASET_ID!r} do not match its stimulus ids in order "
                                    f"(missing {missing[:10]}, unknown {extra[:10]})")
    return [table[sid] for sid in STIMULUS_IDS]


class Kriegeskorte2008Adapter(ManifestAdapter):
    """Adapter of ``kriegeskorte2008_92images``: ready RDMs (human IT by subject and session, monkey IT).

    Parameters
    ----------
    manifest : Manifest
        The dataset's manifest.
    brain_file, model_file, behaviour_file, supplement_file : str
        Manifest file names of the human IT RDMs, the model RDMs, the behavioural RDMs, and the supplemental data
        (stimuli, category labels, monkey IT RDM).
    mirror, cache, offline
        Where files are looked for (see :func:`neuroalign.data.fetch_dataset`).
    """

    def __init__(self, manifest, *, brain_file: str = "92_brainRDMs.mat", model_file: str = "92_modelRDMs.mat",
                 behaviour_file: str = "92_behavRDMs.mat",
                 supplement_file: str = "Kriegeskorte_Neuron2008_supplementalData.mat",
                 mirror: MirrorSpec = None, cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, mirror=mirror, cache=cache, offline=offline)
        self._files = {"brain": brain_file, "model": model_file, "behaviour": behaviour_file,
                       "supplement": supplement_file}
        self._supplement: dict | None = None

    def _supplement_data(self) -> dict:
        if self._supplement is None:
            import scipy.io

            self._supplement = scipy.io.loadmat(self.path(self._files["supplement"]))
        return self._supplement

    def human_it_rdms(self) -> RDMs:
        """The 8 human IT RDMs (4 subjects x 2 sessions; 1 - Pearson r), descriptors subject, session, roi, species."""
        raw = read_matlab_rdms(self.path(self._files["brain"]), STIMULUS_IDS, variable="RDMs",
                               distance="correlation")
        # names look like "hIT | BE | Session: 1"
        parts = [[p.strip() for p in name.split("|")] for name in raw.descriptors["name"]]
        return RDMs(raw.dissimilarities, STIMULUS_IDS, distance="correlation", descriptors={
            "subject": [p[1] for p in parts], "session": [int(p[2].split(":")[1]) for p in parts],
            "roi": "hIT", "species": "human"})

    def group_rdms(self) -> RDMs:
        """The two RDMs of the paper's figure 1: monkey IT (674 neurons) and human IT (316 voxels, group)."""
        structs = self._supplement_data()["RDMs_mIT_hIT_fig1"].ravel()
        names = [matlab_text(s["name"]) for s in structs]
        condensed = np.stack([np.asarray(s["RDM"], dtype=np.float64).ravel() for s in structs])
        return RDMs(condensed, STIMULUS_IDS, distance="correlation", descriptors={
            "name": names, "roi": [n[:3] for n in names],  # "mIT_674neurons", "hITvisStim_316vx"
            "species": ["monkey" if n.startswith("m") else "human" for n in names]})

    def monkey_it_rdms(self) -> RDMs:
        """The monkey IT RDM (674 neurons pooled over two monkeys), descriptors as :meth:`human_it_rdms`."""
        group = self.group_rdms().select(species="monkey")
        return RDMs(group.dissimilarities, STIMULUS_IDS, distance="correlation",
                    descriptors={"subject": "pooled", "session": None, "roi": "mIT", "species": "monkey"})

    def model_rdms(self) -> RDMs:
        """The 8 model RDMs shipped with the data (animacy, category, monkey IT, EVA, HMAX, V1, silhouette, RADON)."""
        raw = read_matlab_rdms(self.path(self._files["model"]), STIMULUS_IDS, variable="Models")
        return RDMs(raw.dissimilarities, STIMULUS_IDS, descriptors={"model": list(raw.descriptors["name"])})

    def behaviour_rdms(self) -> RDMs:
        """The 16 behavioural RDMs (similarity judgements), descriptor subject."""
        raw = read_matlab_rdms(self.path(self._files["behaviour"]), STIMULUS_IDS, variable="rdms_behav_92")
        subjects = [name.split("|")[1].strip() for name in raw.descriptors["name"]]
        return RDMs(raw.dissimilarities, STIMULUS_IDS, descriptors={"subject": subjects, "task": "similarity"})

    def _all_rdms(self) -> RDMs:
        return RDMs.concat(self.human_it_rdms(), self.monkey_it_rdms())

    def _descriptor_rows(self) -> list[dict[str, Any]]:
        return self._all_rdms().descriptors.to_dict("records")

    def rdms(self, **selection: Any) -> RDMs:
        """Brain RDMs selected by ``subject``, ``session``, ``roi`` (``"hIT"``, ``"mIT"``) or ``species``."""
        everything = self._all_rdms()
        rows = everything.descriptors.to_dict("records")
        keep = select_items(list(range(len(rows))), rows.__getitem__, selection, what=f"dataset {self.id!r}")
        return everything[keep]

    def stimulus_set(self, *, images: bool = True, captions: bool = False) -> StimulusSet:
        """The 92 stimuli with their category labels and, by default, their images as PNG payloads.

        The images (175 x 175 RGB) are written once into the data cache, atomically, named by stimulus id, in a
        folder keyed by the source file's checksum so that a changed source never serves stale images. With
        ``captions=True`` each stimulus also gets a ``"text"`` payload: its caption shipped with neuroalign
        (:func:`neuroalign.datasets.caption_files.load_captions`), one plain sentence describing the image.
        """
        stimuli = self._supplement_data()["stimuli_92objs"].ravel()
        metadata = pd.DataFrame({
            "category": [matlab_text(s["category"]) for s in stimuli],
            **{flag: [bool(np.asarray(s[flag]).ravel()[0]) for s in stimuli] for flag in _FLAGS},
        })
        payloads: dict[str, list] = {}
        if images:
            sha = self.manifest.file(self._files["supplement"]).sha256
            folder = self.cache_dir / f"stimuli-{sha[:12]}"
            paths = [folder / f"{sid}.png" for sid in STIMULUS_IDS]
            for stimulus, path in zip(stimuli, paths):
                if not path.is_file():
                    _write_png(stimulus["image"], path)
            payloads["image"] = paths
        if captions:
            payloads["text"] = _captions()
        return StimulusSet(STIMULUS_IDS, metadata=metadata, payloads=payloads or None, name=DATASET_ID)


def adapter(mirror: MirrorSpec = None, **kwargs: Any) -> Kriegeskorte2008Adapter:
    """The dataset's adapter, configured by its manifest (keyword arguments as for ``load_dataset``)."""
    return load_dataset(DATASET_ID, mirror=mirror, **kwargs)  # type: ignore[return-value]


def human_it_rdms(mirror: MirrorSpec = None) -> RDMs:
    """The 8 human IT RDMs (4 subjects x 2 sessions), descriptors ``subject`` and ``session``.

    The dissimilarity is 1 - Pearson r between activity patterns (the original study's measure).
    """
    return adapter(mirror).human_it_rdms()


def model_rdms(mirror: MirrorSpec = None) -> RDMs:
    """The 8 model RDMs shipped with the data (animacy, category, monkey IT, EVA, HMAX, V1, silhouette, RADON)."""
    return adapter(mirror).model_rdms()


def stimulus_set(mirror: MirrorSpec = None, *, images: bool = True, captions: bool = False) -> StimulusSet:
    """The 92 stimuli with their category labels, (by default) image payloads and (optionally) caption payloads.

    ``captions=True`` adds a ``"text"`` modality: one plain English sentence per image, shipped with neuroalign.
    """
    return adapter(mirror).stimulus_set(images=images, captions=captions)
