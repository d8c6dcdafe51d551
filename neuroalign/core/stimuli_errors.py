"""Exception types of reading stimuli from disk (each names the file, folder or ids at fault)."""

from __future__ import annotations

import os

from neuroalign.errors import NeuroAlignError, ShapeMismatchError


class StimulusFileError(NeuroAlignError, ValueError):
    """A stimulus file (or folder, or table) is missing, unreadable, or not what its name says.

    Parameters
    ----------
    path : path-like
        The file at fault.
    reason : str
        What is wrong and what to do.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        super().__init__(f"{self.path}: {reason}")


class NoStimuliError(StimulusFileError):
    """A folder or table holds no stimuli of the kind asked for."""


class MixedImageSizesError(ShapeMismatchError):
    """Images of several sizes where one size was required (``same_size=True``); names the sizes and files."""
