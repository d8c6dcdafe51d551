"""RSA as an alignment measure: ``rsa.<distance>.<comparator>`` builds one RDM per representation with the RDM
engine and compares the two with a registered comparator (``rsa.correlation.spearman``, ``rsa.euclidean.pearson``).

Declared invariances follow from two facts, both tested. (1) What a transform of the features does to the RDM:

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
(2) Whether the comparator ignores a positive factor on one RDM (every correlation-type comparator and the
normalised Bures similarity do; ``sqbures`` does not). Mahalanobis here has no noise model (identity precision).
Cross-validated distances (crossnobis, poisson_cv) need runs, and Poisson needs counts; they are not offered.
"""

from __future__ import annotations

import numpy as np
import torch

from neuroalign.compare import COMPARATORS, compare
from neuroalign.errors import InvalidOptionError
from neuroalign.metrics.base import Metric, MetricInfo
from neuroalign.metrics.registry import register_metric
from neuroalign.rdm import DISTANCES, compute_rdms

_PLAIN = frozenset({"orthogonal", "translation", "permutation"})
#: distance -> (invariances of the RDM itself, whether isotropic scaling only rescales the RDM)
RDM_INVARIANCES: dict[str, tuple[frozenset[str], bool]] = {
    "correlation": (frozenset({"isotropic_scaling", "permutation"}), False),
    "cosine": (frozenset({"isotropic_scaling", "orthogonal", "permutation"}), False),
    "euclidean": (_PLAIN, True),
    "sqeuclidean": (_PLAIN, True),
    "mahalanobis": (_PLAIN, True),
    "sqmahalanobis": (_PLAIN, True),
}
#: Comparators whose value does not change when one RDM is multiplied by a positive constant.
SCALE_FREE_COMPARATORS = frozenset({"pearson", "cosine", "spearman", "rho_a", "kendall_tau_a", "whitened_cosine",
                                    "whitened_pearson", "bures_similarity"})


class RSAMetric(Metric):
    """Compare the ``distance`` RDMs of two representations with ``comparator`` (see the module docstring)."""

    def __init__(self, distance: str, comparator: str) -> None:
        self.distance = DISTANCES.canonical(distance)
        self.comparator = COMPARATORS.get(comparator)
        if self.distance not in RDM_INVARIANCES:
            raise InvalidOptionError(f"rsa: distance {self.distance!r} cannot be computed from one feature matrix; "
                                     f"choose from {sorted(RDM_INVARIANCES)}")
        rdm_invariances, rescales = RDM_INVARIANCES[self.distance]
        invariances = set(rdm_invariances)
        if rescales and self.comparator.name in SCALE_FREE_COMPARATORS:
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
        value = compare(rdms[0].dissimilarities, rdms[1].dissimilarities, self.comparator.name)
        return torch.tensor(float(np.asarray(value)[0, 0]), dtype=torch.float64)


def _factory(rest: str | None) -> RSAMetric:
    parts = (rest or "").split(".")
    if len(parts) != 2 or not all(parts):
        raise InvalidOptionError(f"rsa ids are 'rsa.<distance>.<comparator>' (e.g. 'rsa.correlation.spearman'); "
                                 f"got 'rsa.{rest}'")
    return RSAMetric(*parts)


register_metric("rsa", _factory)
