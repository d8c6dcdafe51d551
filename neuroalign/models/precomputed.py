"""Bring your own features: activations computed elsewhere, in HDF5 or NPZ, keyed by stimulus id."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import h5py
import numpy as np

from neuroalign.core.activations import Activations
from neuroalign.core.ids import normalize_ids, positions
from neuroalign.core.stimuli import StimulusSet
from neuroalign.data.mirror import sha256_of
from neuroalign.errors import DataFormatError, NeuroAlignError, ShapeMismatchError
from neuroalign.errors.adapters import EmptyStimulusSetError
from neuroalign.models.layers import resolve_layers
from neuroalign.utils.readers import npz_array, open_hdf5, open_npz

IDS_KEY = "stimulus_ids"


def _decode(values: Any) -> list[Any]:
    # Values other than bytes stay as they are, so that a NaN id is refused rather than becoming "nan".
    return [v.decode() if isinstance(v, bytes) else v for v in np.asarray(values).ravel()]


class PrecomputedAdapter:
    """Serve activations from a file: one ``(n_stimuli, ...)`` array per layer plus a ``stimulus_ids`` array.

    Accepted files:

    - NPZ: an array ``stimulus_ids`` and one array per layer (the array name is the layer name);
    - HDF5: a dataset ``stimulus_ids`` and one dataset per layer, at the top level or in a group ``layers``
      (a file written by :meth:`Activations.to_hdf5` or by the activation cache works as is).

    Arrays with more than two dimensions are flattened per stimulus. Rows are matched to a stimulus set by id, in
    the set's order; extra rows in the file are ignored.

    Parameters
    ----------
    path : path-like
        The ``.npz`` or ``.h5``/``.hdf5`` file.
    model_id : str, optional
        An id for the features (the file's stem by default).
    """

    modality = "any"

    def __init__(self, path: str | os.PathLike[str], *, model_id: str | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no features file at {self.path}")
        self.model_id = model_id or self.path.stem
        self._ids, self._layers = self._scan()

    def __repr__(self) -> str:
        return f"PrecomputedAdapter({str(self.path)!r}, {len(self._ids)} stimuli, {len(self._layers)} layers)"

    def _scan(self) -> tuple[tuple[str, ...], dict[str, str]]:
        if self.path.suffix == ".npz":
            with open_npz(self.path, "an NPZ of features (stimulus_ids and one array per layer)") as z:
                if IDS_KEY not in z.files:
                    raise ShapeMismatchError(f"{self.path} has no {IDS_KEY!r} array (found {z.files})")
                return self._ids_of(npz_array(z, IDS_KEY, self.path)), {k: k for k in z.files if k != IDS_KEY}
        with open_hdf5(self.path, "an HDF5 file of features (stimulus_ids and one dataset per layer)") as f:
            if IDS_KEY not in f:
                raise ShapeMismatchError(f"{self.path} has no {IDS_KEY!r} dataset (found {list(f)})")
            group = f["layers"] if isinstance(f.get("layers"), h5py.Group) else f
            prefix = "layers/" if group is not f else ""
            names = [k for k in group if k != IDS_KEY and isinstance(group[k], h5py.Dataset)]
            if "order" in group.attrs:
                order = _decode(group.attrs["order"])
                names = [n for n in order if n in names] + [n for n in names if n not in order]
            return self._ids_of(f[IDS_KEY][()]), {n: prefix + n for n in names}

    def _ids_of(self, values: Any) -> tuple[str, ...]:
        try:
            return normalize_ids(_decode(values))
        except NeuroAlignError as error:
            raise DataFormatError(self.path, IDS_KEY, str(error)) from None

    @property
    def layers(self) -> tuple[str, ...]:
        """The layer names in the file."""
        return tuple(self._layers)

    @property
    def stimulus_ids(self) -> tuple[str, ...]:
        """The ids of the file's rows."""
        return self._ids

    def _read(self, key: str, rows: np.ndarray) -> np.ndarray:
        if self.path.suffix == ".npz":
            with open_npz(self.path) as z:
                array = npz_array(z, key, self.path)[rows]
        else:
            with open_hdf5(self.path) as f:
                order = np.argsort(rows)  # h5py reads fancy indices only in increasing order
                array = np.empty((len(rows), *f[key].shape[1:]), dtype=f[key].dtype)
                array[order] = f[key][rows[order]]
        if array.ndim < 2:
            raise ShapeMismatchError(f"layer {key!r} in {self.path} must have a row per stimulus; shape "
                                     f"{array.shape}")
        return array.reshape(len(rows), -1)

    def fingerprint(self) -> dict[str, Any]:
        """The features file's name and sha256 (what changes the numbers)."""
        return {"features_file": self.path.name, "features_sha256": sha256_of(self.path)}

    def extract(self, stimuli: StimulusSet | Sequence[object], layers: str | Sequence[str] = "*",
                **options: Any) -> Activations:
        """The features of ``layers`` for the stimuli of ``stimuli`` (a set or a list of ids), in that order.

        Raises
        ------
        StimulusMismatchError
            If a requested stimulus id is not in the file (names the missing ids).
        UnknownNameError
            For a layer that is not in the file.
        """
        ids = stimuli.stimulus_ids if isinstance(stimuli, StimulusSet) else normalize_ids(stimuli)
        if not ids:
            raise EmptyStimulusSetError("the stimulus set is empty; there is nothing to extract")
        names = resolve_layers(layers, self.layers)
        rows = positions(self._ids, ids, source_name=f"features file {self.path.name}")
        data = {name: self._read(self._layers[name], rows) for name in names}
        return Activations(data, ids, model_id=self.model_id, descriptors={"source_file": str(self.path)})
