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
