"""Text and ids out of MATLAB values as ``scipy.io.loadmat`` returns them (char arrays, cell arrays, numbers)."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.errors import StimulusMismatchError


def matlab_text(value: Any) -> str:
    """A MATLAB char array (as scipy.io.loadmat returns it) as a Python string."""
    flat = np.asarray(value).ravel()
    return str(flat[0]) if flat.size else ""


def _number(value: Any) -> object:
    # MATLAB stores numbers as doubles: the id 7 arrives as 7.0 and must join the id "7".
    number = value.item() if isinstance(value, np.generic) else value
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def _one_id(cell: Any, k: int) -> object:
    value = np.asarray(cell)
    if value.dtype.kind in "US":
        return matlab_text(value).rstrip()
    if value.dtype.kind in "iuf" and value.size == 1:
        return _number(value.ravel()[0])
    raise StimulusMismatchError(f"cell {k} holds {value.dtype} data of shape {value.shape}, not one id (a string "
                                "or a number)")


def matlab_ids(value: Any) -> list[object]:
    """Stimulus ids from a MATLAB variable: a cell array of strings or numbers, a char matrix (one id per row,
    trailing blanks removed), or a numeric vector (whole numbers as integers: MATLAB's ``7`` is the id ``"7"``).

    Raises
    ------
    StimulusMismatchError
        For a struct, a numeric matrix, or a cell that holds no single string or number.
    """
    array = np.asarray(value)
    if array.dtype.names:
        raise StimulusMismatchError(f"a struct array (fields {list(array.dtype.names)}) holds no ids; name a cell "
                                    "array, char matrix or numeric vector")
    if array.dtype == object:
        return [_one_id(cell, k) for k, cell in enumerate(array.ravel(order="F"))]
    if array.dtype.kind in "US":
        return [str(row).rstrip() for row in array.ravel()]
    if array.dtype.kind in "iuf":
        if array.ndim > 1 and min(array.shape) > 1:
            raise StimulusMismatchError(f"a numeric matrix of shape {array.shape} holds no id vector")
        return [_number(v) for v in array.ravel()]
    raise StimulusMismatchError(f"a MATLAB value of dtype {array.dtype} holds no ids")
