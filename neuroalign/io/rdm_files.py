"""Read and write RDM files in the formats users bring.

- ``.h5`` / ``.hdf5``: neuroalign's own RDMs format (:mod:`neuroalign.core.rdms_io`).
- ``.npz``: ``stimulus_ids`` and either ``square`` (``n x n`` or ``k x n x n``) or ``condensed`` (``n_pairs`` or
  ``k x n_pairs``); the key says which, so the layout is never guessed from the shape.
- ``.csv``: one square matrix with the stimulus ids as header and first column.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from neuroalign.core.rdms import RDMs


def read_rdms(path: str | os.PathLike[str]) -> RDMs:
    """Read RDMs from ``.h5``/``.hdf5``, ``.npz`` or ``.csv`` (see the module docstring for the layouts)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".h5", ".hdf5"):
        return RDMs.from_hdf5(path)
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as data:
            if "stimulus_ids" not in data.files:
                raise KeyError(f"{path}: no 'stimulus_ids' array; has {data.files}")
            ids = data["stimulus_ids"].tolist()
            if "square" in data.files:
                return RDMs.from_square(data["square"], ids)
            if "condensed" in data.files:
                return RDMs(data["condensed"], ids)
            raise KeyError(f"{path}: needs a 'square' or a 'condensed' array; has {data.files}")
    if suffix == ".csv":
        table = pd.read_csv(path, index_col=0)
        header = [str(c) for c in table.columns]
        index = [str(i) for i in table.index]
        if header != index:
            raise ValueError(f"{path}: the header and the first column must list the same stimulus ids in the same "
                             "order")
        return RDMs.from_square(table.to_numpy(dtype=np.float64), index)
    raise ValueError(f"{path}: unsupported RDM format {suffix!r}; use .h5, .hdf5, .npz or .csv")


def write_rdms(rdms: RDMs, path: str | os.PathLike[str]) -> None:
    """Write RDMs in neuroalign's HDF5 format (the only lossless one: it keeps descriptors and the measure)."""
    path = Path(path)
    if path.suffix.lower() not in (".h5", ".hdf5"):
        raise ValueError(f"{path}: RDMs are written as HDF5; use a .h5 or .hdf5 name")
    rdms.to_hdf5(path)
