"""Peak memory of extracting 4 flattened EfficientNet-Lite0 layers over 512 images, streamed to the cache.

Target: the peak resident memory added by the extraction stays under one batch's recorded activations plus the
model plus 300 MB, whatever the number of stimuli. The reference keeps every batch in memory and concatenates
at the end (what an extractor without streaming does); its peak grows with the number of stimuli.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cases._extract_common import bare_hooked_run, setup_extraction

NAME = "extract_peak_memory"
LAYERS = ("_blocks.1", "_blocks.3", "_blocks.7", "_blocks.15")
UNITS = 24 * 56 * 56 + 40 * 28 * 28 + 80 * 14 * 14 + 320 * 7 * 7  # per stimulus, flattened
BATCH = 8  # the forward pass's own temporaries for a batch are part of the 300 MB allowance
_MB = 1024 ** 2


def setup(workdir: Path, small: bool) -> dict:
    return setup_extraction(workdir, small, batch=BATCH, cache_name="extract_peak_memory_cache")


def ours(data: dict) -> np.ndarray:
    acts = data["adapter"].extract(data["stimuli"], list(LAYERS), pooling="flatten", batch_size=data["batch"],
                                   cache=data["cache"], device="cpu", progress=False)
    return acts.source("_blocks.15").read_units(0, 16)  # a small slice: the result stays on disk


def reference(data: dict) -> np.ndarray:
    return bare_hooked_run(data, LAYERS, lambda o: o.flatten(1))["_blocks.15"][:, :16]


def ours_quarter(data: dict) -> None:
    """Ours on a quarter of the stimuli: its peak should equal the full run's (memory independent of n)."""
    ids = data["stimuli"].stimulus_ids
    data["adapter"].extract(data["stimuli"].subset(ids[: max(1, len(ids) // 4)]), list(LAYERS), pooling="flatten",
                            batch_size=data["batch"], cache=data["cache"], device="cpu", progress=False)


SIDES = {"ours": ours, "reference": reference, "ours_quarter": ours_quarter}


def summarize(outputs: dict, seconds: dict, peaks_mb: dict) -> dict:
    from neuroalign_efficientnet import load

    model_mb = sum(p.numel() * p.element_size() for p in load().model.state_dict().values()) / _MB
    n = len(outputs["ours"])
    batch_mb = min(BATCH, n) * UNITS * 4 / _MB
    bound = batch_mb + model_mb + 300
    return {"bound_mb": round(bound, 1), "batch_activations_mb": round(batch_mb, 1),
            "all_activations_mb": round(n * UNITS * 4 / _MB, 1), "target_met": peaks_mb["ours"] <= bound,
            "ours_quarter_peak_mb": round(peaks_mb["ours_quarter"], 1),
            "max_abs_diff": float(np.abs(outputs["ours"] - outputs["reference"]).max())}
