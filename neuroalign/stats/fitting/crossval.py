"""Cross-validated evaluation of fitted RDM models, folds crossing subjects and stimuli (rsatoolbox's ``crossval``).

A fold names training and test subjects (rows of the data) and training and test stimuli (positions, repeats
allowed). The model is fitted on the training subjects' RDMs over the training stimuli and scored, with the
comparator it was fitted for, against the test subjects' RDMs over the test stimuli. Nothing scored was seen by the
fit.

The ceiling is adjusted the same way (rsatoolbox's ``cv_noise_ceiling``): its lower bound is the pool of the
*training* subjects' RDMs over the test stimuli scored against the test subjects (what a perfectly fitted model
could reach from the training data), its upper bound the pool of all subjects. A fixed model evaluated this way
gets the same numbers as without fitting; a flexible model is no longer compared with a ceiling it could exceed by
overfitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from neuroalign.compare import Comparator, get_comparator
from neuroalign.errors import InvalidOptionError, ShapeMismatchError
from neuroalign.core.condensed import n_stimuli_from_pairs
from neuroalign.stats.fitting._pairs import pair_index, subsample
from neuroalign.stats.fitting.fit import fit_model, mean_score, pooled
from neuroalign.stats.fitting.models import RDMModel

__all__ = ["CrossValidation", "Fold", "crossval", "k_fold_splits", "kfold_folds"]


@dataclass(frozen=True)
class Fold:
    """One train/test split of subjects (data rows) and stimuli (positions; repeats allowed).

    ``stimuli`` are all the stimuli of the data set being cross-validated (a bootstrap sample; ``None``: every
    stimulus once): the upper ceiling pools the subjects' RDMs over them before restricting to the test stimuli, as
    rsatoolbox does.
    """

    train_subjects: np.ndarray
    test_subjects: np.ndarray
    train_stimuli: np.ndarray
    test_stimuli: np.ndarray
    stimuli: np.ndarray | None = None


@dataclass(frozen=True)
class CrossValidation:
    """Held-out scores of each model in each fold, and the fold-wise cross-validated ceiling.

    Attributes
    ----------
    evaluations : ndarray, shape (n_models, n_folds)
        Mean score over the test subjects; NaN for a fold with no subject or at most two stimuli on a side.
    thetas : list of list of ndarray
        ``thetas[m][f]``: the parameters of model ``m`` fitted in fold ``f``.
    ceiling_per_fold : ndarray, shape (2, n_folds)
        Lower and upper ceiling of each fold.
    comparator : str
    """

    evaluations: np.ndarray
    thetas: list
    ceiling_per_fold: np.ndarray
    comparator: str

    @property
    def means(self) -> np.ndarray:
        """Mean held-out score of each model over the folds, shape (n_models,)."""
        return np.nanmean(self.evaluations, axis=1)

    @property
    def ceiling(self) -> tuple[float, float]:
        """Lower and upper cross-validated ceiling (means over the folds)."""
        lower, upper = np.nanmean(self.ceiling_per_fold, axis=1)
        return float(lower), float(upper)


def _shuffled(values: np.ndarray, rng: Any) -> np.ndarray:
    out = np.array(values, copy=True)
    rng.shuffle(out)  # Generator and RandomState both shuffle in place (a RandomState replays rsatoolbox's draws)
    return out


def k_fold_splits(values: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """``k`` (train, test) splits of ``values`` in their order, as rsatoolbox's ``sets_k_fold_*`` split.

    Groups of ``len // k`` consecutive values; the ``len % k`` left over go, from the end backwards, one each to
    the first groups. ``k == 1`` trains and tests on everything.
    """
    size, extra = len(values) // k, len(values) % k
    out = []
    for g in range(k):
        test = list(range(g * size, (g + 1) * size)) + ([len(values) - (g + 1)] if g < extra else [])
        train = test if k <= 1 else np.setdiff1d(np.arange(len(values)), test)
        out.append((values[np.asarray(train, dtype=int)], values[np.asarray(test, dtype=int)]))
    return out


def kfold_folds(subjects: Sequence[Any], stimuli: Sequence[int], k_subjects: int, k_stimuli: int, *,
                rng: Any = None) -> list[Fold]:
    """``k_subjects * k_stimuli`` folds over data rows labelled by subject and stimulus positions (repeats allowed).

    The distinct subjects are shuffled and split in ``k_subjects`` groups; for each group the distinct stimuli are
    shuffled again and split in ``k_stimuli`` groups (rsatoolbox's ``sets_k_fold`` with ``random=True``; a
    ``numpy.random.RandomState`` seeded as rsatoolbox's global state draws its folds). A repeated subject or
    stimulus goes, with all its copies, to one side.

    Parameters
    ----------
    subjects : sequence
        The subject of each data row (a bootstrap sample repeats subjects); the folds hold row positions.
    stimuli : sequence of int
        Stimulus positions, repeats allowed.
    k_subjects, k_stimuli : int
        Number of groups of each (1: no cross-validation over that dimension).
    rng : numpy Generator, RandomState or seed, optional

    Returns
    -------
    list of Fold
    """
    rng = rng if isinstance(rng, (np.random.Generator, np.random.RandomState)) else np.random.default_rng(rng)
    subjects, stimuli = np.asarray(subjects), np.asarray(stimuli, dtype=int)
    distinct_subjects, distinct_stimuli = np.unique(subjects), np.unique(stimuli)
    if not (1 <= k_subjects <= len(distinct_subjects) and 1 <= k_stimuli <= len(distinct_stimuli)):
        raise InvalidOptionError(f"kfold_folds: needs 1 <= k_subjects <= {len(distinct_subjects)} subjects and "
                                 f"1 <= k_stimuli <= {len(distinct_stimuli)} stimuli; got {k_subjects}, {k_stimuli}")
    folds = []
    for train_s, test_s in k_fold_splits(_shuffled(distinct_subjects, rng), k_subjects):
        for train_p, test_p in k_fold_splits(_shuffled(distinct_stimuli, rng), k_stimuli):
            folds.append(Fold(np.flatnonzero(np.isin(subjects, train_s)), np.flatnonzero(np.isin(subjects, test_s)),
                              stimuli[np.isin(stimuli, train_p)], stimuli[np.isin(stimuli, test_p)], stimuli))
    return folds


def _fold_ceiling(values: np.ndarray, fold: Fold, comparator: Comparator) -> tuple[float, float]:
    test = subsample(values[fold.test_subjects], fold.test_stimuli)
    # Lower: the training subjects pooled on the test stimuli. Upper: every subject pooled on all the stimuli,
    # then restricted to the test stimuli (the pooling scale of a subject is read from all its pairs).
    lower = pooled(subsample(values[fold.train_subjects], fold.test_stimuli), comparator)
    everything = np.arange(n_stimuli_from_pairs(values.shape[1])) if fold.stimuli is None else np.sort(fold.stimuli)
    upper = pooled(subsample(values, everything), comparator)
    inside, _ = pair_index(len(everything), np.flatnonzero(np.isin(everything, fold.test_stimuli)))
    return mean_score(lower, test, comparator), mean_score(upper[inside], test, comparator)


def _usable(fold: Fold) -> bool:
    """rsatoolbox's rule: a fold needs subjects on both sides and more than two stimuli on each."""
    return (len(fold.train_subjects) > 0 and len(fold.test_subjects) > 0 and len(fold.train_stimuli) > 2
            and len(fold.test_stimuli) > 2)


def crossval(models: RDMModel | Sequence[RDMModel], data: np.ndarray, folds: Sequence[Fold],
             comparator: str | Comparator = "cosine", *, solver: str = "nnls") -> CrossValidation:
    """Fit every model on each fold's training part and score it on the test part (see the module).

    Parameters
    ----------
    models : RDMModel or sequence of RDMModel
        Models over the same stimuli as ``data``, in the same order (``model.rdms.aligned_to(data_rdms)``;
        :func:`~neuroalign.stats.fitting.bootstrap_crossval` joins by id itself).
    data : ndarray, shape (n_subjects, n_pairs)
        Condensed data RDMs, one row per subject (rows may repeat: a bootstrap sample).
    folds : sequence of Fold
    comparator : str or Comparator
        Fitted and scored with.
    solver : {"nnls", "linear"}
        Weights of weighted models.

    Returns
    -------
    CrossValidation
    """
    models = [models] if isinstance(models, RDMModel) else list(models)
    entry = get_comparator(comparator)
    values = np.atleast_2d(np.asarray(data, dtype=np.float64))
    for model in models:
        if model.components.shape[1] != values.shape[1]:
            raise ShapeMismatchError(f"crossval: model {model.name!r} has {model.components.shape[1]} pairs and the "
                                     f"data {values.shape[1]}; both must be over the same stimuli, in one order")
    evaluations = np.full((len(models), len(folds)), np.nan)
    thetas: list[list[np.ndarray]] = [[] for _ in models]
    ceiling = np.full((2, len(folds)), np.nan)
    for f, fold in enumerate(folds):
        ceiling[:, f] = _fold_ceiling(values, fold, entry)
        train = subsample(values[fold.train_subjects], fold.train_stimuli)
        test = subsample(values[fold.test_subjects], fold.test_stimuli)
        for m, model in enumerate(models):
            if not _usable(fold):
                thetas[m].append(np.full(model.n_params, np.nan))
                continue
            theta = fit_model(model, train, entry, selection=fold.train_stimuli, solver=solver)
            thetas[m].append(theta)
            prediction = subsample(model.predict(theta), fold.test_stimuli)
            evaluations[m, f] = mean_score(prediction, test, entry)
    return CrossValidation(evaluations, thetas, ceiling, entry.name)
