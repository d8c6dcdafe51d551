"""Errors of dataset adapters and loaders; each names the file and the field at fault."""

from __future__ import annotations

import os

from neuroalign.errors import NeuroAlignError, ShapeMismatchError, StimulusMismatchError


class DataFormatError(NeuroAlignError, ValueError):
    """A data file's content does not fit what the loader was told to expect.

    Parameters
    ----------
    path : path-like
        The file at fault.
    field : str
        The header field, variable, column or attribute at fault (``"shape"``, ``"events"``, ``"RDMs.name"``).
    message : str
        What is wrong and what to do.
    """

    def __init__(self, path: str | os.PathLike[str], field: str, message: str) -> None:
        self.path, self.field, self.message = os.fspath(path), field, message
        super().__init__(f"{self.path}: {field}: {message}")


class GridMismatchError(DataFormatError, ShapeMismatchError):
    """A NIfTI image and its mask (or atlas) are not on the same voxel grid (shape or affine)."""


class ConditionMismatchError(DataFormatError, StimulusMismatchError):
    """A recording's conditions (event codes, labels) do not match the dataset's stimulus set."""


class NotProvidedError(NeuroAlignError, LookupError):
    """A dataset does not provide what was asked (recordings from an RDM-only dataset, or the reverse)."""

    def __str__(self) -> str:  # LookupError would otherwise quote the message like a dict key
        return str(self.args[0]) if self.args else ""
