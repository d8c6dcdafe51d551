"""The four plugin kinds and the entry-point group each is registered in."""

from __future__ import annotations

from neuroalign.plugins.errors import UnknownKindError
from neuroalign.registry import unknown_name_error

#: Plugin kinds, in the order listings show them.
KINDS = ("model", "dataset", "metric", "benchmark")

#: kind -> entry-point group that installed distributions register it in.
GROUPS = {kind: f"neuroalign.{kind}s" for kind in KINDS}


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
