"""Read response patterns from CSV / NPZ / HDF5 files into a :class:`~neuroalign.core.recording.Recording`.

Every format is a table of rows (one per stimulus, or per stimulus and run) by channels, with the stimulus id of
each row stated explicitly -- never inferred from row order:

- CSV: a stimulus-id column (``stimulus_id`` by default), an optional run column, and channel columns: those named
  by ``channel_columns`` (names or glob patterns), or else every other column. In the second case a column that
  looks like a design variable rather than a channel is refused (:mod:`neuroalign.io.pattern_columns`). Ids are
  read as text, exactly as written (``"001"`` stays ``"001"``).
- NPZ / HDF5: ``patterns`` (rows x channels), ``stimulus_ids`` (one per row), optional ``runs`` (one per row).

Every failure names the file (:class:`~neuroalign.errors.DataFormatError`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from neuroalign.core.recording import Recording
from neuroalign.errors import DataFormatError, InvalidOptionError, NeuroAlignError
from neuroalign.io.pattern_columns import channel_columns_of
from neuroalign.io.text_cells import parse_numbers, read_cells
from neuroalign.utils.readers import npz_array, open_hdf5, open_npz


def _check_labels(path: Path, field: str, labels: Sequence[Any], what: str) -> None:
    """Refuse a missing id or run label, naming its data row."""
    for row, value in enumerate(labels):
        if value is None or (isinstance(value, (float, np.floating)) and value != value) or str(value) == "":
            shown = repr(str(value)) if isinstance(value, str) else repr(value)
            raise DataFormatError(path, field, f"data row {row + 1} has no {what} ({shown}); every row needs one")


def _rows_to_recording(path: Path, values: np.ndarray, ids: Sequence[Any], runs: Sequence[Any] | None,
                       channels: Sequence[Any] | None) -> Recording:
    if values.ndim != 2 or len(ids) != values.shape[0]:
        raise DataFormatError(path, "patterns", f"patterns must be rows x channels with one stimulus id per row; "
                                                f"got patterns {values.shape} and {len(ids)} ids")
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise DataFormatError(path, "patterns", f"no data: {values.shape[0]} rows x {values.shape[1]} channels")
    _check_labels(path, "stimulus_ids", ids, "stimulus id")
    ids = [i.decode() if isinstance(i, bytes) else str(i) for i in ids]
    if runs is None:
        try:
            return Recording(values, ids, dims=("stimulus", "channel"), channels=channels)
        except NeuroAlignError as error:
            hint = " (repeated measures need a run column: run_column= / --run-column)" if len(set(ids)) < len(ids) \
                else ""
            raise DataFormatError(path, "stimulus_ids", f"{error}{hint}") from None
    if len(runs) != values.shape[0]:
        raise DataFormatError(path, "runs", f"{len(runs)} run labels for {values.shape[0]} rows")
    _check_labels(path, "runs", runs, "run label")
    run_labels = list(dict.fromkeys(runs))
    stimulus_order = list(dict.fromkeys(ids))
    cube = np.full((len(run_labels), len(stimulus_order), values.shape[1]), np.nan)
    seen: set[tuple[object, str]] = set()
    for row, (run, sid) in enumerate(zip(runs, ids)):
        if (run, sid) in seen:
            raise DataFormatError(path, "stimulus_ids", f"stimulus {sid!r} appears twice in run {run!r} (data row "
                                                        f"{row + 1})")
        seen.add((run, sid))
        cube[run_labels.index(run), stimulus_order.index(sid)] = values[row]
    return Recording(cube, stimulus_order, dims=("run", "stimulus", "channel"), channels=channels, runs=run_labels)


def _read_csv(path: Path, id_column: str, run_column: str | None, channel_columns: Any) -> Recording:
    cells = read_cells(path)
    header, body = [str(c) for c in cells[0]], cells[1:]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise DataFormatError(path, "header", f"column names {duplicated} occur more than once")
    for option, name in (("id_column", id_column), ("run_column", run_column)):
        if name is not None and name not in header:
            raise DataFormatError(path, name, f"no such column (the {option}); columns are {header[:10]}"
                                              f"{' ...' if len(header) > 10 else ''}")
    ids = [str(i) for i in body[:, header.index(id_column)]]
    runs = [str(r) for r in body[:, header.index(run_column)]] if run_column else None
    channels = channel_columns_of(path, header, body, reserved=[id_column, run_column], wanted=channel_columns)
    rows = [f"data row {k + 1}" for k in range(len(body))]
    values = parse_numbers(path, body[:, [header.index(c) for c in channels]], rows, channels, field="channels")
    return _rows_to_recording(path, values, ids, runs, channels)


def _read_npz(path: Path) -> Recording:
    with open_npz(path, "an NPZ of patterns (patterns, stimulus_ids, optional runs)") as data:
        missing = sorted({"patterns", "stimulus_ids"} - set(data.files))
        if missing:
            raise DataFormatError(path, missing[0], f"array missing; the file has {data.files}")
        runs = npz_array(data, "runs", path).tolist() if "runs" in data.files else None
        ids = npz_array(data, "stimulus_ids", path).tolist()
        return _rows_to_recording(path, npz_array(data, "patterns", path), ids, runs, None)


def _read_hdf5(path: Path) -> Recording:
    with open_hdf5(path, "an HDF5 file of patterns (patterns, stimulus_ids, optional runs)") as f:
        missing = sorted({"patterns", "stimulus_ids"} - set(f))
        if missing:
            raise DataFormatError(path, missing[0], f"dataset missing; the file has {sorted(f)}")
        runs = f["runs"][()].tolist() if "runs" in f else None
        return _rows_to_recording(path, f["patterns"][()], f["stimulus_ids"][()].tolist(), runs, None)


def read_patterns(path: str | os.PathLike[str], *, id_column: str = "stimulus_id", run_column: str | None = None,
                  channel_columns: str | Sequence[str] | None = None) -> Recording:
    """Read a patterns file (CSV, NPZ or HDF5) into a :class:`Recording`.

    Parameters
    ----------
    path : path-like
        The file; the format follows the suffix (``.csv``, ``.npz``, ``.h5``/``.hdf5``).
    id_column : str
        CSV column holding the stimulus ids.
    run_column : str, optional
        CSV column holding run labels; rows of the same stimulus in different runs stay apart (for crossnobis).
    channel_columns : str or sequence of str, optional
        CSV columns holding the channels: names or glob patterns (``"v*"``). By default every column other than
        the id and run columns, refusing columns that look like design variables (``session``, ``subject``,
        integer codes among real-valued channels): name the channels then.

    Raises
    ------
    DataFormatError
        Naming the file and the column, array or row at fault.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, id_column, run_column, channel_columns)
    for option, value in (("channel_columns", channel_columns), ("run_column", run_column)):
        if value is not None:
            raise InvalidOptionError(f"{path}: {option} applies to CSV files; NPZ and HDF5 patterns hold every "
                                     "channel in the 'patterns' array and the run labels in a 'runs' array")
    if suffix == ".npz":
        return _read_npz(path)
    if suffix in (".h5", ".hdf5"):
        return _read_hdf5(path)
    raise DataFormatError(path, "suffix", f"unsupported patterns format {suffix!r}; use .csv, .npz, .h5 or .hdf5")

