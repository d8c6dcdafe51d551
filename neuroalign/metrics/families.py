"""The built-in families of measures, registered the way a plugin's are: an id prefix, the ``"module:attribute"``
of its factory, and the one line that listings show.

This module imports nothing heavy: a family's module (which imports torch) is imported when one of its ids is
first asked for, so ``neuroalign list metrics`` reads the descriptions here without torch. A new family is one
module (its factory) plus one :func:`~neuroalign.metrics.registry.register_metric` line.
"""

from __future__ import annotations

from neuroalign.metrics.registry import register_metric

_M = "neuroalign.metrics."

register_metric("cca.mean", _M + "cca:mean_factory", description="mean canonical correlation")
register_metric("cca.mean_sq", _M + "cca:mean_sq_factory", description="mean squared canonical correlation")
register_metric("cca.pwcca", _M + "cca:pwcca_factory", description="projection-weighted CCA, weights from x")
register_metric("cca.ridge", _M + "cca:ridge_factory", description="ridge CCA with penalty lambda (cca.ridge.0.1)")
register_metric("cca.svcca", _M + "cca:svcca_factory",
                description="SVCCA keeping a variance fraction or a number of components (cca.svcca.0.99)")
register_metric("cka.angular", _M + "cka:angular_factory",
                description="arccos of linear CKA (angle between centred Grams)")
register_metric("cka.debiased", _M + "cka:debiased_factory",
                description="linear CKA with the unbiased HSIC of Song et al. (2012)")
register_metric("cka.linear", _M + "cka:linear_factory", description="linear CKA (biased HSIC)")
register_metric("cka.rbf", _M + "cka:rbf_factory",
                description="RBF CKA with a fixed or median-scaled bandwidth (cka.rbf.median)")
register_metric("knn.cknna", _M + "knn:cknna_factory",
                description="CKA on mutual k-nearest-neighbour pairs (knn.cknna.10), Huh et al. 2024")
register_metric("knn.cycle", _M + "knn:cycle_factory",
                description="cycle kNN: y-neighbours of i that have i as an x-neighbour (knn.cycle.10), "
                            "Huh et al. 2024")
register_metric("knn.mutual", _M + "knn:mutual_factory",
                description="mutual k-nearest-neighbour overlap, cosine (knn.mutual.10), Huh et al. 2024")
register_metric("predictivity.ridge", _M + "predictivity:factory",
                description="held-out ridge predictivity (pearson) of y from x")
register_metric("rsa", _M + "rsa:factory",
                description="RSA as a metric: RDMs of a distance compared by a comparator (rsa.correlation.spearman)")
register_metric("shape.alpha", _M + "shape:alpha_factory",
                description="angular shape distance after partial whitening (shape.alpha.0.5)")
register_metric("shape.angular", _M + "shape:angular_factory", description="angular Procrustes distance")
register_metric("shape.bures", _M + "shape:bures_factory",
                description="normalised Bures similarity of the centred Grams")
register_metric("shape.euclidean", _M + "shape:euclidean_factory", description="Euclidean Procrustes distance")
register_metric("shape.permutation", _M + "shape:permutation_factory",
                description="angular distance under the best permutation of features")
