"""One-line descriptions of neuroalign's built-in metric families, readable without importing torch.

The families themselves (:mod:`neuroalign.metrics.cka` and the others named by
:data:`neuroalign.metrics.registry.BUILTIN_FAMILY_MODULES`) import torch at module level, and so does the
``neuroalign.metrics`` package itself; listing metrics must not, so their ids and descriptions are kept here. A
test checks that this table names exactly the registered families.
"""

from __future__ import annotations

#: prefix -> one line; parametrised families show an example id.
BUILTIN_METRIC_DESCRIPTIONS = {
    "cca.mean": "mean canonical correlation",
    "cca.mean_sq": "mean squared canonical correlation",
    "cca.pwcca": "projection-weighted CCA, weights from x",
    "cca.ridge": "ridge CCA with penalty lambda (cca.ridge.0.1)",
    "cca.svcca": "SVCCA keeping a variance fraction or a number of components (cca.svcca.0.99)",
    "cka.angular": "arccos of linear CKA (angle between centred Grams)",
    "cka.debiased": "linear CKA with the unbiased HSIC of Song et al. (2012)",
    "cka.linear": "linear CKA (biased HSIC)",
    "cka.rbf": "RBF CKA with a fixed or median-scaled bandwidth (cka.rbf.median)",
    "knn.cknna": "CKA on mutual k-nearest-neighbour pairs (knn.cknna.10), Huh et al. 2024",
    "knn.cycle": "cycle kNN: y-neighbours of i that have i as an x-neighbour (knn.cycle.10), Huh et al. 2024",
    "knn.mutual": "mutual k-nearest-neighbour overlap, cosine (knn.mutual.10), Huh et al. 2024",
    "predictivity.ridge": "held-out ridge predictivity (pearson) of y from x",
    "rsa": "RSA as a metric: RDMs of a distance compared by a comparator (rsa.correlation.spearman)",
    "shape.alpha": "angular shape distance after partial whitening (shape.alpha.0.5)",
    "shape.angular": "angular Procrustes distance",
    "shape.bures": "normalised Bures similarity of the centred Grams",
    "shape.euclidean": "Euclidean Procrustes distance",
    "shape.permutation": "angular distance under the best permutation of features",
}
