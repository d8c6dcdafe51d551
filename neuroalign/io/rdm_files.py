"""Read and write RDM files in the formats users bring.

- ``.h5`` / ``.hdf5``: neuroalign's own RDMs format (:mod:`neuroalign.core.rdms_io`).
- ``.npz``: ``stimulus_ids`` and either ``square`` (``n x n`` or ``k x n x n``) or ``condensed`` (``n_pairs`` or
  ``k x n_pairs``); the key says which, so the layout is never guessed from the shape.
- ``.csv``: one square matrix with the stimulus ids as header and first column. Ids are read as text, exactly as
  written (``"001"`` stays ``"001"``); an empty cell or ``NA``/``NaN`` in the matrix is a missing pair.

Every failure is a :class:`~neuroalign.errors.DataFormatError` naming the file and what is wrong in it (or
``FileNotFoundError`` with the path).
"""

from __future__ import annotations

import os
from pathlib import Path

from neuroalign.core.rdms import RDMs
from neuroalign.errors import DataFormatError, InvalidOptionError, NeuroAlignError
from neuroalign.io.csv_rdm import read_csv_rdm
from neuroalign.utils.readers import npz_array, open_npz


def _read_npz(path: Path) -> RDMs:
    with open_npz(path, "an NPZ of RDMs (stimulus_ids and square or condensed)") as data:
        if "stimulus_ids" not in data.files:
            raise DataFormatError(path, "stimulus_ids", f"array missing; the file has {data.files}. Save the ids "
                                                        "with numpy.savez(..., stimulus_ids=ids)")
        layouts = [k for k in ("square", "condensed") if k in data.files]
        if len(layouts) != 1:
            found = "both 'square' and 'condensed'" if layouts else f"neither; it has {data.files}"
            raise DataFormatError(path, "square/condensed", f"needs exactly one of the arrays 'square' and "
                                                            f"'condensed'; found {found}")
        ids = npz_array(data, "stimulus_ids", path).tolist()
        values = npz_array(data, layouts[0], path)
    build = RDMs.from_square if layouts[0] == "square" else RDMs.from_condensed
    try:
        return build(values, ids)
    except NeuroAlignError as error:
        raise DataFormatError(path, layouts[0], str(error)) from None


def read_rdms(path: str | os.PathLike[str]) -> RDMs:
    """Read RDMs from ``.h5``/``.hdf5``, ``.npz`` or ``.csv`` (see the module docstring for the layouts).

    Raises
    ------
    DataFormatError
        For a file that is not of its suffix's format, or whose content does not fit it (missing arrays, object
        arrays, ids that do not match, duplicated or missing ids, a matrix that is not symmetric); the message
        names the file.
    FileNotFoundError
        For a path that does not exist.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".h5", ".hdf5"):
        return RDMs.from_hdf5(path)
    if suffix == ".npz":
        return _read_npz(path)
    if suffix == ".csv":
        return read_csv_rdm(path)
    raise DataFormatError(path, "suffix", f"unsupported RDM format {suffix!r}; use .h5, .hdf5, .npz or .csv")


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a :class:`~pathlib.Path` if RDMs can be written there (a ``.h5`` / ``.hdf5`` name).

    Raises
    ------
    InvalidOptionError
        For another suffix (check before computing, so that no work is lost).
    """
    path = Path(path)
    if path.suffix.lower() not in (".h5", ".hdf5"):
        raise InvalidOptionError(f"{path}: RDMs are written as HDF5; use a .h5 or .hdf5 name")
    return path


def write_rdms(rdms: RDMs, path: str | os.PathLike[str]) -> None:
    """Write RDMs in neuroalign's HDF5 format (the only lossless one: it keeps descriptors and the measure)."""
    rdms.to_hdf5(check_output_path(path))
