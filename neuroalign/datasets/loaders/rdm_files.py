"""Precomputed RDM sets: MATLAB RSA-toolbox struct arrays, rsatoolbox HDF5, and neuroalign's own formats."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Sequence

import h5py
import numpy as np

from neuroalign.core.rdms import RDMs
from neuroalign.datasets.errors import DataFormatError
from neuroalign.registry import Registry


def matlab_text(value: Any) -> str:
    """A MATLAB char array (as scipy.io.loadmat returns it) as a Python string."""
    flat = np.asarray(value).ravel()
    return str(flat[0]) if flat.size else ""


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


def read_matlab_rdms(path: str | os.PathLike[str], stimulus_ids: Sequence[object], *, variable: str | None = None,
                     rdm_field: str = "RDM", name_field: str = "name", measure: str | None = None) -> RDMs:
    """RDMs from a MATLAB RSA-toolbox struct array (fields ``RDM``, ``name``, ``color``, ...).

    Parameters
    ----------
    path : path-like
        The ``.mat`` file.
    stimulus_ids : sequence
        The ids of the stimuli, in the matrices' row order (MATLAB files do not carry them).
    variable : str, optional
        The struct array's variable name; needed when the file has several.
    rdm_field, name_field : str
        Field names of the matrix and of the RDM's name (kept as the ``name`` descriptor).
    measure : str, optional
        The dissimilarity measure, by its neuroalign name.

    Returns
    -------
    RDMs
        One RDM per struct element, in MATLAB's element order read row-major (for a ``1 x subjects x sessions``
        array: subject by subject, sessions within subject), descriptor ``name``.
    """
    import scipy.io

    path = Path(path)
    variable, structs = _struct_variable(path, scipy.io.loadmat(path), variable, rdm_field)
    elements = structs.ravel(order="C")
    n = len(stimulus_ids)
    squares = [_square(path, f"{variable}[{k}].{rdm_field}", e[rdm_field], n) for k, e in enumerate(elements)]
    names = [matlab_text(e[name_field]) if name_field in structs.dtype.names else f"{variable}[{k}]"
             for k, e in enumerate(elements)]
    return RDMs.from_square(np.stack(squares), stimulus_ids, measure=measure, descriptors={"name": names})


def read_rsatoolbox_hdf5(path: str | os.PathLike[str], *, id_descriptor: str | None = None) -> RDMs:
    """RDMs saved by rsatoolbox (``RDMs.save(..., file_type="hdf5")``), stimulus ids from a pattern descriptor."""
    from rsatoolbox.rdm import load_rdm

    return RDMs.from_rsatoolbox(load_rdm(os.fspath(path), file_type="hdf5"), id_descriptor=id_descriptor)


def _read_neuroalign(path: Path, **kwargs: Any) -> RDMs:
    from neuroalign.io import read_rdms

    return read_rdms(path, **kwargs)


def _read_hdf5(path: Path, **kwargs: Any) -> RDMs:
    # HDF5 files declare who wrote them in their root attributes; read that rather than guess from content.
    with h5py.File(path, "r") as f:
        writer = "rsatoolbox" if "rsatoolbox_version" in f.attrs else "neuroalign"
    return RDM_READERS.get(f"{writer}_hdf5")(path, **kwargs)


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
        Passed to the reader (``stimulus_ids=`` and ``variable=`` for MATLAB files).
    """
    path = Path(path)
    if format is None:
        if path.suffix.lower() not in _SUFFIX_FORMATS:
            raise DataFormatError(path, "suffix", f"unknown RDM file type; pass format= one of {RDM_READERS.names()}")
        format = _SUFFIX_FORMATS[path.suffix.lower()]
    return RDM_READERS.get(format)(path, **options)


__all__ = ["RDM_READERS", "matlab_text", "read_matlab_rdms", "read_rdm_set", "read_rsatoolbox_hdf5"]
