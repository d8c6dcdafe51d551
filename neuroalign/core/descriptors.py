"""Per-item descriptor tables (one row per RDM, per layer, ...) kept as small pandas DataFrames."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

from neuroalign.errors import ShapeMismatchError


def descriptor_table(descriptors: pd.DataFrame | Mapping[str, Any] | None, n: int, *, what: str) -> pd.DataFrame:
    """Build a fresh ``n``-row descriptor table.

    A mapping value that is a scalar (or a string) applies to every row; a sequence must have ``n`` entries.
    """
    if descriptors is None:
        return pd.DataFrame(index=pd.RangeIndex(n))
    if isinstance(descriptors, pd.DataFrame):
        table = descriptors.reset_index(drop=True).copy()
    else:
        columns = {}
        for key, value in descriptors.items():
            if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
                value = [value] * n
            columns[str(key)] = list(value)
        lengths = {k: len(v) for k, v in columns.items() if len(v) != n}
        if lengths:
            raise ShapeMismatchError(f"{what} descriptors must have {n} entries each; got {lengths}")
        table = pd.DataFrame(columns, index=pd.RangeIndex(n))
    if len(table) != n:
        raise ShapeMismatchError(f"{what} descriptors have {len(table)} rows for {n} items")
    for column in table.columns:  # lists and arrays as tuples, so that descriptors can be grouped and matched
        if table[column].dtype == object and table[column].map(lambda v: isinstance(v, (list, np.ndarray))).any():
            table[column] = table[column].map(hashable)
    return table


def hashable(value: Any) -> Any:
    """A descriptor value as a hashable scalar: lists and arrays (a tuple after a JSON or HDF5 round trip) become
    tuples, NumPy scalars Python scalars, so that descriptors can be grouped, matched and compared."""
    if isinstance(value, np.ndarray):
        return hashable(value.tolist()) if value.ndim else value.item()
    if isinstance(value, (list, tuple)):
        return tuple(hashable(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    return value
