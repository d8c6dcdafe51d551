"""Exception types of dataset adapters and loaders, defined in :mod:`neuroalign.errors.adapters` (one errors module
per layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import ConditionMismatchError, DataFormatError, NeuroAlignError, ShapeMismatchError
from neuroalign.errors.adapters import GridMismatchError, NotProvidedError

__all__ = ["ConditionMismatchError", "DataFormatError", "GridMismatchError", "NeuroAlignError", "NotProvidedError",
           "ShapeMismatchError"]
