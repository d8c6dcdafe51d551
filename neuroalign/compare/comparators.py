"""The comparator registry: each entry owns everything about its name.

A :class:`Comparator` carries its function and every capability the rest of the package asks about: how a noise
ceiling pools subjects for it, its form on weighted pairs (the stimulus bootstrap), whether a resample with
repeated stimuli is a valid input, which RDMs it is undefined for, whether it is rank-based, what transforms of an
RDM it ignores, whether its upper noise ceiling is a bound. Consumers (``neuroalign.stats``, RSA as a metric,
reports) read these fields; none keeps a table of comparator names. A new comparator is one module (its function)
plus one :func:`register_comparator` call, the same call that registers the built-ins in
:mod:`neuroalign.compare.builtin`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from neuroalign.errors import UnknownNameError
from neuroalign.registry import Registry

#: Transforms of one RDM a comparator may ignore: ``scale`` (a positive factor), ``offset`` (a constant added to
#: every dissimilarity), ``monotonic`` (a strictly increasing map of the dissimilarities).
RDM_INVARIANCES = frozenset({"scale", "offset", "monotonic"})
#: Values of :attr:`Comparator.undefined_for`: an RDM without variance, or one that is all zeros.
UNDEFINED_FOR = ("constant", "zero")


@dataclass(frozen=True)
class WeightedForm:
    """A comparator as a weighted inner product of standardised vectors: its stimulus-bootstrap form.

    A stimulus resample repeats pairs, so a comparison of resampled vectors is a comparison of the original vectors
    with pair weights. A comparator has such a form when its value is ``sum_k w_k z_a[k] z_b[k]`` with ``z`` each
    vector standardised under the weights ``w``: the values (or, for a rank-based comparator, their weighted
    average ranks) are centred on their weighted mean when ``centre`` and scaled to unit weighted norm
    (``norm="observed"``), or taken as ranks minus their mean ``(m + 1) / 2`` and scaled by the norm that untied ranks
    of ``m`` pairs have (``norm="untied"``, rho-a's closed form).

    Attributes
    ----------
    centre : bool
        Subtract the weighted mean first (Pearson, Spearman) or not (cosine).
    norm : {"observed", "untied"}
        Divide by the vector's own weighted norm, or by that of untied ranks (rank-based comparators only).
    """

    centre: bool = True
    norm: str = "observed"

    def __post_init__(self) -> None:
        if self.norm not in ("observed", "untied"):
            raise ValueError(f"norm must be 'observed' or 'untied'; got {self.norm!r}")


@dataclass(frozen=True)
class Comparator:
    """A registered RDM comparator and its capabilities.

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
    aliases : tuple of str
        Other names for exactly this definition (rsatoolbox's, mne-rsa's).
    rank_based : bool
        The value depends on the dissimilarities only through their average ranks.
    invariances : frozenset of str
        Transforms of one RDM that leave the value unchanged, from :data:`RDM_INVARIANCES` (the tests check each
        claim).
    undefined_for : {"constant", "zero"} or None
        The RDMs it cannot compare (it divides by zero): one without variance, one that is all zeros, or none (a
        constant RDM scores 0). A stimulus bootstrap redraws resamples on which an RDM is such.
    pooling : callable, optional
        ``pooling(values (n, n_pairs), **options) -> (n, n_pairs)``: each subject's RDM on the scale the comparator
        is blind to (z-scores, ranks, unit norm, ...), so that the mean is the pooled RDM a noise ceiling compares
        with. ``None``: the plain mean.
    ceiling_caveat : str, optional
        Why the pooled RDM is not the best-scoring RDM, so that a model can exceed the upper noise ceiling (a
        :class:`~neuroalign.stats.CeilingNotABoundWarning` quotes it). ``None``: the upper ceiling is a bound.
    weighted : WeightedForm, optional
        Its form on weighted pairs, which a stimulus bootstrap evaluates many resamples at once with. ``None``: each
        resample is expanded and compared by :attr:`function` (when :attr:`needs_matrix` is False).
    needs_matrix : bool
        It rebuilds the square matrix (whitening, double centring), so it needs an RDM over distinct stimuli: a
        resample with repeated stimuli is no valid input and the comparator cannot be bootstrapped over stimuli.
    description : str
        One line for listings.
    """

    name: str
    function: Callable[..., np.ndarray]
    kind: str
    bounds: tuple[float, float]
    options: tuple[str, ...] = ()
    pairwise_missing: bool = True
    aliases: tuple[str, ...] = ()
    rank_based: bool = False
    invariances: frozenset[str] = field(default_factory=frozenset)
    undefined_for: str | None = None
    pooling: Callable[..., np.ndarray] | None = None
    ceiling_caveat: str | None = None
    weighted: WeightedForm | None = None
    needs_matrix: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("similarity", "dissimilarity"):
            raise ValueError(f"kind must be 'similarity' or 'dissimilarity'; got {self.kind!r}")
        unknown = set(self.invariances) - RDM_INVARIANCES
        if unknown:
            raise ValueError(f"unknown invariances {sorted(unknown)}; choose from {sorted(RDM_INVARIANCES)}")
        if self.undefined_for not in (None, *UNDEFINED_FOR):
            raise ValueError(f"undefined_for must be None or one of {UNDEFINED_FOR}; got {self.undefined_for!r}")
        if self.weighted is not None and self.needs_matrix:
            raise ValueError("a comparator that needs the square matrix has no form on weighted pairs")
        if self.weighted is not None and self.weighted.norm == "untied" and not self.rank_based:
            raise ValueError("norm='untied' standardises ranks: only a rank-based comparator has it")

    def __call__(self, a: Any, b: Any = None, **kwargs: Any) -> np.ndarray:
        return self.function(a, b, **kwargs)

    @property
    def scale_free(self) -> bool:
        """Whether multiplying one RDM by a positive constant leaves the value unchanged."""
        return "scale" in self.invariances

    @property
    def resamplable(self) -> bool:
        """Whether a stimulus resample (repeated stimuli, copy pairs dropped) is a valid input."""
        return not self.needs_matrix

    @property
    def ceiling_is_bound(self) -> bool:
        """Whether no model can exceed the upper noise ceiling on average (see :attr:`ceiling_caveat`)."""
        return self.ceiling_caveat is None

    @property
    def undefined_text(self) -> str:
        """How an RDM it cannot compare is described in messages (``"constant"`` or ``"all zeros"``)."""
        return "all zeros" if self.undefined_for == "zero" else "constant"


#: Every registered comparator, by name. Aliases are rsatoolbox's and mne-rsa's names for the same definition.
COMPARATORS: Registry[Comparator] = Registry("RDM comparator")

#: The comparator used where none is named.
DEFAULT_COMPARATOR = "spearman"


def register_comparator(comparator: Comparator) -> Comparator:
    """Register ``comparator`` under its name and aliases; every consumer then reads its fields.

    Raises
    ------
    ValueError
        If the name or an alias is taken.
    """
    return COMPARATORS.register(comparator.name, comparator, aliases=comparator.aliases)


def comparators_defined_for_constant() -> list[str]:
    """Names of the registered comparators that score a constant RDM (for messages that suggest one)."""
    return [name for name in COMPARATORS.names() if COMPARATORS.get(name).undefined_for is None
            and COMPARATORS.get(name).resamplable]


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


def get_comparator(comparator: str | Comparator) -> Comparator:
    """The :class:`Comparator` registered as ``comparator`` (a name or an alias); an entry is returned as it is.

    Raises
    ------
    UnknownNameError
        For an unknown name, suggesting close matches; for a name that rsatoolbox or mne-rsa use for a different
        definition, saying which comparator to use instead.
    """
    if isinstance(comparator, Comparator):
        return comparator
    if comparator not in COMPARATORS and comparator in NOT_ALIASED:
        raise UnknownNameError(f"RDM comparator {comparator!r} is not available: {NOT_ALIASED[comparator]}. "
                               f"Available: {', '.join(COMPARATORS.names())}.")
    return COMPARATORS.get(comparator)
