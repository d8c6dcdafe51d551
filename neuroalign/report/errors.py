"""Exception types of the report layer."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError


class PlotInputError(NeuroAlignError, ValueError):
    """A plot was given data it cannot draw (wrong shape, missing column, unknown label or format)."""
