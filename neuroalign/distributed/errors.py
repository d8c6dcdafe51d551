"""Exception types of the distributed execution layer, defined in :mod:`neuroalign.errors.applications` (one errors
module per layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import InvalidOptionError, NeuroAlignError
from neuroalign.errors.applications import DistributedError, ExecutorOptionError, UnshippableModelError

__all__ = ["DistributedError", "ExecutorOptionError", "InvalidOptionError", "NeuroAlignError", "UnshippableModelError"]
