"""Bootstraps of RDM comparisons over stimuli, subjects or both, with percentile and BCa intervals.

The statistic is the one rsatoolbox evaluates: for each model RDM, the mean over subjects of its comparison with
each subject's RDM. A stimulus resample keeps every pair of distinct original stimuli with multiplicity
``c_i * c_j`` and drops the pair of a stimulus with its own copy (see :mod:`neuroalign.stats.resample`), so for a
comparator with a weighted form (its entry's :attr:`~neuroalign.compare.Comparator.weighted`: Pearson, cosine,
Spearman, rho-a) the comparisons of all resamples are weighted comparisons of the original vectors, many resamples
per batched call and each RDM sorted once. Every model is evaluated on the same resamples, so
model differences are paired. With ``noise_ceiling=True`` the leave-one-subject-out noise ceiling of every
resample comes from the same weighted vectors (see :func:`neuroalign.stats._weighted.noise_ceiling_prepared`).
With a torch ``device`` these weighted comparisons (and ceilings) run in torch float64 there; the resamples are
drawn in NumPy whatever the device, so a seed gives the same resamples everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.backend import get_backend
from neuroalign.compare import (COMPARATORS, DEFAULT_COMPARATOR, Comparator, comparators_defined_for_constant,
                                get_comparator)
from neuroalign.core.condensed import n_stimuli_from_pairs
from neuroalign.errors import (DegenerateRDMError, InvalidOptionError, InvalidRDMError, NotEnoughStimuliError,
                               ShapeMismatchError)
from neuroalign.stats._evaluator import BatchResult, Evaluator
from neuroalign.stats._inputs import paired_condensed
from neuroalign.stats.intervals import bca_interval, percentile_interval
from neuroalign.stats.resample import MIN_STIMULI, as_generator, counts_from_indices, draw_indices, pair_weights
from neuroalign.stats._undefined import ON_UNDEFINED, Tally, UndefinedResampleError, resample_stimuli
from neuroalign.stats.ceiling import NotEnoughSubjectsError, warn_ceiling_not_a_bound
from neuroalign.stats.multiple import adjust_pvalues
from neuroalign.utils.docs import fill_doc
from neuroalign.utils.renamed import renamed_attribute, renamed_keywords

__all__ = ["BootstrapResult", "PairedDifferences", "bca_interval", "bootstrap_rdm_comparison",
           "percentile_interval"]

OVER = ("stimuli", "subjects", "both")


@dataclass(frozen=True)
class PairedDifferences:
    """Paired bootstrap differences ``model i - model j`` for every pair ``i < j`` of models.

    Attributes
    ----------
    pairs : ndarray of int, shape (n_pairs, 2)
    observed, p_values, p_adjusted : ndarray, shape (n_pairs,)
        Two-sided bootstrap p-values of ``difference == 0`` and their adjusted values.
    intervals : ndarray, shape (n_pairs, 2)
        Percentile intervals of the differences (not corrected for multiplicity).
    reject : ndarray of bool, shape (n_pairs,)
        ``p_adjusted <= alpha``.
    correction : str
    """

    pairs: np.ndarray
    observed: np.ndarray
    intervals: np.ndarray
    p_values: np.ndarray
    p_adjusted: np.ndarray
    reject: np.ndarray
    correction: str


@dataclass(frozen=True)
class BootstrapResult:
    """Bootstrap distribution of the mean comparison of each model with the subjects' RDMs.

    Attributes
    ----------
    observed : ndarray, shape (n_models,)
        The statistic on the original data.
    samples : ndarray, shape (n_bootstrap, n_models)
        The statistic on each resample (the same resamples for every model).
    jackknife : ndarray, shape (n_units, n_models) or None
        Leave-one-stimulus-out or leave-one-subject-out values, for the BCa acceleration (``None`` for
        ``over="both"``, where a single jackknife is not defined).
    comparator, over : str
        The comparator's name (``method`` is its deprecated spelling) and what was resampled.
    seed : int or None
    ceiling_observed : ndarray, shape (2,), or None
        Lower and upper leave-one-subject-out noise ceiling on the original data (with ``noise_ceiling=True``).
    ceiling_samples : ndarray, shape (n_bootstrap, 2), or None
        The same bounds on each resample.
    n_redrawn : int
        Stimulus resamples that left the comparison undefined and were redrawn (see ``on_undefined`` of
        :func:`bootstrap_rdm_comparison`); the samples are conditional on defined resamples when it is not 0.
    """

    observed: np.ndarray
    samples: np.ndarray
    jackknife: np.ndarray | None
    comparator: str
    over: str
    seed: Any = None
    ceiling_observed: np.ndarray | None = None
    ceiling_samples: np.ndarray | None = None
    n_redrawn: int = 0

    method = renamed_attribute("method", "comparator")

    def interval(self, level: float = 0.95, kind: str = "percentile") -> np.ndarray:
        """``(n_models, 2)`` interval of each model's statistic: ``kind`` is ``"percentile"`` or ``"bca"``."""
        if kind == "percentile":
            return percentile_interval(self.samples, level)
        if kind == "bca":
            if self.jackknife is None:
                raise InvalidOptionError("BCa intervals need a jackknife over one kind of unit; a bootstrap over "
                                         "stimuli and subjects at once, or over 3 stimuli, has none. Use "
                                         "kind='percentile'.")
            undefined = np.flatnonzero(np.isnan(self.jackknife).any(axis=1))
            if undefined.size:
                raise UndefinedResampleError(
                    f"BCa needs every leave-one-stimulus-out value, but leaving out stimulus "
                    f"{undefined[:10].tolist()} makes {self.comparator} undefined (an RDM constant on the remaining "
                    "pairs). Use kind='percentile'.")
            return bca_interval(self.samples, self.observed, self.jackknife, level)
        raise InvalidOptionError(f"kind must be 'percentile' or 'bca'; got {kind!r}")

    def ceiling_interval(self, level: float = 0.95) -> np.ndarray:
        """``(2, 2)`` percentile intervals of the lower (row 0) and upper (row 1) noise-ceiling bound.

        Raises
        ------
        InvalidOptionError
            If the bootstrap ran without ``noise_ceiling=True``.
        """
        if self.ceiling_samples is None:
            raise InvalidOptionError("this bootstrap has no noise ceiling; run it with noise_ceiling=True")
        return percentile_interval(self.ceiling_samples, level)

    def score_fields(self, model: int, level: float = 0.95, kind: str = "percentile") -> dict[str, Any]:
        """Keyword arguments for :class:`~neuroalign.core.score.Score` describing one model's result.

        With a noise ceiling, ``ceiling`` and ``ceiling_low`` are its upper and lower bound on the original data.
        """
        low, high = self.interval(level, kind)[model]
        fields = {"value": float(self.observed[model]), "metric": self.comparator,
                  "interval": (float(low), float(high)), "interval_level": level, "raw": self.samples[:, model],
                  "provenance": {"bootstrap_over": self.over, "n_bootstrap": self.samples.shape[0],
                                 "interval": kind, "seed": self.seed, "n_redrawn": self.n_redrawn}}
        if self.ceiling_observed is not None:
            fields["ceiling_low"], fields["ceiling"] = (float(v) for v in self.ceiling_observed)
        return fields

    def paired_differences(self, correction: str = "fdr_bh", alpha: float = 0.05,
                           level: float = 0.95) -> PairedDifferences:
        """Paired differences between every two models, with p-values adjusted for the number of pairs.

        The two-sided p-value is ``min(1, 2 (1 + #{diff <= 0 or >= 0, the smaller}) / (1 + n_bootstrap))``.

        Parameters
        ----------
        correction : {"fdr_bh", "bonferroni", "none"}
        alpha : float
            Level at which ``reject`` is decided on the adjusted p-values.
        level : float
            Coverage of the percentile intervals.
        """
        i, j = np.triu_indices(self.samples.shape[1], k=1)
        diffs = self.samples[:, i] - self.samples[:, j]
        n = diffs.shape[0]
        tail = np.minimum((diffs <= 0).sum(axis=0), (diffs >= 0).sum(axis=0))
        p = np.minimum(1.0, 2 * (1 + tail) / (1 + n))
        adjusted = adjust_pvalues(p, correction)
        return PairedDifferences(pairs=np.stack([i, j], axis=1), observed=self.observed[i] - self.observed[j],
                                 intervals=percentile_interval(diffs, level), p_values=p, p_adjusted=adjusted,
                                 reject=adjusted <= alpha, correction=correction)


def _as_arrays(models: Any, data: Any) -> tuple[np.ndarray, np.ndarray]:
    a, b = paired_condensed(models, data)
    if np.isnan(a).any() or np.isnan(b).any():
        raise InvalidOptionError("bootstrapping RDMs with missing (NaN) pairs is not supported")
    for side, values in (("model", a), ("data", b)):
        infinite = np.argwhere(np.isinf(values))
        if infinite.size:
            rdm, pair = (int(v) for v in infinite[0])
            raise InvalidRDMError(f"{side} RDM {rdm} has an infinite dissimilarity (pair {pair} of the condensed "
                                  "vector); a bootstrap needs finite RDMs")
    return a, b


def _stimulus_indices(indices: Any, n_stim: int) -> np.ndarray:
    """Validated ``(n_bootstrap, n_stimuli)`` stimulus resample indices given by the caller."""
    array = np.asarray(indices)
    if array.ndim != 2 or array.shape[1] != n_stim or array.shape[0] < 1:
        raise ShapeMismatchError(f"indices must have shape (n_bootstrap >= 1, n_stimuli={n_stim}); got shape "
                                 f"{array.shape}")
    if not np.issubdtype(array.dtype, np.integer):
        raise InvalidOptionError(f"indices must be integers (stimulus positions); got dtype {array.dtype}")
    if array.min() < 0 or array.max() >= n_stim:
        raise InvalidOptionError(f"indices must lie in [0, {n_stim - 1}] (positions of the {n_stim} stimuli); got "
                                 f"values from {array.min()} to {array.max()}")
    return array


def _subject_mean(per_subject: np.ndarray, subject_counts: np.ndarray | None) -> np.ndarray:
    if subject_counts is None:
        return per_subject.mean(axis=-1)
    return np.einsum("bks,bs->bk", per_subject, subject_counts) / subject_counts.sum(axis=1)[:, None]


@fill_doc
@renamed_keywords(method="comparator")
def bootstrap_rdm_comparison(models: Any, data: Any, comparator: str | Comparator = DEFAULT_COMPARATOR, *,
                             over: str = "stimuli",
                             n_bootstrap: int | None = None, seed: int | np.random.Generator | None = None,
                             batch_size: int = 100, noise_ceiling: bool = False,
                             indices: Any = None, progress: bool | None = None,
                             device: Any = None, on_undefined: str = "redraw") -> BootstrapResult:
    """Bootstrap the mean comparison of each model RDM with the subjects' RDMs.

    Parameters
    ----------
    models : RDMs or array_like, shape (n_models, n_pairs)
        Model RDMs (condensed).
    data : RDMs or array_like, shape (n_subjects, n_pairs)
        One RDM per subject; ``RDMs`` are aligned to the models' stimulus ids.
    comparator : str or Comparator
        A comparator whose entry is resamplable (``pearson``, ``cosine``, ``spearman``, ``rho_a``,
        ``kendall_tau_a``, or a registered one), by name or alias; ``method=`` is its deprecated spelling. One
        without a weighted form (Kendall's tau-a) runs one resample at a time.
    over : {"stimuli", "subjects", "both"}
        What is resampled with replacement. A stimulus resample drops the pairs of a stimulus with its copies.
    n_bootstrap : int, optional
        Number of resamples: 1000 by default, the number of rows of ``indices`` when they are given.
    %(seed)s
    batch_size : int
        Resamples per batched call (bounds memory at about ``batch_size * (n_models + n_subjects) * n_pairs``,
        twice that with a noise ceiling).
    noise_ceiling : bool
        Also compute the leave-one-subject-out noise ceiling (as :func:`~neuroalign.stats.rdm_noise_ceiling`) on
        the original data and on every resample: stored as ``ceiling_observed`` and ``ceiling_samples``. Needs
        ``over="stimuli"`` and >= 3 subjects: a subject resample repeats subjects, and leaving one copy out keeps
        its twin among "the others", which inflates the lower bound.
    indices : array_like of int, shape (n_bootstrap, n_stimuli), optional
        Explicit stimulus resamples (positions into the models' stimulus order) instead of drawn ones, e.g. to
        reproduce another tool's resamples; ``over`` must include stimuli.
    %(progress)s
    device : None, "auto", str or torch.device
        ``None`` (default) computes in NumPy, and so does ``"auto"`` without a GPU (``docs/conventions.md``,
        "Devices"). A torch device (``"cpu"``, ``"cuda"``, ``"cuda:1"``, a ``torch.device``, or ``"auto"`` with a
        GPU) runs the batched weighted comparisons of
        every batch of resamples, and their noise ceilings, in torch float64 there (equal to the NumPy path to
        about 1e-12); results are NumPy arrays either way. The resamples are drawn in NumPy, so a seed gives the
        same resamples on every device. Kendall's tau-a always runs on the CPU (NumPy) path.
    on_undefined : {"redraw", "raise"}
        A stimulus resample on which the comparison is undefined (fewer than 3 distinct stimuli; an RDM, or a
        pooled ceiling RDM, that is on its pairs what the comparator's entry is undefined for: constant under
        Pearson or Spearman, zero under the cosine; e.g. a categorical model RDM on a resample that draws one
        category) is redrawn (default), so the distribution is
        conditional on defined resamples; the count is ``n_redrawn`` and an
        :class:`~neuroalign.stats.UndefinedResampleWarning` reports it. ``"raise"`` refuses instead. See
        docs/statistics.md for why neither 0 nor NaN is scored.

    Returns
    -------
    BootstrapResult

    Raises
    ------
    NotEnoughStimuliError
        If there are fewer than 3 stimuli.
    UndefinedResampleError
        (a :class:`NotEnoughStimuliError`) If a resample is undefined and ``on_undefined="raise"``, a row of
        ``indices`` is undefined, or more than half of the draws are undefined.
    DegenerateRDMError
        If the comparison is undefined on the original RDMs (a constant RDM under Pearson, as ``compare``).
    NotEnoughSubjectsError
        For a bootstrap over subjects, or a noise ceiling, with fewer than 3 subjects.
    ShapeMismatchError
        For ``indices`` not of shape ``(n_bootstrap, n_stimuli)``, or a given ``n_bootstrap`` that differs.
    InvalidOptionError
        For an unknown ``over``, a comparator a resample is not defined for, missing pairs, a noise ceiling
        with ``over`` other than ``"stimuli"``, ``indices`` that are not integers in range, or a ``device``
        that is not a torch device (or CUDA where there is none).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> result = bootstrap_rdm_comparison(rng.random((2, 45)), rng.random((4, 45)), "pearson", n_bootstrap=50, seed=1)
    >>> result.samples.shape, result.interval().shape
    ((50, 2), (2, 2))
    """
    entry = _check_options(comparator, over, n_bootstrap, batch_size, noise_ceiling, indices, on_undefined)
    device = get_backend(device).tensor_device  # None: the NumPy path
    a, b = _as_arrays(models, data)
    n_stim = n_stimuli_from_pairs(a.shape[1])
    n_subj = b.shape[0]
    if n_stim < MIN_STIMULI:
        raise NotEnoughStimuliError(f"a resampled RDM comparison needs >= {MIN_STIMULI} stimuli; got {n_stim}")
    if over != "stimuli" and n_subj < 3:
        raise NotEnoughSubjectsError(f"a bootstrap over subjects needs >= 3 subjects; got {n_subj}")
    if noise_ceiling and n_subj < 3:
        raise NotEnoughSubjectsError(f"a leave-one-subject-out noise ceiling needs >= 3 subjects; got {n_subj}")
    explicit = indices is not None
    if explicit:
        indices = _stimulus_indices(indices, n_stim)
        if n_bootstrap is not None and n_bootstrap != indices.shape[0]:
            raise ShapeMismatchError(f"n_bootstrap={n_bootstrap} but indices hold {indices.shape[0]} resamples")
        n_bootstrap = indices.shape[0]
    n_bootstrap = 1000 if n_bootstrap is None else n_bootstrap
    rng = as_generator(seed)
    by_stimuli, by_subjects = over in ("stimuli", "both"), over in ("subjects", "both")
    # Draw everything first, so the resamples do not depend on batch_size.
    if by_stimuli and indices is None:
        indices = draw_indices(rng, n_bootstrap, n_stim)
    stim_counts = counts_from_indices(indices, n_stim) if by_stimuli else None
    subj_counts = counts_from_indices(draw_indices(rng, n_bootstrap, n_subj), n_subj) if by_subjects else None
    evaluate = Evaluator(a, b, entry, device)
    full = evaluate(np.ones((1, a.shape[1])), noise_ceiling)
    _require_defined(full, entry)
    if noise_ceiling:
        warn_ceiling_not_a_bound(entry)
    per_subject_observed = full.per_subject  # (1, n_models, n_subjects)
    samples = np.empty((n_bootstrap, a.shape[0]))
    ceiling_samples = np.empty((n_bootstrap, 2)) if noise_ceiling else None
    tally = Tally(entry, a.shape[0], n_subj)
    if stim_counts is not None:
        def record(rows: np.ndarray, evaluation: BatchResult) -> None:
            samples[rows] = _subject_mean(evaluation.per_subject, None if subj_counts is None else subj_counts[rows])
            if ceiling_samples is not None:
                ceiling_samples[rows] = evaluation.bounds.mean(axis=-1)

        resample_stimuli(evaluate, stim_counts, rng=rng, record=record, ceiling=noise_ceiling,
                         batch_size=batch_size, redraw=on_undefined == "redraw", explicit=explicit, tally=tally,
                         progress=progress)
    else:
        repeated = np.broadcast_to(per_subject_observed, (n_bootstrap, *per_subject_observed.shape[1:]))
        samples[:] = _subject_mean(repeated, subj_counts)
    return BootstrapResult(observed=per_subject_observed.mean(axis=-1)[0], samples=samples,
                           jackknife=_jackknife(evaluate, over, n_stim, per_subject_observed), comparator=entry.name,
                           over=over,
                           seed=seed if not isinstance(seed, np.random.Generator) else None,
                           ceiling_observed=None if full.bounds is None else full.bounds.mean(axis=-1)[0],
                           ceiling_samples=ceiling_samples, n_redrawn=tally.undefined)


def _check_options(comparator: str | Comparator, over: str, n_bootstrap: int | None, batch_size: int,
                   noise_ceiling: bool, indices: Any, on_undefined: str) -> Comparator:
    """The comparator's entry, once the options are known to fit together."""
    if over not in OVER:
        raise InvalidOptionError(f"over must be one of {OVER}; got {over!r}")
    if on_undefined not in ON_UNDEFINED:
        raise InvalidOptionError(f"on_undefined must be one of {ON_UNDEFINED}; got {on_undefined!r}")
    entry = get_comparator(comparator)
    if not entry.resamplable:
        usable = tuple(n for n in COMPARATORS.names() if COMPARATORS.get(n).resamplable)
        raise InvalidOptionError(f"comparator {entry.name!r} cannot be bootstrapped over stimuli here: it rebuilds "
                                 f"the square RDM, and a resample with repeated stimuli is not an RDM over distinct "
                                 f"stimuli. Use one of {usable}.")
    if (n_bootstrap is not None and n_bootstrap < 1) or batch_size < 1:
        raise InvalidOptionError("n_bootstrap and batch_size must be positive")
    if noise_ceiling and over != "stimuli":
        raise InvalidOptionError(f"a per-resample noise ceiling needs over='stimuli'; got over={over!r} (a subject "
                                 "resample repeats subjects, and a left-out subject's copy would stay in the pool)")
    if indices is not None and over == "subjects":
        raise InvalidOptionError("indices resample stimuli; over='subjects' resamples none")
    return entry


def _require_defined(full: BatchResult, comparator: Comparator) -> None:
    """Raise :class:`DegenerateRDMError` if the comparison of the original RDMs is undefined (as ``compare`` does)."""
    what, name = comparator.undefined_text, comparator.name
    for side, flat in (("model", full.flat_models[0]), ("data", full.flat_data[0])):
        if flat.any():
            raise DegenerateRDMError(f"{side} RDM {int(np.flatnonzero(flat)[0])} is {what}; {name} is undefined "
                                     "for it. Remove it, or use a comparator that allows it "
                                     f"({', '.join(comparators_defined_for_constant())} give 0).")
    if full.flat_pools[0]:
        raise DegenerateRDMError(f"the pooled RDM of the noise ceiling (of all subjects, or of all but one) is {what}; "
                                 f"{name} is undefined for it, so the noise ceiling is too")


def _jackknife(evaluate: Evaluator, over: str, n_stim: int, per_subject_observed: np.ndarray) -> np.ndarray | None:
    """Leave-one-unit-out statistics for BCa; NaN rows where leaving a stimulus out makes the comparison undefined."""
    if over == "stimuli":
        if n_stim <= MIN_STIMULI:
            return None
        loo = evaluate(pair_weights(1.0 - np.eye(n_stim)))
        return np.where(loo.undefined[:, None], np.nan, loo.per_subject.mean(axis=-1))
    if over == "subjects":
        n_subj = per_subject_observed.shape[-1]
        return _subject_mean(np.broadcast_to(per_subject_observed, (n_subj, *per_subject_observed.shape[1:])),
                             1.0 - np.eye(n_subj))
    return None
