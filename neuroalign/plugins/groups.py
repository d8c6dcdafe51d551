"""The four plugin kinds and the entry-point group each is registered in."""

from __future__ import annotations

from neuroalign.entry_points import GROUPS, KINDS
from neuroalign.errors.applications import UnknownKindError
from neuroalign.registry import unknown_name_error

__all__ = ["GROUPS", "KINDS", "parse_kind"]


def parse_kind(text: str) -> str:
    """The kind named by ``text``, singular or plural (``"models"`` -> ``"model"``).

    Raises
    ------
    UnknownKindError
        For anything else, with the close matches.
    """
    singular = text[:-1] if text.endswith("s") and text[:-1] in KINDS else text
    if singular in KINDS:
        return singular
    error = unknown_name_error("plugin kind", text, [*KINDS, *(f"{k}s" for k in KINDS)], available=KINDS)
    raise UnknownKindError(*error.args)
