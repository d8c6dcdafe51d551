"""One square RDM in a CSV file: stimulus ids as the header and as the first column, dissimilarities between.

Cells are read as text first (:mod:`neuroalign.io.text_cells`), so ids stay exactly as written: ``"001"`` is not
the number 1, and a repeated id is reported, not renamed ``"a.1"``.
"""

from __future__ import annotations

from pathlib import Path

from neuroalign.core.ids import normalize_ids
from neuroalign.core.rdms import RDMs
from neuroalign.errors import DataFormatError, NeuroAlignError
from neuroalign.io.text_cells import MISSING, is_number, parse_numbers, read_cells


def _ids(path: Path, corner: str, header: list[str], index: list[str]) -> list[str]:
    # Ids may look like numbers ("001"), but a number in the top-left corner as well means a bare matrix whose
    # first row and column would be taken for ids (and agree with each other, the matrix being symmetric).
    if corner.strip() not in MISSING and all(is_number(c) for c in [corner, *header, *index]):
        raise DataFormatError(path, "ids", "the first row and the first column hold numbers, not stimulus ids: a "
                                           "CSV RDM names its stimuli in a header row and in the first column "
                                           "(the top-left cell empty or a label)")
    for where, ids in (("header", header), ("first column", index)):
        try:
            normalize_ids(ids, what=f"the {where}")
        except NeuroAlignError as error:
            raise DataFormatError(path, where, str(error)) from None
    if header != index:
        if len(header) != len(index):
            detail = f"the header has {len(header)} ids but the first column {len(index)}"
        else:
            k = next(k for k, (a, b) in enumerate(zip(header, index)) if a != b)
            detail = f"position {k + 1} is {header[k]!r} in the header but {index[k]!r} in the first column"
        raise DataFormatError(path, "ids", f"the header and the first column must list the same stimulus ids in "
                                           f"the same order; {detail}")
    return header


def read_csv_rdm(path: str | Path) -> RDMs:
    """Read one square RDM from a CSV file (see the module docstring).

    Raises
    ------
    DataFormatError
        Naming the file and the id, cell or check at fault: ids that differ between header and first column,
        duplicated or empty ids, a cell that is not a number, a matrix that is not symmetric with a zero diagonal.
    """
    path = Path(path)
    cells = read_cells(path)
    if cells.shape[0] < 3 or cells.shape[1] < 3:
        raise DataFormatError(path, "shape", f"a CSV RDM needs a header row, an id column and at least 2 stimuli; "
                                             f"the table is {cells.shape[0]} x {cells.shape[1]}")
    ids = _ids(path, str(cells[0, 0]), [str(c) for c in cells[0, 1:]], [str(c) for c in cells[1:, 0]])
    values = parse_numbers(path, cells[1:, 1:], [repr(i) for i in ids], [repr(i) for i in ids])
    try:
        return RDMs.from_square(values, ids)
    except NeuroAlignError as error:
        raise DataFormatError(path, "matrix", str(error)) from None
