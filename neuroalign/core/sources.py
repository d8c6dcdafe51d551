"""Where a feature matrix lives: in memory or in an HDF5 dataset, read in chunks of units (columns).

Engines that accumulate over units (the streaming RDM path) only ever ask a source for a block of columns, so a
layer larger than memory is never loaded whole.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Protocol, runtime_checkable

import h5py
import numpy as np

from neuroalign.errors import ShapeMismatchError
from neuroalign.utils.readers import open_hdf5


@runtime_checkable
class LayerSource(Protocol):
    """A ``stimulus x unit`` matrix that can be read one block of units at a time."""

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_stimuli, n_units)``."""

    @property
    def dtype(self) -> np.dtype:
        """The stored element type."""

    def read_units(self, start: int, stop: int) -> np.ndarray:
        """Return columns ``start:stop`` as an in-memory ``(n_stimuli, stop - start)`` array."""


def _check_2d(shape: tuple[int, ...], what: str) -> tuple[int, int]:
    if len(shape) != 2:
        raise ShapeMismatchError(f"{what} must be 2-D (stimulus x unit); got shape {shape}")
    return int(shape[0]), int(shape[1])


class ArraySource:
    """A feature matrix held in memory (never copied unless a read asks for a block)."""

    def __init__(self, array: np.ndarray) -> None:
        self._array = np.asarray(array)
        self._shape = _check_2d(self._array.shape, "an activation array")

    @property
    def shape(self) -> tuple[int, int]:
        return self._shape

    @property
    def dtype(self) -> np.dtype:
        return self._array.dtype

    def read_units(self, start: int, stop: int) -> np.ndarray:
        return self._array[:, start:stop]

    def __repr__(self) -> str:
        return f"ArraySource(shape={self._shape}, dtype={self.dtype})"


class HDF5Source:
    """A feature matrix in an HDF5 dataset, opened only while a block is read (safe to pickle to workers).

    Parameters
    ----------
    path : path-like
        The HDF5 file.
    dataset : str
        The dataset's name inside the file, shaped ``(n_stimuli, n_units)``.
    """

    def __init__(self, path: str | os.PathLike[str], dataset: str) -> None:
        self.path = Path(path)
        self.dataset = dataset
        with open_hdf5(self.path, "an HDF5 file of features") as f:
            if dataset not in f:
                raise KeyError(f"{self.path} has no dataset {dataset!r}")
            ds = f[dataset]
            self._shape = _check_2d(ds.shape, f"HDF5 dataset {dataset!r} in {self.path}")
            self._dtype = ds.dtype

    @property
    def shape(self) -> tuple[int, int]:
        return self._shape

    @property
    def dtype(self) -> np.dtype:
        return self._dtype

    def read_units(self, start: int, stop: int) -> np.ndarray:
        with h5py.File(self.path, "r") as f:
            return f[self.dataset][:, start:stop]

    def __repr__(self) -> str:
        return f"HDF5Source({str(self.path)!r}, {self.dataset!r}, shape={self._shape})"


def unit_blocks(n_units: int, block: int) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` pairs covering ``range(n_units)`` in blocks of at most ``block`` units."""
    if block < 1:
        raise ValueError(f"block size must be >= 1; got {block}")
    for start in range(0, n_units, block):
        yield start, min(start + block, n_units)
