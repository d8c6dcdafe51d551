"""The report's fixed colour scales: the same score has the same colour on every page and in every figure.

A scale fitted to the data (matplotlib's default) turns two scores 0.13 and 0.14 into the two ends of the colour
bar; these scales are fixed instead and documented in ``docs/report.md``:

- ceiling-normalised scores on ``[0, 1]`` (0 = no alignment, 1 = the noise ceiling), sequential ``viridis``;
  a score above its ceiling gets the top colour and the colour bar's arrow;
- raw scores (correlations and similarities that can be negative) on ``[-1, 1]``, diverging ``RdBu_r``
  centred on 0 (white), so the sign reads at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ColourScale:
    """A fixed colour scale: its range, its colour map and the label of its colour bar."""

    vmin: float
    vmax: float
    cmap: str
    label: str

    @property
    def diverging(self) -> bool:
        """Whether the scale is centred on 0 (raw scores that can be negative)."""
        return self.vmin < 0 < self.vmax


#: Ceiling-normalised scores: 0 (chance) to 1 (the noise ceiling).
NORMALISED = ColourScale(0.0, 1.0, "viridis", "normalised (score / ceiling)")
#: Raw scores: -1 to 1, centred on 0.
RAW = ColourScale(-1.0, 1.0, "RdBu_r", "raw score")


def metric_scale(values, label: str) -> ColourScale:
    """The fixed scale of an alignment measure's values: ``[0, 1]`` (sequential) when every finite value lies
    there (CKA, kNN overlap, CCA), ``[-1, 1]`` centred on 0 when some is negative but none beyond -1 and 1
    (correlations), else ``[min(0, lowest), highest]`` (a distance, an unbounded score): never a range fitted to
    two nearby values."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if not finite.size or (finite.min() >= 0 and finite.max() <= 1):
        return ColourScale(0.0, 1.0, NORMALISED.cmap, label)
    if finite.min() >= -1 and finite.max() <= 1:
        return ColourScale(-1.0, 1.0, RAW.cmap, label)
    low, high = min(0.0, float(finite.min())), float(finite.max())
    return ColourScale(low, high if high > low else low + 1.0, "magma", label)
