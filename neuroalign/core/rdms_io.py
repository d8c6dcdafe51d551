"""HDF5 storage of :class:`~neuroalign.core.rdms.RDMs`.

Layout (format version 1)::

    /                       attrs: format="neuroalign.rdms", format_version=1, measure (may be absent)
    /dissimilarities        float64 (n_rdms, n_pairs), condensed in scipy order
    /stimulus_ids           utf-8 strings (n,)
    /descriptors            utf-8 JSON string: the per-RDM table in pandas' "split" orientation
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

import h5py
import numpy as np
import pandas as pd

from neuroalign.errors import InvalidRDMError
from neuroalign.utils.atomic import atomic_path

if TYPE_CHECKING:
    from neuroalign.core.rdms import RDMs

FORMAT = "neuroalign.rdms"
FORMAT_VERSION = 1


def write_rdms_hdf5(rdms: "RDMs", path: str | os.PathLike[str]) -> None:
    """Write ``rdms`` to ``path`` atomically (overwrites an existing file only once the new one is complete)."""
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as f:
            f.attrs["format"] = FORMAT
            f.attrs["format_version"] = FORMAT_VERSION
            if rdms.measure is not None:
                f.attrs["measure"] = rdms.measure
            f.create_dataset("dissimilarities", data=rdms.dissimilarities, compression="gzip", shuffle=True)
            f.create_dataset("stimulus_ids", data=np.array(rdms.stimulus_ids, dtype=object),
                             dtype=h5py.string_dtype("utf-8"))
            f.create_dataset("descriptors", data=rdms.descriptors.to_json(orient="split", index=False),
                             dtype=h5py.string_dtype("utf-8"))


def read_rdms_hdf5(path: str | os.PathLike[str]) -> "RDMs":
    """Read RDMs written by :func:`write_rdms_hdf5`.

    Raises
    ------
    InvalidRDMError
        If the file is not a neuroalign RDMs file or has a newer format version.
    """
    from neuroalign.core.rdms import RDMs

    with h5py.File(path, "r") as f:
        if f.attrs.get("format") != FORMAT:
            raise InvalidRDMError(f"{os.fspath(path)!r} is not a neuroalign RDMs file (format attribute missing)")
        version = int(f.attrs["format_version"])
        if version > FORMAT_VERSION:
            raise InvalidRDMError(
                f"{os.fspath(path)!r} uses RDMs format version {version}; this neuroalign reads up to {FORMAT_VERSION}"
            )
        measure = f.attrs.get("measure")
        values = f["dissimilarities"][()]
        ids = [s.decode() if isinstance(s, bytes) else s for s in f["stimulus_ids"][()]]
        raw = f["descriptors"][()]
        descriptors = pd.read_json(io.StringIO(raw.decode() if isinstance(raw, bytes) else raw), orient="split")
    return RDMs(values, ids, descriptors=descriptors if len(descriptors.columns) else None,
                measure=None if measure is None else str(measure))
