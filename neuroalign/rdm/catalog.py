"""The registry of built-in distances, by stable name.

Names mean one thing (see ``docs/distances.md``): ``euclidean`` is the plain distance and ``sqeuclidean`` its
square; ``mahalanobis`` is plain (square-rooted, as scipy) and ``sqmahalanobis`` squared; ``crossnobis`` and
``poisson_cv`` are cross-validated and never square-rooted. A third party registers its own
:class:`~neuroalign.rdm.distance.Distance` here the same way.
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

DISTANCES.register("correlation", AngularDistance("correlation", center=True))
DISTANCES.register("cosine", AngularDistance("cosine", center=False))
DISTANCES.register("euclidean", Euclidean("euclidean", root=True))
DISTANCES.register("sqeuclidean", Euclidean("sqeuclidean", root=False))
DISTANCES.register("mahalanobis", Mahalanobis("mahalanobis", root=True))
DISTANCES.register("sqmahalanobis", Mahalanobis("sqmahalanobis"))
DISTANCES.register("crossnobis", crossnobis())
DISTANCES.register("poisson", Poisson("poisson"))
DISTANCES.register("poisson_cv", Poisson("poisson_cv", cross_validated=True))


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
