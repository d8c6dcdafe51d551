"""Tables of numbers for heatmaps: checked once, for every plot that draws one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from neuroalign.errors.applications import PlotInputError

if TYPE_CHECKING:
    import pandas as pd


def numeric_values(table: "pd.DataFrame", what: str, cells: str) -> np.ndarray:
    """The table's cells as a float64 array (NaN where missing).

    Raises
    ------
    PlotInputError
        For an empty table (the ``what`` table, e.g. ``"score"``) or ``cells`` (e.g. ``"scores"``) that are not
        numbers.
    """
    import pandas as pd

    if table.shape[0] == 0 or table.shape[1] == 0:
        raise PlotInputError(f"the {what} table is empty (shape {table.shape})")
    try:
        return table.apply(pd.to_numeric).to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise PlotInputError(f"{cells} must be numeric: {error}") from error
