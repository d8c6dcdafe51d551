"""Linear CKA of 10,000 stimuli x 4096 features against 10,000 x 2048: feature form against numpy Grams.

Ours accumulates the ``d x d`` cross products ``xc^T xc``, ``yc^T yc`` and ``yc^T xc`` over chunks of centred rows
(about 0.25 GB held); the reference is the textbook computation with two ``n x n`` centred Gram matrices (1.6 GB).
Target: ours peaks below one ``n x n`` float64 Gram (800 MB) and agrees with the reference to 1e-10.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from neuroalign.metrics.cka import linear_cka

NAME = "cka_linear_10000x4096_vs_10000x2048"
GRAM_MB = 10000**2 * 8 / 2**20  # one full-size n x n float64 Gram, the memory target


def setup(workdir: Path, small: bool) -> dict:
    n, dx, dy = (200, 64, 32) if small else (10000, 4096, 2048)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, dx)) + 3.0
    y = x[:, :dy] @ rng.standard_normal((dy, dy)) / np.sqrt(dy) + rng.standard_normal((n, dy))
    return {"x": x, "y": y}


def ours(data: dict) -> float:
    return float(linear_cka(torch.from_numpy(data["x"]), torch.from_numpy(data["y"])))


def reference(data: dict) -> float:
    xc, yc = data["x"] - data["x"].mean(axis=0), data["y"] - data["y"].mean(axis=0)
    k, l = xc @ xc.T, yc @ yc.T
    return float(np.sum(k * l) / (np.linalg.norm(k) * np.linalg.norm(l)))


SIDES = {"ours": ours, "reference": reference}


def summarize(outputs: dict, seconds: dict, peaks_mb: dict) -> dict:
    diff = abs(float(outputs["ours"]) - float(outputs["reference"]))
    return {"abs_diff": diff, "gram_mb": GRAM_MB,
            "target_met": bool(diff < 1e-10 and peaks_mb["ours"] < GRAM_MB)}
