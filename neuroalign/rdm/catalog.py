"""The registry of distances, by stable name, and the built-in ones.

Names mean one thing (see ``docs/distances.md``): ``euclidean`` is the plain distance and ``sqeuclidean`` its
square; ``mahalanobis`` is plain (square-rooted, as scipy) and ``sqmahalanobis`` squared; ``crossnobis`` and
``poisson_cv`` are cross-validated and never square-rooted. Each entry is a :class:`~neuroalign.rdm.distance.Distance`
that owns its capabilities (cross-validated, squared or plain, invariances, ...). A new distance is one module (its
subclass) plus one :func:`register_distance` call, the call that registers the built-ins below.
"""

from __future__ import annotations

from neuroalign.rdm.angular import AngularDistance
from neuroalign.rdm.crossnobis import crossnobis
from neuroalign.rdm.distance import Distance
from neuroalign.rdm.euclidean import Euclidean
from neuroalign.rdm.mahalanobis import Mahalanobis
from neuroalign.rdm.poisson import Poisson
from neuroalign.registry import Registry

#: Registered distances, by name: ``DISTANCES.get("correlation")``, ``DISTANCES.names()``.
DISTANCES: Registry[Distance] = Registry("distance")


def register_distance(distance: Distance, *, aliases: tuple[str, ...] = ()) -> Distance:
    """Register ``distance`` under its :attr:`~neuroalign.rdm.distance.Distance.name` (and ``aliases``).

    Raises
    ------
    ValueError
        If the name or an alias is taken, or the distance has no name.
    """
    if not distance.name:
        raise ValueError(f"{distance!r} has no name; set its name attribute before registering it")
    return DISTANCES.register(distance.name, distance, aliases=aliases)


register_distance(AngularDistance("correlation", center=True))
register_distance(AngularDistance("cosine", center=False))
register_distance(Euclidean("euclidean", root=True))
register_distance(Euclidean("sqeuclidean", root=False))
register_distance(Mahalanobis("mahalanobis", root=True))
register_distance(Mahalanobis("sqmahalanobis"))
register_distance(crossnobis())
register_distance(Poisson("poisson"))
register_distance(Poisson("poisson_cv", cross_validated=True))


def resolve_distance(distance: str | Distance) -> Distance:
    """A registered distance by name, or a configured :class:`Distance` instance as given.

    Raises
    ------
    UnknownNameError
        For an unknown name, suggesting close matches.
    """
    if isinstance(distance, Distance):
        return distance
    return DISTANCES.get(distance)
