"""Errors of the analyses (defined in :mod:`neuroalign.errors` with the other engines'; re-exported)."""

from neuroalign.errors import ClusterTestError, SearchlightCentreError, TimeAxisError

__all__ = ["ClusterTestError", "SearchlightCentreError", "TimeAxisError"]
