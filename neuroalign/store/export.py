"""Export a results table to CSV or Parquet, atomically: a reader never sees half a file."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from neuroalign.utils.atomic import atomic_path


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
    """
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, engine="pyarrow")
    return Path(path)
