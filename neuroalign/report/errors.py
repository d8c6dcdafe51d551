"""Exception types of the report, defined in :mod:`neuroalign.errors.applications` (one errors module per layer,
docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import NeuroAlignError
from neuroalign.errors.applications import EmptyStoreError, PlotInputError

__all__ = ["EmptyStoreError", "NeuroAlignError", "PlotInputError"]
