"""Correlation-distance searchlight (6 mm spheres) with Spearman against a model RDM on the real Haxby slice.

Ours: :func:`neuroalign.analysis.searchlight_rsa` (spheres grouped by size, one engine call per group). Reference:
rsatoolbox's ``get_searchlight_RDMs`` on the same spheres (run x condition rows, averaged per condition, as ours
averages runs) and one many-vs-many rsatoolbox ``compare``. Target (issue 6): speedup >= 20, same values.
The data come from ``$NEUROALIGN_DATA_MIRROR`` (default ``../shared/data`` next to the repository); ``small`` uses
the first 40 centres.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

NAME = "searchlight_haxby_slice"
DATASET = "haxby2001_subj1_slice"
RADIUS = 6.0
REPEATS = 3


def setup(workdir: Path, small: bool) -> dict:
    import nibabel as nib

    from neuroalign.analysis.spheres import sphere_neighbourhoods
    from neuroalign.datasets import load_dataset

    mirror = Path(os.environ.get("NEUROALIGN_DATA_MIRROR", Path(__file__).resolve().parents[3] / "shared" / "data"))
    recording, = load_dataset(DATASET, mirror=mirror).recordings()
    mask = nib.load(mirror / DATASET / "mask.nii.gz")
    centres, spheres = sphere_neighbourhoods(mask, RADIUS)
    if small:
        centres, spheres = centres[:40], spheres[:40]
    model = np.random.default_rng(0).random(recording.n_stimuli * (recording.n_stimuli - 1) // 2)
    return {"recording": recording, "mask": mask, "centres": centres, "spheres": spheres, "model": model}


def ours(data: dict) -> np.ndarray:
    from neuroalign.analysis import searchlight_rsa

    result = searchlight_rsa(data["recording"], data["mask"], data["model"], radius=RADIUS, distance="correlation",
                             method="spearman", centres=data["centres"])
    return np.asarray(result.values).ravel()


def reference(data: dict) -> np.ndarray:
    from rsatoolbox.rdm import RDMs, compare
    from rsatoolbox.util.searchlight import get_searchlight_RDMs

    rec = data["recording"]
    patterns = rec.patterns()[..., 0]  # run x stimulus x voxel
    rows = patterns.reshape(-1, patterns.shape[-1])
    events = np.tile(np.arange(rec.n_stimuli), rec.n_runs)
    spheres = data["spheres"]
    neighbors = [spheres.indices[spheres.indptr[c]:spheres.indptr[c + 1]] for c in range(spheres.shape[0])]
    rdms = get_searchlight_RDMs(rows, np.arange(len(neighbors)), neighbors, events, method="correlation",
                                verbose=False)
    return compare(rdms, RDMs(data["model"][None]), method="spearman").ravel()


SIDES = {"ours": ours, "reference": reference}


def summarize(outputs: dict, seconds: dict, peaks_mb: dict) -> dict:
    diff = float(np.abs(outputs["ours"] - outputs["reference"]).max())
    speedup = seconds["reference"] / seconds["ours"]
    return {"n_spheres": int(outputs["ours"].size), "max_abs_diff": diff, "target_speedup": 20.0,
            "target_met": bool(speedup >= 20 and diff < 1e-10)}
