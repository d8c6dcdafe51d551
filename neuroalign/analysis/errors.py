"""Errors raised by the analyses for bad input; each names the constraint that was broken."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError


class TimeAxisError(NeuroAlignError, ValueError):
    """A recording has no time axis, two time axes differ, or a window does not fit the time axis."""


class SearchlightCentreError(NeuroAlignError, ValueError):
    """A searchlight centre lies outside the mask or its sphere holds too few voxels."""


class ClusterTestError(NeuroAlignError, ValueError):
    """The data of a cluster test cannot be tested (too few observations, times of the wrong length)."""
