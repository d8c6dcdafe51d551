"""How the triggers of MNE's ``visual_92_categories`` (Cichy et al. 2014) map onto the 92 Kriegeskorte images.

MNE documents the mapping in its RSA and decoding examples: ``visual_stimuli.csv`` has one row per image with the
columns ``trigger, condition, human, face, animal, natural``; the event value of a row is ``trigger + 1``; and its
condition name is ``"<trigger>/<condition>/"`` followed by each flag's column name, prefixed ``not-`` where the flag
is 0. Its first row is documented as ``"0/human bodypart/human/not-face/animal/natural"`` with event value 1.
The 92 images are those of ``kriegeskorte2008_92images`` in the same order: event value ``k`` is image ``img<k>``.
:func:`check_visual_stimuli` verifies that claim row by row against the user's copy of ``visual_stimuli.csv``.
"""

from __future__ import annotations

import os
from typing import Mapping

import pandas as pd

from neuroalign.errors import DataFormatError

#: The flag columns of ``visual_stimuli.csv``, in MNE's order (also the metadata columns of the 92-image set).
FLAGS = ("human", "face", "animal", "natural")


def image_id(event_value: int) -> str:
    """The ``kriegeskorte2008_92images`` id of an event value (1..92): ``img01`` ... ``img92``."""
    if not 1 <= int(event_value) <= 92:
        raise DataFormatError("visual_92_categories", "event", f"event value {event_value} is not an image (1..92)")
    return f"img{int(event_value):02d}"


def condition_name(trigger: int, condition: str, flags: Mapping[str, bool]) -> str:
    """MNE's condition name of one row, built exactly as MNE's examples build it."""
    tags = [("" if flags[f] else "not-") + f for f in FLAGS]
    return "/".join([str(trigger), condition, *tags])


def event_id(metadata: pd.DataFrame) -> dict[str, int]:
    """MNE-style ``event_id`` (condition name -> event value) of the 92 images, from their metadata.

    Parameters
    ----------
    metadata : DataFrame
        The ``kriegeskorte2008_92images`` stimulus metadata (``category`` and the four flags), indexed ``img01``
        ... ``img92`` in order.
    """
    return {condition_name(k, row["category"], row): k + 1 for k, (_, row) in enumerate(metadata.iterrows())}


def check_visual_stimuli(path: str | os.PathLike[str], metadata: pd.DataFrame) -> dict[int, str]:
    """Event value -> image id, after checking every row of ``visual_stimuli.csv`` against the image metadata.

    Raises
    ------
    DataFormatError
        If a column is missing, or a row's condition or flags differ from those of the image its trigger names
        (the message names the trigger, the image and both descriptions): the trigger order would then not be
        the image order, and every RDM would be scrambled.
    """
    table = pd.read_csv(path)
    missing = {"trigger", "condition", *FLAGS} - set(table.columns)
    if missing:
        raise DataFormatError(path, "columns", f"missing {sorted(missing)}; expected trigger, condition, "
                                               f"{', '.join(FLAGS)} as MNE documents")
    mapping = {}
    for _, row in table.iterrows():
        value = int(row["trigger"]) + 1
        image = image_id(value)
        expected = condition_name(value - 1, metadata.loc[image, "category"], metadata.loc[image])
        found = condition_name(value - 1, str(row["condition"]), {f: bool(row[f]) for f in FLAGS})
        if found != expected:
            raise DataFormatError(path, f"trigger {value - 1}",
                                  f"describes {found!r} but image {image} is {expected!r}; the trigger order does "
                                  "not match kriegeskorte2008_92images")
        mapping[value] = image
    if len(mapping) != 92:
        raise DataFormatError(path, "rows", f"expected the 92 images once each; found {len(mapping)} triggers")
    return mapping
