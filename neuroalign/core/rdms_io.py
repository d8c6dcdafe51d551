"""HDF5 storage of :class:`~neuroalign.core.rdms.RDMs`.

Layout (format version 1)::

    /                       attrs: format="neuroalign.rdms", format_version=1, distance (may be absent)
    /dissimilarities        float64 (n_rdms, n_pairs), condensed in scipy order
    /stimulus_ids           utf-8 strings (n,)
    /descriptors            utf-8 JSON string: the per-RDM table in pandas' "split" orientation

Files written before the attribute was called ``distance`` hold it as ``measure``; both are read, and both are
written (the old name for older versions of neuroalign, which read only ``measure``).
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

import h5py
import numpy as np
import pandas as pd

from neuroalign.core.descriptors import hashable
from neuroalign.errors import DataFormatError, NeuroAlignError
from neuroalign.utils.atomic import atomic_path
from neuroalign.utils.readers import open_hdf5

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
            if rdms.distance is not None:
                f.attrs["distance"] = rdms.distance
                f.attrs["measure"] = rdms.distance  # neuroalign 0.1.0 reads only this name
            f.create_dataset("dissimilarities", data=rdms.dissimilarities, compression="gzip", shuffle=True)
            f.create_dataset("stimulus_ids", data=np.array(rdms.stimulus_ids, dtype=object),
                             dtype=h5py.string_dtype("utf-8"))
            f.create_dataset("descriptors", data=rdms.descriptors.to_json(orient="split", index=False),
                             dtype=h5py.string_dtype("utf-8"))


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def read_rdms_hdf5(path: str | os.PathLike[str]) -> "RDMs":
    """Read RDMs written by :func:`write_rdms_hdf5`.

    Raises
    ------
    DataFormatError
        If the file is not HDF5, not a neuroalign RDMs file, has a newer format version, or misses a dataset
        (the message names the file).
    """
    from neuroalign.core.rdms import RDMs

    with open_hdf5(path, "a neuroalign RDMs file") as f:
        if f.attrs.get("format") != FORMAT:
            raise DataFormatError(path, "format", f"is not a neuroalign RDMs file (no format={FORMAT!r} attribute; "
                                                  f"it holds {sorted(f)[:10]}). rsatoolbox files are read by "
                                                  "neuroalign.datasets.loaders.rdm_files.read_rdm_set")
        version = int(f.attrs.get("format_version", 0))
        if version > FORMAT_VERSION:
            raise DataFormatError(path, "format_version", f"uses RDMs format version {version}; this neuroalign "
                                                          f"reads up to {FORMAT_VERSION}: upgrade neuroalign")
        missing = [k for k in ("dissimilarities", "stimulus_ids", "descriptors") if k not in f]
        if missing:
            raise DataFormatError(path, missing[0], f"dataset missing (a neuroalign RDMs file has dissimilarities, "
                                                    f"stimulus_ids and descriptors); the file holds {sorted(f)}")
        distance = f.attrs.get("distance", f.attrs.get("measure"))
        values = f["dissimilarities"][()]
        ids = [_text(s) for s in f["stimulus_ids"][()]]
        try:
            descriptors = pd.read_json(io.StringIO(_text(f["descriptors"][()])), orient="split")
        except ValueError as error:
            raise DataFormatError(path, "descriptors", f"is not the JSON table neuroalign writes ({error})") from None
    # JSON has no tuples: a tuple descriptor (a volume shape) comes back as a list, which could not be grouped.
    descriptors = descriptors.map(hashable) if len(descriptors.columns) else None
    try:
        return RDMs.from_condensed(values, ids, descriptors=descriptors,
                                   distance=None if distance is None else _text(distance))
    except NeuroAlignError as error:
        raise DataFormatError(path, "dissimilarities", str(error)) from None
