"""Block sources: where the engine reads ``(b, R, n, c)`` blocks of units from, in memory or on disk.

A block source is anything with a ``shape`` ``(b, R, n, p)`` (batch entries, runs, stimuli, units) and a
``read(start, stop)`` that returns units ``start:stop`` of every entry, run and stimulus as an in-memory array. A
:class:`Group` stacks sources of the same shape along the batch axis so that one batched product serves them all.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

from neuroalign.core.sources import LayerSource


class BlockSource(Protocol):
    """Patterns readable one block of units at a time."""

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """``(b, R, n, p)``: batch entries, runs, stimuli, units."""

    def read(self, start: int, stop: int) -> np.ndarray:
        """Units ``start:stop`` as a ``(b, R, n, stop - start)`` array."""

    @property
    def view_dtype(self) -> np.dtype | None:
        """The dtype of the in-memory array that :meth:`read` returns views of (no copy), or None if it copies."""


class ArrayBlocks:
    """A ``(b, R, n, p)`` array (often a view of a caller's array, never written to); ``rows`` selects stimuli."""

    def __init__(self, array: np.ndarray, rows: np.ndarray | None = None) -> None:
        self._array = array
        self._rows = rows
        b, r, n, p = array.shape
        self._shape = (b, r, n if rows is None else len(rows), p)

    @property
    def shape(self) -> tuple[int, int, int, int]:
        return self._shape

    def read(self, start: int, stop: int) -> np.ndarray:
        block = self._array[..., start:stop]
        return block if self._rows is None else block[:, :, self._rows]

    @property
    def view_dtype(self) -> np.dtype | None:
        # A slice of units is a view; selected rows are a copy. Only unit-strided units are read by BLAS in place.
        unit_strided = self._array.strides[-1] == self._array.itemsize
        return self._array.dtype if self._rows is None and unit_strided else None


class LayerBlocks:
    """A :class:`~neuroalign.core.sources.LayerSource` (``stimulus x unit``) as a one-entry, one-run source."""

    def __init__(self, source: LayerSource, rows: np.ndarray | None = None) -> None:
        self._source = source
        self._rows = rows
        n, p = source.shape
        self._shape = (1, 1, n if rows is None else len(rows), p)

    @property
    def shape(self) -> tuple[int, int, int, int]:
        return self._shape

    def read(self, start: int, stop: int) -> np.ndarray:
        block = np.asarray(self._source.read_units(start, stop))
        if self._rows is not None:
            block = block[self._rows]
        return block[None, None]

    @property
    def view_dtype(self) -> np.dtype | None:
        return None  # read from a file (or a source that may compute its values)


class Group:
    """Sources of equal ``(R, n, p)`` read together, stacked along the batch axis."""

    def __init__(self, sources: Sequence[BlockSource]) -> None:
        self._sources = list(sources)
        shapes = {s.shape[1:] for s in self._sources}
        if len(shapes) != 1:
            raise ValueError(f"a group needs sources of one (runs, stimuli, units) shape; got {sorted(shapes)}")
        self._shape = (sum(s.shape[0] for s in self._sources), *shapes.pop())

    @property
    def shape(self) -> tuple[int, int, int, int]:
        return self._shape

    def read(self, start: int, stop: int) -> np.ndarray:
        if len(self._sources) == 1:
            return self._sources[0].read(start, stop)
        return np.concatenate([s.read(start, stop) for s in self._sources], axis=0)

    @property
    def view_dtype(self) -> np.dtype | None:
        # Several sources are concatenated into a new array.
        return self._sources[0].view_dtype if len(self._sources) == 1 else None
