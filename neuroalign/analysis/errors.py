"""Exception types of the analyses, defined in :mod:`neuroalign.errors` (one errors module per layer,
docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import ClusterTestError, SearchlightCentreError, TimeAxisError

__all__ = ["ClusterTestError", "SearchlightCentreError", "TimeAxisError"]
