"""Correlation-distance searchlight (6 mm spheres) with Spearman against a model RDM on the real Haxby slice.

Ours: :func:`neuroalign.analysis.searchlight_rsa` (spheres grouped by size, one engine call per group). Reference:
rsatoolbox's documented searchlight workflow on the same spheres: ``get_searchlight_RDMs`` (run x condition rows,
averaged per condition, as ours averages runs), then ``evaluate_models_searchlight`` with a ``ModelFixed`` of the
model RDM, ``eval_fixed`` and Spearman, ``n_jobs=1`` like our single process. The extra side
``rsatoolbox_rdms_vectorised_compare`` is the faster hand-written alternative: the same RDMs and one many-vs-many
rsatoolbox ``compare``. Target (issue 6): speedup >= 20 over the reference, same values.
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
                             comparator="spearman", spheres=(data["centres"], data["spheres"]))
    return np.asarray(result.values).ravel()


def _searchlight_rdms(data: dict):
    """rsatoolbox's searchlight RDMs of the same spheres (one RDM per centre)."""
    from rsatoolbox.util.searchlight import get_searchlight_RDMs

    rec = data["recording"]
    patterns = rec.patterns()[..., 0]  # run x stimulus x voxel
    rows = patterns.reshape(-1, patterns.shape[-1])
    events = np.tile(np.arange(rec.n_stimuli), rec.n_runs)
    spheres = data["spheres"]
    neighbors = [spheres.indices[spheres.indptr[c]:spheres.indptr[c + 1]] for c in range(spheres.shape[0])]
    return get_searchlight_RDMs(rows, np.arange(len(neighbors)), neighbors, events, method="correlation",
                                verbose=False)


def reference(data: dict) -> np.ndarray:
    import warnings

    from rsatoolbox.inference import eval_fixed
    from rsatoolbox.model import ModelFixed
    from rsatoolbox.rdm import RDMs
    from rsatoolbox.util.searchlight import evaluate_models_searchlight

    rdms = _searchlight_rdms(data)
    model = ModelFixed("model", RDMs(data["model"][None]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # eval_fixed's noise ceiling of a single RDM warns (and is NaN) per centre
        results = evaluate_models_searchlight(rdms, model, eval_fixed, method="spearman", n_jobs=1)
    return np.array([float(np.squeeze(r.evaluations)) for r in results])


def rsatoolbox_rdms_vectorised_compare(data: dict) -> np.ndarray:
    from rsatoolbox.rdm import RDMs, compare

    return compare(_searchlight_rdms(data), RDMs(data["model"][None]), method="spearman").ravel()


SIDES = {"ours": ours, "reference": reference, "rsatoolbox_rdms_vectorised_compare": rsatoolbox_rdms_vectorised_compare}


def summarize(outputs: dict, seconds: dict, peaks_mb: dict) -> dict:
    diff = max(float(np.abs(outputs["ours"] - outputs[side]).max())
               for side in ("reference", "rsatoolbox_rdms_vectorised_compare"))
    speedup = seconds["reference"] / seconds["ours"]
    vectorised = seconds["rsatoolbox_rdms_vectorised_compare"] / seconds["ours"]
    return {"n_spheres": int(outputs["ours"].size), "max_abs_diff": diff,
            "speedup_vs_rsatoolbox_rdms_vectorised_compare": round(vectorised, 2), "target_speedup": 20.0,
            "target_met": bool(speedup >= 20 and diff < 1e-10)}
