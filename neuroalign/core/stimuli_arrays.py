"""Images stored as one array in an HDF5 or NPZ file: ``(n, height, width[, channels])``, one row per stimulus.

Each stimulus's payload is an :class:`ArrayImage`, a reference to its row: nothing is loaded until a model reads
it, and its content hash (the activation cache's key) is taken from the row's bytes, as a file payload's is from the
file's. HDF5 rows are read one by one; an NPZ entry can only be read whole, so it is read once and kept.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from neuroalign.errors import StimulusFileError
from neuroalign.utils.readers import npz_array, open_hdf5, open_npz

#: The array names tried, in order, when no key is given (else: the file's only array besides the ids).
IMAGE_KEYS = ("images", "image", "stimuli", "pixels")
IDS_KEY = "stimulus_ids"


@dataclass(frozen=True)
class ArrayImage:
    """One image, row ``index`` of array ``key`` in ``path`` (HDF5 or NPZ), channels last."""

    path: Path
    key: str
    index: int

    def load(self) -> np.ndarray:
        """The row as an ``(height, width[, channels])`` uint8 array (floats in [0, 1] are scaled to 0..255)."""
        return _as_uint8(self.path, self.key, _row(self.path, self.key, self.index))

    def digest(self) -> str:
        """sha256 of the row's dtype, shape and bytes."""
        row = np.ascontiguousarray(_row(self.path, self.key, self.index))
        return hashlib.sha256(f"{row.dtype.str}{row.shape}".encode() + row.tobytes()).hexdigest()


def _stat(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def _row(path: Path, key: str, index: int) -> np.ndarray:
    if path.suffix.lower() == ".npz":
        return _npz_array(*_stat(path), key)[index]

    with open_hdf5(path, "an HDF5 file of images") as f:
        return np.asarray(f[key][index])


@functools.lru_cache(maxsize=2)
def _npz_array(path: str, size: int, mtime: int, key: str) -> np.ndarray:
    with open_npz(path, "an NPZ file of images") as z:
        return npz_array(z, key, path)


def _as_uint8(path: Path, key: str, row: np.ndarray) -> np.ndarray:
    if row.dtype == np.uint8:
        return row
    if np.issubdtype(row.dtype, np.floating):
        if not np.isfinite(row).all() or row.min() < 0 or row.max() > 1:
            raise StimulusFileError(path, f"array {key!r}: float images must hold values in [0, 1] (found "
                                          f"[{np.nanmin(row):g}, {np.nanmax(row):g}]); store uint8 0..255 instead")
        return np.round(row * 255.0).astype(np.uint8)
    raise StimulusFileError(path, f"array {key!r} has dtype {row.dtype}; images must be uint8 (0..255) or float "
                                  "(0..1)")


def _check_layout(path: Path, key: str, shape: tuple[int, ...], dtype: np.dtype) -> None:
    if len(shape) not in (3, 4) or (len(shape) == 4 and shape[3] not in (1, 3, 4)):
        first = " (channels first? store (n, height, width, channels))" if len(shape) == 4 and shape[1] in (1, 3, 4) \
            else ""
        raise StimulusFileError(path, f"array {key!r} of shape {shape} is not (n, height, width) or (n, height, "
                                      f"width, channels) with 1, 3 or 4 channels{first}")
    if not (dtype == np.uint8 or np.issubdtype(dtype, np.floating)):
        raise StimulusFileError(path, f"array {key!r} has dtype {dtype}; images must be uint8 (0..255) or float (0..1)")


def _scan(path: Path, key: str | None) -> tuple[str, tuple[int, ...], np.dtype, list[Any] | None]:
    """``(key, shape, dtype, ids or None)`` of the image array in ``path``, reading no pixels from HDF5."""
    if path.suffix.lower() == ".npz":
        with open_npz(path, "an NPZ file of images") as z:
            names = list(z.files)
            key = _pick_key(path, key, names)
            array = npz_array(z, key, path)
            ids = npz_array(z, IDS_KEY, path).tolist() if IDS_KEY in names else None
            return key, array.shape, array.dtype, ids
    with open_hdf5(path, "an HDF5 file of images") as f:
        names = [n for n in f if hasattr(f[n], "shape")]
        key = _pick_key(path, key, names)
        ids = [v.decode() if isinstance(v, bytes) else v for v in f[IDS_KEY][()].tolist()] if IDS_KEY in f else None
        return key, tuple(f[key].shape), f[key].dtype, ids


def _pick_key(path: Path, key: str | None, names: list[str]) -> str:
    if key is not None:
        if key not in names:
            raise StimulusFileError(path, f"has no array {key!r}; it holds {names}")
        return key
    preferred = [k for k in IMAGE_KEYS if k in names]
    if preferred:
        return preferred[0]
    others = [n for n in names if n != IDS_KEY]
    if len(others) != 1:
        raise StimulusFileError(path, f"holds {names}; say which array holds the images (key=...)")
    return others[0]


def image_array(path: str | os.PathLike[str], *, key: str | None = None, name: str | None = None) -> Any:
    """A :class:`~neuroalign.core.stimuli.StimulusSet` over the images stored as one array in an HDF5 or NPZ file.

    Parameters
    ----------
    path : path-like
        ``.h5`` / ``.hdf5`` / ``.npz``.
    key : str, optional
        The array's name (default: ``images``, ``image``, ``stimuli`` or ``pixels``, or the only array besides the
        ids). Shape ``(n, height, width)`` or ``(n, height, width, channels)`` with 1, 3 or 4 channels (channels
        last), dtype uint8 (0..255) or float (0..1).
    name : str, optional
        The set's name (the file's stem by default).

    Returns
    -------
    StimulusSet
        Ids from the file's ``stimulus_ids`` array (else ``img0000``, ``img0001``...), image payloads
        :class:`ArrayImage`.

    Raises
    ------
    StimulusFileError
        For a file that is not HDF5/NPZ, no image array, an array of another layout or dtype, or ids that do not
        match the number of images.
    DuplicateStimulusError
        For repeated ids.
    """
    from neuroalign.core.stimuli import StimulusSet

    path = Path(path)
    if not path.is_file():
        raise StimulusFileError(path, "no such file")
    key, shape, dtype, ids = _scan(path, key)
    _check_layout(path, key, shape, dtype)
    n = shape[0]
    if ids is None:
        ids = [f"img{k:04d}" for k in range(n)]
    elif len(ids) != n:
        raise StimulusFileError(path, f"{IDS_KEY!r} has {len(ids)} ids for {n} images in {key!r}")
    payloads = [ArrayImage(path.resolve(), key, k) for k in range(n)]
    return StimulusSet(ids, payloads={"image": payloads}, name=name or path.stem)
