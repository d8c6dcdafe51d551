"""Exact correlation RDM of a layer larger than comfortable memory, streamed from HDF5 in blocks of units.

The layer is 5000 stimuli x 400,000 float32 units (8 GB) in an HDF5 file created once under the work directory
(seeded; reused while its shape, seed and completion mark match). Ours streams it with the default block budget,
accumulating float64 statistics, and must stay under 1.5 GB of added resident memory. The reference loads the
whole matrix (8 GB) and computes the RDM in one float32 product with float64 row means: a float64 copy would need
another 16 GB, more than the development machines have. ``max_abs_diff`` is therefore dominated by the
reference's float32 rounding. ``small`` uses 300 x 20,000 units.
"""

from __future__ import annotations

import os
from pathlib import Path

import h5py
import numpy as np
import torch

from neuroalign.rdm import compute_rdms

NAME = "rdm_streaming_hdf5"
DATASET = "layer"
SEED = 3000
PEAK_LIMIT_MB = 1500
_VERSION = 1  # bump when the generated content changes


def _shape(small: bool) -> tuple[int, int]:
    return (300, 20_000) if small else (5000, 400_000)


def _valid(path: Path, shape: tuple[int, int]) -> bool:
    try:
        with h5py.File(path, "r") as f:
            ds = f[DATASET]
            return (ds.shape == shape and ds.dtype == np.float32 and f.attrs.get("complete") == 1
                    and f.attrs.get("seed") == SEED and f.attrs.get("version") == _VERSION)
    except (OSError, KeyError):
        return False


def _create(path: Path, shape: tuple[int, int]) -> None:
    """Write the layer block by block (bounded memory): a 20-dimensional signal plus noise and unit offsets."""
    n, p = shape
    rng = np.random.default_rng(SEED)
    signal = rng.normal(size=(n, 20)).astype(np.float32)
    width = 256  # HDF5 chunk: all stimuli x 256 units, 5 MB, the unit of the engine's column reads
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with h5py.File(tmp, "w") as f:
            ds = f.create_dataset(DATASET, shape=shape, dtype=np.float32, chunks=(n, min(width, p)))
            for start in range(0, p, 16 * width):
                stop = min(start + 16 * width, p)
                weights = rng.normal(size=(20, stop - start)).astype(np.float32)
                block = signal @ weights + rng.standard_normal(size=(n, stop - start), dtype=np.float32)
                ds[:, start:stop] = block + rng.normal(scale=3.0, size=(1, stop - start)).astype(np.float32)
            f.attrs.update({"seed": SEED, "version": _VERSION, "complete": 1})
        os.replace(tmp, path)  # atomic: a half-written file never looks valid
    finally:
        tmp.unlink(missing_ok=True)


def setup(workdir: Path, small: bool) -> dict:
    shape = _shape(small)
    path = Path(workdir) / f"rdm_streaming_{shape[0]}x{shape[1]}.h5"
    if not _valid(path, shape):
        _create(path, shape)
    return {"path": path, "ids": [f"s{k:05d}" for k in range(shape[0])]}


def ours(data: dict) -> np.ndarray:
    return compute_rdms((data["path"], DATASET), "correlation", stimulus_ids=data["ids"]).dissimilarities[0]


def reference(data: dict) -> np.ndarray:
    with h5py.File(data["path"], "r") as f:
        patterns = f[DATASET][()]  # the whole layer in memory
    patterns -= patterns.mean(axis=1, dtype=np.float64, keepdims=True).astype(np.float32)
    x = torch.from_numpy(patterns)
    gram = (x @ x.T).double()
    norms = torch.sqrt(torch.diagonal(gram))
    rdm = 1.0 - gram / norms[:, None] / norms[None, :]
    rows, cols = np.triu_indices(len(patterns), k=1)
    return rdm.numpy()[rows, cols]


SIDES = {"ours": ours, "reference": reference}


def summarize(outputs: dict, seconds: dict, peaks_mb: dict) -> dict:
    diff = float(np.max(np.abs(outputs["ours"] - outputs["reference"])))
    return {"max_abs_diff": diff, "ours_peak_limit_mb": PEAK_LIMIT_MB,
            "target_met": bool(peaks_mb["ours"] < PEAK_LIMIT_MB and diff < 1e-3)}
