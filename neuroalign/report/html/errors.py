"""Exception types of the HTML report, defined in :mod:`neuroalign.errors.applications` (one errors module per
layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors.applications import EmptyStoreError

__all__ = ["EmptyStoreError"]
