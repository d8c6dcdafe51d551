"""The comparator registry: stable names, aliases for other toolboxes' names where the definitions agree exactly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from neuroalign.compare.bures import bures_similarity, sqbures
from neuroalign.compare.correlation import cosine, pearson, rho_a, spearman
from neuroalign.compare.kendall import kendall_tau_a
from neuroalign.compare.whitened import whitened_cosine, whitened_pearson
from neuroalign.errors import UnknownNameError
from neuroalign.registry import Registry


@dataclass(frozen=True)
class Comparator:
    """A registered RDM comparator.

    Attributes
    ----------
    name : str
        The stable name.
    function : callable
        ``function(a, b=None, *, nan_policy="raise", device=None, **options) -> ndarray (n_a, n_b)``.
    kind : {"similarity", "dissimilarity"}
        Whether larger values mean more alike.
    bounds : tuple of float
        The range of values (``inf`` where unbounded).
    options : tuple of str
        Extra keyword arguments the function accepts (for example ``sigma_k``).
    pairwise_missing : bool
        Whether ``nan_policy="pairwise"`` is supported (otherwise missing pairs raise).
    """

    name: str
    function: Callable[..., np.ndarray]
    kind: str
    bounds: tuple[float, float]
    options: tuple[str, ...] = ()
    pairwise_missing: bool = True

    def __call__(self, a: Any, b: Any = None, **kwargs: Any) -> np.ndarray:
        return self.function(a, b, **kwargs)


#: Every built-in comparator, by name. Aliases are rsatoolbox's and mne-rsa's names for the same definition.
COMPARATORS: Registry[Comparator] = Registry("RDM comparator")

_SPECS = [
    (Comparator("pearson", pearson, "similarity", (-1.0, 1.0)), ("corr",)),
    (Comparator("cosine", cosine, "similarity", (-1.0, 1.0)), ()),
    (Comparator("spearman", spearman, "similarity", (-1.0, 1.0)), ()),
    (Comparator("rho_a", rho_a, "similarity", (-1.0, 1.0)), ("rho-a",)),
    (Comparator("kendall_tau_a", kendall_tau_a, "similarity", (-1.0, 1.0)), ("tau-a", "kendall-tau-a")),
    (Comparator("whitened_cosine", whitened_cosine, "similarity", (-1.0, 1.0), ("sigma_k",)), ("cosine_cov",)),
    (Comparator("whitened_pearson", whitened_pearson, "similarity", (-1.0, 1.0), ("sigma_k",)), ("corr_cov",)),
    (Comparator("bures_similarity", bures_similarity, "similarity", (0.0, 1.0), pairwise_missing=False), ()),
    (Comparator("sqbures", sqbures, "dissimilarity", (0.0, float("inf")), pairwise_missing=False), ()),
]
for _comparator, _aliases in _SPECS:
    COMPARATORS.register(_comparator.name, _comparator, aliases=_aliases)

#: Names used by rsatoolbox or mne-rsa that are deliberately not aliases, and why (see docs/comparators.md).
NOT_ALIASED = {
    "bures": "rsatoolbox's 'bures' clips negative eigenvalues of the first RDM's G only and is asymmetric for "
             "non-Euclidean RDMs; 'bures_similarity' is the symmetric version and equals it when both G are PSD",
    "bures_metric": "rsatoolbox's 'bures_metric' is asymmetric for non-Euclidean RDMs; 'sqbures' is the symmetric "
                    "squared Bures distance and equals it when both G are PSD",
    "kendall": "Kendall's tau-b is not provided: it favours model RDMs that predict ties; use 'kendall_tau_a'",
    "tau-b": "Kendall's tau-b is not provided: it favours model RDMs that predict ties; use 'kendall_tau_a'",
    "neg_riem_dist": "rsatoolbox's negative Riemannian distance is not provided",
    "partial": "mne-rsa's partial correlations need all model RDMs at once; they are not pairwise comparators",
    "partial-spearman": "mne-rsa's partial correlations need all model RDMs at once; they are not pairwise "
                        "comparators",
    "regression": "mne-rsa's regression weights need all model RDMs at once; they are not pairwise comparators",
}


def get_comparator(method: str) -> Comparator:
    """The :class:`Comparator` registered as ``method`` (a name or an alias).

    Raises
    ------
    UnknownNameError
        For an unknown name, suggesting close matches; for a name that rsatoolbox or mne-rsa use for a different
        definition, saying which comparator to use instead.
    """
    if method not in COMPARATORS and method in NOT_ALIASED:
        raise UnknownNameError(f"RDM comparator {method!r} is not available: {NOT_ALIASED[method]}. "
                               f"Available: {', '.join(COMPARATORS.names())}.")
    return COMPARATORS.get(method)
