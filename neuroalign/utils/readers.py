"""Open the container files users bring (HDF5, NPZ) so that every failure names the file and what is wrong.

h5py reports a file that is not HDF5 (or is truncated) as an ``OSError`` without its path, and NumPy reports an
object array in an NPZ as a pickling problem without the file's name; here both become
:class:`~neuroalign.errors.DataFormatError` naming the file, the entry and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import zipfile
from typing import Any, Callable, Iterator

import numpy as np

from neuroalign.errors import DataFormatError

_MISSING = (FileNotFoundError, IsADirectoryError, PermissionError)


def _missing(path: str | os.PathLike[str], what: str, error: OSError) -> OSError:
    code = error.errno or errno.ENOENT
    kind = type(error) if isinstance(error, _MISSING) else FileNotFoundError
    return kind(code, f"cannot open {what}: {os.strerror(code)}", os.fspath(path))


def _open(path: str | os.PathLike[str], what: str, opener: Callable[[Any], Any],
          failures: tuple[type[BaseException], ...], problem: str) -> Any:
    try:
        return opener(path)
    except _MISSING as error:
        raise _missing(path, what, error) from None
    except failures as error:
        raise DataFormatError(path, "file", f"{problem} ({error}); expected {what}") from None


@contextlib.contextmanager
def open_hdf5(path: str | os.PathLike[str], what: str = "HDF5 file") -> Iterator[Any]:
    """Open ``path`` read-only with h5py.

    Raises
    ------
    FileNotFoundError, IsADirectoryError, PermissionError
        With the path, when the file cannot be opened at all.
    DataFormatError
        When the file is not HDF5, or is truncated or damaged.
    """
    import h5py

    handle = _open(path, what, lambda p: h5py.File(p, "r"), (OSError,),
                   "is not a readable HDF5 file: truncated, or another format with an .h5 name?")
    with handle:
        yield handle


@contextlib.contextmanager
def open_npz(path: str | os.PathLike[str], what: str = "NPZ file") -> Iterator[Any]:
    """Open ``path`` with ``numpy.load`` (never unpickling); read its arrays with :func:`npz_array`.

    Raises
    ------
    FileNotFoundError, IsADirectoryError, PermissionError
        With the path, when the file cannot be opened at all.
    DataFormatError
        When the file is not an NPZ archive (or is truncated).
    """
    data = _open(path, what, lambda p: np.load(p, allow_pickle=False),
                 (OSError, ValueError, EOFError, zipfile.BadZipFile),
                 "is truncated or damaged, or not an NPZ archive")
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise DataFormatError(path, "file", f"holds one array (an .npy file), not an NPZ archive of named arrays; "
                                            f"expected {what} (write it with numpy.savez)")
    with data:
        yield data


def npz_array(data: Any, key: str, path: str | os.PathLike[str]) -> np.ndarray:
    """The array ``key`` of an open NPZ archive.

    Raises
    ------
    DataFormatError
        For an object array (NumPy would need to unpickle it, which is refused: unpickling runs code) or a damaged
        member; the message says how to save it instead.
    """
    try:
        return data[key]
    except ValueError as error:
        if "allow_pickle" not in str(error):
            raise DataFormatError(path, key, f"cannot be read: {error}") from None
        raise DataFormatError(path, key, "is an object array, which neuroalign does not unpickle; save it with a "
                                         "plain dtype, e.g. numpy.asarray(ids, dtype=str) for ids") from None
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        raise DataFormatError(path, key, f"cannot be read ({error}); is the file truncated?") from None
