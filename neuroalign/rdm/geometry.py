"""Whether an RDM holds squared Euclidean distances: the one place that asks its distance's registry entry.

Double centring (:func:`neuroalign.core.centring.double_centre`) turns squared Euclidean distances between patterns
into the Gram matrix of the centred patterns. Whether an RDM's values are such, must be squared first, or have no
Euclidean geometry at all is a property of its distance (:attr:`neuroalign.rdm.distance.Distance.squared`): the RDM
embedding of :mod:`neuroalign.alignment` and classical MDS in :mod:`neuroalign.report` both decide it here.
"""

from __future__ import annotations

import numpy as np

from neuroalign.core.distance_names import base_distance
from neuroalign.errors import InvalidRDMError
from neuroalign.rdm.catalog import DISTANCES
from neuroalign.rdm.distance import Distance


def registered_distance(distance: str | None) -> Distance | None:
    """The registered entry behind an RDMs' distance name (``" (normalized)"`` stripped); ``None`` if there is none."""
    name = base_distance(distance)  # dividing by the channel count changes a scale, not the geometry
    return DISTANCES.get(name) if name is not None and name in DISTANCES else None


def embeddable_names() -> tuple[list[str], list[str]]:
    """Registered distances whose RDMs are squared Euclidean distances, and those that are plain ones."""
    entries = [DISTANCES.get(name) for name in DISTANCES.names()]
    return [d.name for d in entries if d.squared is True], [d.name for d in entries if d.squared is False]


def squared_distances(values: np.ndarray, distance: str | None, *, unnamed: bool) -> np.ndarray:
    """``values`` as squared Euclidean distances: squared when the distance's entry says they are plain.

    Parameters
    ----------
    values : ndarray
        Dissimilarities (condensed or square; any shape).
    distance : str or None
        The RDMs' distance name (a registered name, possibly with the ``" (normalized)"`` suffix).
    unnamed : bool
        Whether values without a distance name (``None``) are taken as squared distances already.

    Returns
    -------
    ndarray
        ``values`` itself or its square.

    Raises
    ------
    InvalidRDMError
        For a name no registered distance has, or a distance without Euclidean geometry (``squared`` is None).
    """
    if distance is None:
        return values if unnamed else values ** 2
    entry = registered_distance(distance)
    if entry is None or not entry.embeddable:
        squared, plain = embeddable_names()
        why = "no registered distance has that name" if entry is None else "it has no Euclidean geometry"
        raise InvalidRDMError(f"cannot treat an RDM of distance {distance!r} as Euclidean distances ({why}): choose "
                              f"an RDM of squared distances ({squared}) or distances ({plain})")
    return values if entry.squared else values ** 2
