"""Read response patterns from CSV / NPZ / HDF5 files into a :class:`~neuroalign.core.recording.Recording`.

Every format is a table of rows (one per stimulus, or per stimulus and run) by channels, with the stimulus id of
each row stated explicitly -- never inferred from row order:

- CSV: a stimulus-id column (``stimulus_id`` by default), an optional run column, every other column a channel.
- NPZ / HDF5: ``patterns`` (rows x channels), ``stimulus_ids`` (one per row), optional ``runs`` (one per row).
"""

from __future__ import annotations

import os
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from neuroalign.core.recording import Recording
from neuroalign.errors import ShapeMismatchError, StimulusMismatchError


def _rows_to_recording(values: np.ndarray, ids: np.ndarray, runs: np.ndarray | None, channels, source: str
                       ) -> Recording:
    if values.ndim != 2 or len(ids) != values.shape[0]:
        raise ShapeMismatchError(f"{source}: patterns must be rows x channels with one stimulus id per row; "
                                 f"got patterns {values.shape} and {len(ids)} ids")
    ids = np.asarray([str(i) for i in ids], dtype=object)
    if runs is None:
        return Recording(values, ids, dims=("stimulus", "channel"), channels=channels)
    if len(runs) != values.shape[0]:
        raise ShapeMismatchError(f"{source}: {len(runs)} run labels for {values.shape[0]} rows")
    run_labels = list(dict.fromkeys(runs.tolist()))
    stimulus_order = list(dict.fromkeys(ids.tolist()))
    cube = np.full((len(run_labels), len(stimulus_order), values.shape[1]), np.nan)
    seen: set[tuple[object, str]] = set()
    for row, (run, sid) in enumerate(zip(runs.tolist(), ids.tolist())):
        if (run, sid) in seen:
            raise StimulusMismatchError(f"{source}: stimulus {sid!r} appears twice in run {run!r}")
        seen.add((run, sid))
        cube[run_labels.index(run), stimulus_order.index(sid)] = values[row]
    return Recording(cube, stimulus_order, dims=("run", "stimulus", "channel"), channels=channels, runs=run_labels)


def read_patterns(path: str | os.PathLike[str], *, id_column: str = "stimulus_id", run_column: str | None = None
                  ) -> Recording:
    """Read a patterns file (CSV, NPZ or HDF5) into a :class:`Recording`.

    Parameters
    ----------
    path : path-like
        The file; the format follows the suffix (``.csv``, ``.npz``, ``.h5``/``.hdf5``).
    id_column : str
        CSV column holding the stimulus ids.
    run_column : str, optional
        CSV column holding run labels; rows of the same stimulus in different runs stay apart (for crossnobis).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = pd.read_csv(path)
        if id_column not in table.columns:
            raise KeyError(f"{path}: no column {id_column!r}; columns are {list(table.columns)[:10]}")
        runs = table.pop(run_column).to_numpy() if run_column else None
        ids = table.pop(id_column).to_numpy()
        non_numeric = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
        if non_numeric:
            raise ShapeMismatchError(f"{path}: channel columns must be numeric; {non_numeric[:5]} are not "
                                     "(name the id column with --id-column and the run column with --run-column)")
        return _rows_to_recording(table.to_numpy(dtype=np.float64), ids, runs, list(table.columns), str(path))
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as data:
            missing = {"patterns", "stimulus_ids"} - set(data.files)
            if missing:
                raise KeyError(f"{path}: missing arrays {sorted(missing)}; has {data.files}")
            runs = data["runs"] if "runs" in data.files else None
            return _rows_to_recording(data["patterns"], data["stimulus_ids"], runs, None, str(path))
    if suffix in (".h5", ".hdf5"):
        with h5py.File(path, "r") as f:
            missing = {"patterns", "stimulus_ids"} - set(f)
            if missing:
                raise KeyError(f"{path}: missing datasets {sorted(missing)}; has {list(f)}")
            runs = f["runs"][()] if "runs" in f else None
            ids = np.asarray([i.decode() if isinstance(i, bytes) else str(i) for i in f["stimulus_ids"][()]],
                             dtype=object)
            return _rows_to_recording(f["patterns"][()], ids, runs, None, str(path))
    raise ValueError(f"{path}: unsupported patterns format {suffix!r}; use .csv, .npz, .h5 or .hdf5")
