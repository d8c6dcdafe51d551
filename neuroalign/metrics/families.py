"""The built-in families of measures, registered the way a plugin's are: an id prefix, the ``"module:attribute"``
of its factory, and the one line that listings show.

This module imports nothing heavy: a family's module (which imports torch) is imported when one of its ids is
first asked for, so ``neuroalign list metrics`` reads the descriptions here without torch. A new family is one
module (its factory) plus one :func:`~neuroalign.metrics.registry.register_metric` call (one row below).
"""

from __future__ import annotations

from neuroalign.metrics.registry import register_metric

#: prefix -> (factory as ``module:attribute`` under ``neuroalign.metrics``, description)
BUILTIN_FAMILIES = {
    "cca.mean": ("cca:mean_factory", "mean canonical correlation"),
    "cca.mean_sq": ("cca:mean_sq_factory", "mean squared canonical correlation"),
    "cca.pwcca": ("cca:pwcca_factory", "projection-weighted CCA, weights from x"),
    "cca.ridge": ("cca:ridge_factory", "ridge CCA with penalty lambda (cca.ridge.0.1)"),
    "cca.svcca": ("cca:svcca_factory",
                  "SVCCA keeping a variance fraction or a number of components (cca.svcca.0.99)"),
    "cca.svcca_sq": ("cca:svcca_sq_factory", "SVCCA's mean squared canonical correlation (cca.svcca_sq.0.99)"),
    "cka.angular": ("cka:angular_factory", "arccos of linear CKA (angle between centred Grams)"),
    "cka.debiased": ("cka:debiased_factory", "linear CKA with the unbiased HSIC of Song et al. (2012)"),
    "cka.linear": ("cka:linear_factory", "linear CKA (biased HSIC)"),
    "cka.zero_diagonal": ("cka_zero_diagonal:factory",
                          "linear CKA of centred Grams with zeroed diagonals (Lange et al. 2023)"),
    "cka.rbf": ("cka:rbf_factory", "RBF CKA with a fixed or median-scaled bandwidth (cka.rbf.median)"),
    "knn.cknna": ("knn:cknna_factory", "CKA on mutual k-nearest-neighbour pairs (knn.cknna.10), Huh et al. 2024"),
    "knn.cycle": ("knn:cycle_factory",
                  "cycle kNN: y-neighbours of i that have i as an x-neighbour (knn.cycle.10), Huh et al. 2024"),
    "knn.mutual": ("knn:mutual_factory",
                   "mutual k-nearest-neighbour overlap, cosine (knn.mutual.10), Huh et al. 2024"),
    "predictivity.ridge": ("predictivity:factory", "held-out ridge predictivity (pearson) of y from x"),
    "rsa": ("rsa:factory", "RSA as a metric: RDMs of a distance compared by a comparator (rsa.correlation.spearman)"),
    "shape.alpha": ("shape:alpha_factory", "angular shape distance after partial whitening (shape.alpha.0.5)"),
    "shape.angular": ("shape:angular_factory", "angular Procrustes distance"),
    "shape.cv": ("shape_cv:factory",
                 "angular shape distance fitted on training stimuli, scored on held-out ones (shape.cv.0.5)"),
    "shape.bures": ("shape:bures_factory", "normalised Bures similarity of the centred Grams"),
    "shape.euclidean": ("shape:euclidean_factory", "Euclidean Procrustes distance"),
    "shape.permutation": ("shape:permutation_factory", "angular distance under the best permutation of features"),
}

for _prefix, (_factory, _description) in BUILTIN_FAMILIES.items():
    register_metric(_prefix, f"neuroalign.metrics.{_factory}", description=_description)
