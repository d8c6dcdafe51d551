"""Check that the conditions found in a data file are exactly the stimulus set's."""

from __future__ import annotations

import os
from typing import Iterable, Sequence

from neuroalign.errors import ConditionMismatchError


def check_conditions(found: Iterable[str], expected: Sequence[str], *, path: str | os.PathLike[str], field: str
                     ) -> None:
    """Raise :class:`ConditionMismatchError` naming ``path`` and ``field`` unless ``found`` equals ``expected``."""
    found_set, expected_set = set(found), set(expected)
    extra, missing = sorted(found_set - expected_set), sorted(expected_set - found_set)
    if extra or missing:
        raise ConditionMismatchError(path, field, f"conditions do not match the stimulus set: "
                                                  f"not in the stimulus set {extra}, absent from the file {missing}")
