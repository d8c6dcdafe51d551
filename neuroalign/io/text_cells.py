"""CSV tables read as text first, numbers parsed afterwards, so that ids stay exactly as written.

pandas would turn the id ``"001"`` into the number 1, an id ``"NA"`` into a missing value, and a repeated column
name ``"a"`` into ``"a.1"``; reading every cell as text and parsing only the numeric cells avoids all three, and a
cell that is not a number is reported by its row and column.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from neuroalign.errors import DataFormatError

#: Numeric cells read as missing (NaN).
MISSING = frozenset({"", "NA", "NaN", "nan", "N/A", "null"})


def read_cells(path: Path) -> np.ndarray:
    """Every cell of the CSV file ``path`` (header row included) as a 2-D array of strings.

    Blank lines are skipped; a UTF-8 byte-order mark (Excel) is dropped.

    Raises
    ------
    DataFormatError
        For an empty file, a line with another number of fields than the first, or a file that is not text.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            lines = [(number, row) for number, row in enumerate(csv.reader(handle), start=1) if row]
    except (UnicodeDecodeError, csv.Error) as error:
        raise DataFormatError(path, "file", f"is not a readable CSV table ({error})") from None
    if not lines:
        raise DataFormatError(path, "file", "is empty")
    width = len(lines[0][1])
    for number, row in lines:
        if len(row) != width:  # pandas would pad a short row with empty cells, read as missing values
            raise DataFormatError(path, f"line {number}", f"has {len(row)} fields but the header has {width}")
    return np.array([row for _, row in lines], dtype=object)


def is_number(text: str) -> bool:
    """Whether a cell holds a number (or a missing-value marker)."""
    if text.strip() in MISSING:
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_numbers(path: Path, cells: np.ndarray, rows: Sequence[str], columns: Sequence[str], *,
                  field: str = "matrix") -> np.ndarray:
    """Float64 values of a block of text cells; :data:`MISSING` markers become NaN.

    Raises
    ------
    DataFormatError
        Naming the first cell that is not a number by its row and column labels.
    """
    text = np.char.strip(np.asarray(cells, dtype=str))
    missing = np.isin(text, sorted(MISSING))
    flat = pd.Series(np.where(missing, "nan", text).ravel(), dtype=object)
    values = pd.to_numeric(flat, errors="coerce").to_numpy(dtype=np.float64).reshape(text.shape)
    bad = np.argwhere(np.isnan(values) & ~missing)
    if bad.size:
        i, j = bad[0]
        raise DataFormatError(path, field, f"cell ({rows[i]}, {columns[j]}) is {str(cells[i, j])!r}, not a number")
    return values
