"""Exception types of the report: its plots and its HTML page (one module for the package)."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError


class PlotInputError(NeuroAlignError, ValueError):
    """A plot was given data it cannot draw (wrong shape, missing column, unknown label or format)."""


class EmptyStoreError(NeuroAlignError, ValueError):
    """The results store holds no score to report (or none of the benchmarks asked for)."""
