"""Export a results table to CSV or Parquet, atomically: a reader never sees half a file.

An export is read without the docs at hand, so its score columns say which scale they are on: ``raw_value`` and
its interval ``raw_interval_low`` / ``raw_interval_high`` are the benchmark's raw score, ``normalized_value`` is
``raw_value / ceiling`` (empty without a positive ceiling). Every other column keeps the store's name.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from neuroalign.errors.applications import MissingExtraError
from neuroalign.utils.atomic import atomic_path


#: The store's score columns under the names an export gives them.
EXPORT_NAMES = {"value": "raw_value", "interval_low": "raw_interval_low", "interval_high": "raw_interval_high",
                "normalized": "normalized_value"}


def export_frame(results: pd.DataFrame) -> pd.DataFrame:
    """The results table with the export's column names (:data:`EXPORT_NAMES`)."""
    return results.rename(columns=EXPORT_NAMES)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as UTF-8 CSV with a header row and no index.

    Parameters
    ----------
    frame : DataFrame
        The table (text, numbers, bools; JSON columns as text).
    path : path-like
        The file; its directory is created if missing, and an existing file is replaced only once the new one is
        complete.

    Returns
    -------
    Path
        ``path``.
    """
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return Path(path)


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as Parquet with pyarrow, keeping dtypes (nullable ``Int64``, bool).

    Parameters
    ----------
    frame : DataFrame
        The table.
    path : path-like
        The file, written atomically as in :func:`write_csv`.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    MissingExtraError
        When pyarrow (the ``parquet`` extra) is not installed; nothing is written.
    """
    try:
        import pyarrow  # noqa: F401 - an optional extra: checked before anything is written
    except ImportError as error:
        raise MissingExtraError(
            f"cannot write {os.fspath(path)!r}: Parquet export needs pyarrow, which is not installed: pip install "
            "'neuroalign[parquet]' (or export CSV, which needs nothing)") from error
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, engine="pyarrow")
    return Path(path)
