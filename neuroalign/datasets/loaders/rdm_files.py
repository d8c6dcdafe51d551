"""Precomputed RDM sets: MATLAB RSA-toolbox struct arrays, rsatoolbox HDF5, and neuroalign's own formats."""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from neuroalign.core.ids import normalize_ids
from neuroalign.core.rdms import RDMs
from neuroalign.datasets.loaders.matlab_ids import matlab_ids, matlab_text
from neuroalign.errors import DataFormatError, InvalidOptionError, NeuroAlignError
from neuroalign.io import read_rdms
from neuroalign.registry import Registry
from neuroalign.utils.readers import open_hdf5
from neuroalign.utils.renamed import renamed_keywords


def _struct_variable(path: Path, contents: dict, variable: str | None, rdm_field: str) -> tuple[str, np.ndarray]:
    structs = {k: v for k, v in contents.items() if not k.startswith("__") and getattr(v, "dtype", None) is not None
               and v.dtype.names and rdm_field in v.dtype.names}
    if variable is None:
        if len(structs) != 1:
            raise DataFormatError(path, "variable", f"expected exactly one struct array with a {rdm_field!r} field, "
                                                    f"found {sorted(structs)}; name one with variable=")
        variable = next(iter(structs))
    if variable not in structs:
        raise DataFormatError(path, variable, f"is not a struct array with a {rdm_field!r} field; candidates: "
                                              f"{sorted(structs)}")
    return variable, structs[variable]


def _square(path: Path, where: str, value: Any, n: int) -> np.ndarray:
    matrix = np.asarray(value, dtype=np.float64)
    if matrix.shape == (n, n):
        return matrix
    if matrix.ndim == 2 and 1 in matrix.shape and matrix.size == n * (n - 1) // 2:
        # RSA-toolbox's vectorised RDM (MATLAB squareform order, which equals scipy's condensed order)
        from scipy.spatial.distance import squareform

        return squareform(matrix.ravel(), checks=False)
    raise DataFormatError(path, where, f"has shape {matrix.shape}; expected a {n}x{n} matrix or a row of "
                                       f"{n * (n - 1) // 2} dissimilarities for {n} stimuli")


def load_matlab(path: Path) -> dict[str, Any]:
    """``scipy.io.loadmat(path)``, with every failure naming the file.

    Raises
    ------
    DataFormatError
        For a MATLAB v7.3 file (HDF5 inside, which scipy cannot read) or a file that is not a MAT-file.
    """
    import scipy.io

    try:
        return scipy.io.loadmat(path)
    except NotImplementedError:
        raise DataFormatError(path, "file", "is a MATLAB v7.3 file, which scipy.io cannot read; save it with "
                                            "save(..., '-v7') in MATLAB") from None
    except FileNotFoundError:
        raise
    except (scipy.io.matlab.MatReadError, ValueError, TypeError, OSError) as error:
        raise DataFormatError(path, "file", f"is not a readable MAT-file ({error})") from None


def _ids_from(path: Path, contents: dict[str, Any], stimulus_ids: Sequence[object] | None,
              ids_variable: str | None) -> list[str]:
    if stimulus_ids is not None and ids_variable is not None:
        raise DataFormatError(path, "stimulus_ids", "give the stimulus ids once: stimulus_ids= or ids_variable=")
    if stimulus_ids is not None:
        try:
            return list(normalize_ids(stimulus_ids))
        except NeuroAlignError as error:
            raise DataFormatError(path, "stimulus_ids", str(error)) from None
    if ids_variable is None:
        raise DataFormatError(path, "stimulus_ids", "MATLAB RDM files carry no stimulus ids: pass stimulus_ids= (in "
                                                    "the matrices' row order), or ids_variable= naming a cell array, "
                                                    "char matrix or numeric vector of ids in the file")
    if ids_variable not in contents:
        names = sorted(k for k in contents if not k.startswith("__"))
        raise DataFormatError(path, ids_variable, f"no such variable; the file has {names}")
    try:
        return list(normalize_ids(matlab_ids(contents[ids_variable]), what=ids_variable))
    except NeuroAlignError as error:
        raise DataFormatError(path, ids_variable, str(error)) from None


@renamed_keywords(measure="distance")
def read_matlab_rdms(path: str | os.PathLike[str], stimulus_ids: Sequence[object] | None = None, *,
                     ids_variable: str | None = None, variable: str | None = None, rdm_field: str = "RDM",
                     name_field: str = "name", distance: str | None = None) -> RDMs:
    """RDMs from a MATLAB RSA-toolbox struct array (fields ``RDM``, ``name``, ``color``, ...).

    Parameters
    ----------
    path : path-like
        The ``.mat`` file.
    stimulus_ids : sequence, optional
        The ids of the stimuli, in the matrices' row order. MATLAB RDM files do not carry them: give them here or
        name a variable of the file that holds them with ``ids_variable``.
    ids_variable : str, optional
        A variable of the file holding the ids: a cell array of strings, a char matrix, or a numeric vector (see
        :func:`matlab_ids`).
    variable : str, optional
        The struct array's variable name; needed when the file has several.
    rdm_field, name_field : str
        Field names of the matrix and of the RDM's name (kept as the ``name`` descriptor).
    distance : str, optional
        The RDM distance, by its neuroalign name (``measure=`` is its deprecated spelling).

    Returns
    -------
    RDMs
        One RDM per struct element, in MATLAB's element order read row-major (for a ``1 x subjects x sessions``
        array: subject by subject, sessions within subject), descriptor ``name``.

    Raises
    ------
    DataFormatError
        Naming the file and the variable at fault: no ids, a matrix of the wrong size, a matrix that is not
        symmetric with a zero diagonal, a file that is not a MAT-file.
    """
    path = Path(path)
    contents = load_matlab(path)
    ids = _ids_from(path, contents, stimulus_ids, ids_variable)
    variable, structs = _struct_variable(path, contents, variable, rdm_field)
    elements = structs.ravel(order="C")
    n = len(ids)
    squares = [_square(path, f"{variable}[{k}].{rdm_field}", e[rdm_field], n) for k, e in enumerate(elements)]
    names = [matlab_text(e[name_field]) if name_field in structs.dtype.names else f"{variable}[{k}]"
             for k, e in enumerate(elements)]
    try:
        return RDMs.from_square(np.stack(squares), ids, distance=distance, descriptors={"name": names})
    except NeuroAlignError as error:
        raise DataFormatError(path, variable, str(error)) from None


def read_rsatoolbox_hdf5(path: str | os.PathLike[str], *, id_descriptor: str | None = None) -> RDMs:
    """RDMs saved by rsatoolbox (``RDMs.save(..., file_type="hdf5")``), stimulus ids from a pattern descriptor.

    Raises
    ------
    DataFormatError
        For a file that is not HDF5 or that rsatoolbox cannot read, or RDMs whose stimulus ids are not clear (the
        message says which ``id_descriptor`` to pass).
    """
    from rsatoolbox.rdm import load_rdm

    with open_hdf5(path, "an rsatoolbox RDMs file"):
        pass  # a path-naming error for a file that is no HDF5 at all
    try:
        theirs = load_rdm(os.fspath(path), file_type="hdf5")
    except (KeyError, ValueError, TypeError, AttributeError, OSError) as error:
        raise DataFormatError(path, "file", f"rsatoolbox cannot read it as RDMs ({type(error).__name__}: "
                                            f"{error})") from None
    try:
        return RDMs.from_rsatoolbox(theirs, id_descriptor=id_descriptor)
    except NeuroAlignError as error:
        raise DataFormatError(path, "pattern_descriptors", str(error)) from None


def _read_neuroalign(path: Path) -> RDMs:
    return read_rdms(path)


def _read_hdf5(path: Path, **kwargs: Any) -> RDMs:
    # HDF5 files declare who wrote them in their root attributes; read that rather than guess from content.
    with open_hdf5(path, "an RDMs file (rsatoolbox's or neuroalign's HDF5)") as f:
        writer = "rsatoolbox" if "rsatoolbox_version" in f.attrs else "neuroalign"
    return _call(f"{writer}_hdf5", path, kwargs)


#: Format name -> reader ``(path, **options) -> RDMs``.
RDM_READERS: Registry[Callable[..., RDMs]] = Registry("RDM file format")
RDM_READERS.register("matlab", read_matlab_rdms)
RDM_READERS.register("rsatoolbox_hdf5", read_rsatoolbox_hdf5)
RDM_READERS.register("neuroalign_hdf5", _read_neuroalign)
RDM_READERS.register("hdf5", _read_hdf5)
RDM_READERS.register("npz", _read_neuroalign)
RDM_READERS.register("csv", _read_neuroalign)

_SUFFIX_FORMATS = {".mat": "matlab", ".h5": "hdf5", ".hdf5": "hdf5", ".npz": "npz", ".csv": "csv"}


def read_rdm_set(path: str | os.PathLike[str], format: str | None = None, **options: Any) -> RDMs:
    """Read precomputed RDMs in any supported format (see :data:`RDM_READERS`).

    Parameters
    ----------
    path : path-like
        The file.
    format : str, optional
        A registered format; by default from the suffix (``.mat``, ``.h5``/``.hdf5`` -- rsatoolbox's or
        neuroalign's, as the file's attributes declare --, ``.npz``, ``.csv``).
    **options
        Passed to the reader (``stimulus_ids=`` or ``ids_variable=``, and ``variable=`` for MATLAB files;
        ``id_descriptor=`` for rsatoolbox files).

    Raises
    ------
    DataFormatError
        Naming the file and what is wrong in it.
    InvalidOptionError
        For an option the format's reader does not take.
    """
    path = Path(path)
    if format is None:
        if path.suffix.lower() not in _SUFFIX_FORMATS:
            raise DataFormatError(path, "suffix", f"unknown RDM file type; pass format= one of {RDM_READERS.names()}")
        format = _SUFFIX_FORMATS[path.suffix.lower()]
    return _call(format, path, options)


def _call(format: str, path: Path, options: dict[str, Any]) -> RDMs:
    """Run the reader of ``format``, refusing options it does not take (a plain TypeError would not say which)."""
    reader = RDM_READERS.get(format)
    renamed = getattr(reader, "renamed_keywords", {})  # deprecated spellings the reader still accepts
    try:
        inspect.signature(reader).bind(path, **{renamed.get(k, k): v for k, v in options.items()})
    except TypeError:
        accepted = [p for p in list(inspect.signature(reader).parameters)[1:] if p != "kwargs"]
        raise InvalidOptionError(f"{path}: the {format!r} RDM reader takes no option "
                                 f"{sorted(options)}; its options: {accepted or 'none'}") from None
    return reader(path, **options)


__all__ = ["RDM_READERS", "load_matlab", "matlab_ids", "matlab_text", "read_matlab_rdms", "read_rdm_set",
           "read_rsatoolbox_hdf5"]
