"""Extraction of 4 EfficientNet-Lite0 layers over 512 images: adapter + cache versus a bare torch loop.

Both sides load the same JPEG files, run the same forward passes with the same batch size and keep the spatial
mean of the same 4 blocks; ours also hashes weights and files, and writes the cache. Target: ours / bare <= 1.15.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cases._extract_common import bare_hooked_run, setup_extraction

NAME = "extract_overhead"
LAYERS = ("_blocks.3", "_blocks.7", "_blocks.11", "_blocks.15")
BATCH = 32


def setup(workdir: Path, small: bool) -> dict:
    return setup_extraction(workdir, small, batch=BATCH, cache_name="extract_overhead_cache")


def ours(data: dict) -> np.ndarray:
    acts = data["adapter"].extract(data["stimuli"], list(LAYERS), pooling="spatial_mean", batch_size=data["batch"],
                                   cache=data["cache"], device="cpu", progress=False)
    return np.concatenate([acts.layer(layer) for layer in LAYERS], axis=1)


def reference(data: dict) -> np.ndarray:
    layers = bare_hooked_run(data, LAYERS, lambda o: o.mean(dim=(2, 3)))
    return np.concatenate([layers[layer] for layer in LAYERS], axis=1)


SIDES = {"ours": ours, "reference": reference}


def summarize(outputs: dict, seconds: dict, peaks_mb: dict) -> dict:
    ratio = seconds["ours"] / seconds["reference"]
    diff = float(np.abs(outputs["ours"] - outputs["reference"]).max())
    return {"ratio": round(ratio, 3), "target": "ours / bare <= 1.15", "target_met": ratio <= 1.15,
            "max_abs_diff": diff}
