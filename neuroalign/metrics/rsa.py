"""RSA as an alignment measure: ``rsa.<distance>.<comparator>`` builds one RDM per representation with the RDM
engine and compares the two with a registered comparator (``rsa.correlation.spearman``, ``rsa.euclidean.pearson``).

Every property comes from the two registry entries, so a newly registered distance or comparator composes here
without a change to this module. Declared invariances follow from two facts, both tested. (1) What a transform of
the features does to the RDM, which the distance's entry declares
(:attr:`~neuroalign.rdm.distance.Distance.invariances`, and :attr:`~neuroalign.rdm.distance.Distance.homogeneous`:
scaling every feature by ``c`` multiplies the RDM by ``|c|`` or ``c**2``):

=============================  ===========================================  ==========================
distance                       RDM unchanged by                             RDM multiplied under x->cx
=============================  ===========================================  ==========================
correlation                    isotropic scaling, feature permutation       (unchanged)
cosine                         isotropic scaling, orthogonal, permutation   (unchanged)
euclidean, mahalanobis         orthogonal, translation, permutation         by ``|c|``
sqeuclidean, sqmahalanobis     orthogonal, translation, permutation         by ``c**2``
=============================  ===========================================  ==========================

Correlation distance centres each stimulus's pattern across features, so adding one vector to every stimulus or
rotating the feature axes changes it (only transforms that fix the all-ones direction leave it alone).
(2) Whether the comparator ignores a positive factor on one RDM (its entry's
:attr:`~neuroalign.compare.Comparator.scale_free`: every correlation-type comparator and the normalised Bures
similarity; not ``sqbures``). Mahalanobis here has no noise model (identity precision). Distances that are not
defined on one matrix of real features (:attr:`~neuroalign.rdm.distance.Distance.from_features`: the
cross-validated crossnobis and poisson_cv, and Poisson, which needs counts) are not offered.
"""

from __future__ import annotations

import numpy as np
import torch

from neuroalign.compare import compare, get_comparator
from neuroalign.errors import InvalidOptionError
from neuroalign.metrics.base import INVARIANCES, Metric, MetricInfo
from neuroalign.rdm import DISTANCES, compute_rdms


def feature_distances() -> list[str]:
    """The registered distances RSA as a metric offers (defined on one matrix of real-valued features)."""
    return [name for name in DISTANCES.names() if DISTANCES.get(name).from_features]


class RSAMetric(Metric):
    """Compare the ``distance`` RDMs of two representations with ``comparator`` (see the module docstring)."""

    def __init__(self, distance: str, comparator: str) -> None:
        self.distance = DISTANCES.canonical(distance)
        self.comparator = get_comparator(comparator)
        entry = DISTANCES.get(self.distance)
        if not entry.from_features:
            raise InvalidOptionError(f"rsa: distance {self.distance!r} cannot be computed from one feature matrix; "
                                     f"choose from {feature_distances()}")
        invariances = set(entry.invariances) & INVARIANCES
        if entry.homogeneous and self.comparator.scale_free:
            invariances.add("isotropic_scaling")
        is_distance = self.comparator.kind == "dissimilarity"
        self.info = MetricInfo(
            id=f"rsa.{self.distance}.{self.comparator.name}", kind="distance" if is_distance else "similarity",
            symmetric=True, is_metric=False, invariances=frozenset(invariances), min_samples=3,
            description=f"RSA: {self.distance} RDMs compared by {self.comparator.name}")

    def compute(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The comparator's value between the two RDMs, as a 0-d tensor."""
        ids = list(range(x.shape[0]))
        device = x.device if x.device.type != "cpu" else None
        rdms = [compute_rdms(r.detach().cpu().numpy(), self.distance, stimulus_ids=ids, device=device)
                for r in (x, y)]
        value = compare(rdms[0], rdms[1], self.comparator)  # two RDMs over the same ids: no layout to guess
        return torch.tensor(float(np.asarray(value)[0, 0]), dtype=torch.float64)


def factory(rest: str | None) -> RSAMetric:
    """RSA as a metric: RDMs of a distance compared by a comparator (``rsa.correlation.spearman``)."""
    parts = (rest or "").split(".")
    if len(parts) != 2 or not all(parts):
        raise InvalidOptionError(f"rsa ids are 'rsa.<distance>.<comparator>' (e.g. 'rsa.correlation.spearman'); "
                                 f"got 'rsa.{rest}'")
    return RSAMetric(*parts)
