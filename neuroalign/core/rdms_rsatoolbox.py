"""Conversions between :class:`~neuroalign.core.rdms.RDMs` and ``rsatoolbox.rdm.RDMs``.

Stimulus ids travel as the ``stimulus_id`` pattern descriptor; the distance travels as the label rsatoolbox gives
to exactly these values, or as ``"neuroalign:<distance>"`` where rsatoolbox has no such name (see
:mod:`neuroalign.core.distance_names`), and the exact neuroalign distance name is kept in the rsatoolbox RDMs'
``descriptors`` so that a round trip gives it back (objects exported before the rename keep it under
``neuroalign_measure``, which is still read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from neuroalign.core.descriptors import hashable
from neuroalign.core.distance_names import distance_from_rsatoolbox, rsatoolbox_label
from neuroalign.errors import InvalidOptionError, UnknownNameError

if TYPE_CHECKING:
    from neuroalign.core.rdms import RDMs

#: Key of the rsatoolbox RDMs' ``descriptors`` entry holding the neuroalign distance name.
DISTANCE_KEY = "neuroalign_distance"
#: The same entry as written by neuroalign 0.1.0 (still read).
LEGACY_DISTANCE_KEY = "neuroalign_measure"
#: The pattern descriptor that holds stimulus ids, written by :func:`to_rsatoolbox` and read by default.
ID_DESCRIPTOR = "stimulus_id"


def to_rsatoolbox(rdms: "RDMs") -> Any:
    """An ``rsatoolbox.rdm.RDMs`` with the same vectors, ids (``stimulus_id``), RDM descriptors and distance."""
    from rsatoolbox.rdm import RDMs as RsaRDMs

    table = rdms.descriptors
    return RsaRDMs(
        rdms.to_condensed(),
        dissimilarity_measure=rsatoolbox_label(rdms.distance),
        descriptors={} if rdms.distance is None else {DISTANCE_KEY: rdms.distance},
        rdm_descriptors={c: list(table[c]) for c in table.columns},
        pattern_descriptors={ID_DESCRIPTOR: list(rdms.stimulus_ids)},
    )


def _unique(values: list[Any]) -> bool:
    try:
        return len(set(values)) == len(values)
    except TypeError:  # unhashable values are no ids
        return False


def _id_descriptor(pattern: dict[str, list[Any]], wanted: str | None) -> str | None:
    """The pattern descriptor holding the ids, or ``None`` for positions (RDMs with no pattern descriptor)."""
    if wanted is not None:
        if wanted not in pattern:
            raise UnknownNameError(f"the rsatoolbox RDMs have no pattern descriptor {wanted!r}; they have "
                                   f"{sorted(pattern)}")
        return wanted
    if ID_DESCRIPTOR in pattern:
        return ID_DESCRIPTOR
    candidates = sorted(k for k, v in pattern.items() if k != "index" and _unique(v))
    if candidates:
        # rsatoolbox's "index" is a position: two RDMs with the same stimuli in another order would join wrongly.
        raise InvalidOptionError(
            f"the rsatoolbox RDMs carry the pattern descriptors {candidates}, each with a distinct value per pattern, "
            f"but no {ID_DESCRIPTOR!r}: say which one holds the stimulus ids with id_descriptor="
            f"{candidates[0]!r} (or id_descriptor='index' to identify stimuli by position)"
        )
    return "index" if "index" in pattern else None


def from_rsatoolbox(cls: type["RDMs"], rdms: Any, *, id_descriptor: str | None = None) -> "RDMs":
    """Convert an ``rsatoolbox.rdm.RDMs`` (see :meth:`RDMs.from_rsatoolbox`)."""
    vectors = np.asarray(rdms.get_vectors(), dtype=np.float64)
    pattern = {k: [hashable(v) for v in values] for k, values in rdms.pattern_descriptors.items()}
    key = _id_descriptor(pattern, id_descriptor)
    ids = pattern[key] if key is not None else list(range(rdms.n_cond))
    table = pd.DataFrame({k: [hashable(v) for v in values] for k, values in rdms.rdm_descriptors.items()
                          if k != "index"}, index=pd.RangeIndex(vectors.shape[0]))
    label = rdms.dissimilarity_measure
    kept = getattr(rdms, "descriptors", None) or {}
    distance = distance_from_rsatoolbox(label, kept.get(DISTANCE_KEY, kept.get(LEGACY_DISTANCE_KEY)))
    if distance is None and label is not None:
        table["rsatoolbox_measure"] = label  # kept verbatim: rsatoolbox's names mean other values than ours
    return cls.from_condensed(vectors, ids, descriptors=table if len(table.columns) else None, distance=distance)
