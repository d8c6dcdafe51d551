"""Synthetic sources for the alignment tests: layered recordings with a planted shared signal."""

from __future__ import annotations

import numpy as np

from neuroalign.alignment import BrainSource
from neuroalign.core.recording import Recording
from neuroalign.core.stimuli import StimulusSet


def ids(n: int) -> list[str]:
    return [f"s{k:03d}" for k in range(n)]


def layered(name: str, layers: dict[str, np.ndarray]) -> BrainSource:
    """A source whose layers are the given ``(n, d)`` feature matrices (stimulus ids ``s000``...)."""
    n = next(iter(layers.values())).shape[0]
    return BrainSource(name, {k: Recording(v, ids(n), dims=("stimulus", "channel")) for k, v in layers.items()})


def planted(n: int = 40, seed: int = 0) -> tuple[BrainSource, BrainSource, StimulusSet]:
    """Two three-layer sources; only layer ``l1`` of ``a`` and ``m2`` of ``b`` share a latent signal."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, 4))
    shared = z @ rng.normal(size=(4, 15)) + 0.3 * rng.normal(size=(n, 15))
    a = layered("a", {"l0": rng.normal(size=(n, 12)), "l1": shared, "l2": rng.normal(size=(n, 60))})
    b = layered("b", {"m0": rng.normal(size=(n, 9)), "m1": rng.normal(size=(n, 70)),
                      "m2": z @ rng.normal(size=(4, 8)) + 0.3 * rng.normal(size=(n, 8))})
    return a, b, StimulusSet(ids(n), name="toy")
