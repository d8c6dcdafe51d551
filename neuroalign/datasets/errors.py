"""Errors of dataset adapters and loaders; each names the file and the field at fault.

:class:`DataFormatError` and :class:`ConditionMismatchError` live in :mod:`neuroalign.errors` (file readers and the
MNE conversion below the adapters raise them too) and are re-exported here.
"""

from __future__ import annotations

from neuroalign.errors import ConditionMismatchError, DataFormatError, NeuroAlignError, ShapeMismatchError


class GridMismatchError(DataFormatError, ShapeMismatchError):
    """A NIfTI image and its mask (or atlas) are not on the same voxel grid (shape or affine)."""


class NotProvidedError(NeuroAlignError, LookupError):
    """A dataset does not provide what was asked (recordings from an RDM-only dataset, or the reverse)."""

    def __str__(self) -> str:  # LookupError would otherwise quote the message like a dict key
        return str(self.args[0]) if self.args else ""


__all__ = ["ConditionMismatchError", "DataFormatError", "GridMismatchError", "NotProvidedError"]
