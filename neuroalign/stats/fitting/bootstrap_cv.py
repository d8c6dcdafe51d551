"""Bootstrap cross-validation of fitted RDM models: subjects and stimuli resampled, folds crossing both
(rsatoolbox's ``bootstrap_crossval`` with ``boot_type="both"``).

Each bootstrap sample draws subjects and stimuli with replacement; within the sample, ``n_cv`` random fold
assignments (:func:`~neuroalign.stats.fitting.crossval.kfold_folds`) each fit every model on the training part and
score it on the test part, with the cross-validated ceiling of the same folds. A sample with fewer distinct
subjects than subject folds, or fewer than three distinct stimuli per stimulus fold, is skipped (NaN).

The spread across samples mixes the bootstrap variance with the variance of the random fold assignment; with
``n_cv >= 2`` assignments per sample the latter is removed by the correction of Schütt et al. (2023),
``(n_cv * var(mean over assignments) - mean var(one assignment)) / (n_cv - 1)``, as rsatoolbox does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from neuroalign.compare import Comparator, get_comparator
from neuroalign.core.rdms import RDMs
from neuroalign.errors import InvalidOptionError
from neuroalign.stats.fitting.crossval import crossval, kfold_folds
from neuroalign.stats.fitting.models import RDMModel

__all__ = ["BootstrapCrossValidation", "bootstrap_crossval", "default_k_stimuli", "default_k_subjects"]


def default_k_stimuli(n: float) -> int:
    """rsatoolbox's ``default_k_pattern``: 2 folds below 12 stimuli, up to 5 from 40."""
    return 2 if n < 12 else 3 if n < 24 else 4 if n < 40 else 5


def default_k_subjects(n: float) -> int:
    """rsatoolbox's ``default_k_rdm``: 2 folds below 6 subjects, up to 5 from 20."""
    return 2 if n < 6 else 3 if n < 12 else 4 if n < 20 else 5


@dataclass(frozen=True)
class BootstrapCrossValidation:
    """Scores of every model in every sample, fold and fold assignment, with ceilings and corrected variances.

    Attributes
    ----------
    evaluations : ndarray, shape (n_bootstrap, n_models, n_folds, n_cv)
    ceiling_samples : ndarray, shape (2, n_bootstrap, n_cv)
        Lower and upper cross-validated ceiling of each sample and assignment.
    variances : ndarray, shape (n_models + 2, n_models + 2)
        Covariance over samples of the models' scores and the two ceilings, corrected for the fold assignment.
    model_names : tuple of str
    comparator : str
    n_subjects, n_stimuli : int
        Of the data; the variances are scaled by ``n / (n - 1)`` with ``n`` the smaller of the two (rsatoolbox's
        correction of a dual bootstrap), which also gives the ``n - 1`` degrees of freedom of :meth:`interval`.
    """

    evaluations: np.ndarray
    ceiling_samples: np.ndarray
    variances: np.ndarray
    model_names: tuple[str, ...]
    comparator: str
    n_subjects: int
    n_stimuli: int

    @property
    def valid(self) -> np.ndarray:
        """Which samples allowed the cross-validation."""
        return ~np.isnan(self.evaluations[:, 0, 0, 0])

    @property
    def means(self) -> np.ndarray:
        """Mean score of each model over the valid samples, folds and assignments."""
        return np.nanmean(self.evaluations[self.valid], axis=(0, 2, 3))

    @property
    def dof(self) -> int:
        """Degrees of freedom of the t interval: the smaller of subjects and stimuli, minus one."""
        return min(self.n_subjects, self.n_stimuli) - 1

    @property
    def sems(self) -> np.ndarray:
        """Standard error of each model's mean (rsatoolbox's ``get_sem``)."""
        n = self.dof + 1
        variances = np.diag(self.variances)[:len(self.model_names)] * n / (n - 1)
        return np.sqrt(np.maximum(variances, 0.0))

    def interval(self, level: float = 0.95) -> np.ndarray:
        """Two-sided t interval of each model's mean, shape (n_models, 2) (rsatoolbox's ``get_ci``, t-test)."""
        from scipy.stats import t

        half = self.sems * t.ppf(0.5 + level / 2, self.dof)
        return np.stack([self.means - half, self.means + half], axis=1)

    @property
    def ceiling(self) -> tuple[float, float]:
        """Mean lower and upper cross-validated ceiling over the valid samples."""
        lower, upper = np.nanmean(self.ceiling_samples[:, self.valid], axis=(1, 2))
        return float(lower), float(upper)


def _draw(rng: Any, n: int) -> np.ndarray:
    if isinstance(rng, np.random.RandomState):
        return rng.randint(0, n, size=n)  # rsatoolbox's call: a seeded RandomState replays its samples
    return rng.integers(0, n, size=n)


def _corrected_variances(evaluations: np.ndarray, ceiling: np.ndarray, valid: np.ndarray) -> np.ndarray:
    evals = evaluations[valid]
    nc = ceiling[:, valid]
    n_cv = evals.shape[-1]
    mean_all = np.concatenate([evals.mean(-1).mean(-1).T, nc.mean(-1)])
    if n_cv == 1:
        return np.atleast_2d(np.cov(mean_all))
    one = np.mean([np.cov(np.concatenate([evals.mean(-2)[:, :, i].T, nc[:, :, i]])) for i in range(n_cv)], axis=0)
    return (n_cv * np.atleast_2d(np.cov(mean_all)) - one) / (n_cv - 1)


def bootstrap_crossval(models: RDMModel | Sequence[RDMModel], data: RDMs, comparator: str | Comparator = "cosine",
                       *, n_bootstrap: int = 1000, n_cv: int = 2, k_stimuli: int | None = None,
                       k_subjects: int | None = None, solver: str = "nnls", rng: Any = None
                       ) -> BootstrapCrossValidation:
    """Bootstrap cross-validated scores of fitted RDM models against subjects' RDMs (see the module).

    Parameters
    ----------
    models : RDMModel or sequence of RDMModel
        Models over the stimuli of ``data`` (joined by id; their stimulus sets must be equal).
    data : RDMs
        One RDM per subject, no missing pair.
    comparator : str or Comparator
        Fitted and scored with (rsatoolbox's ``method``: ``"cosine"``, ``"pearson"`` for ``"corr"``, ...).
    n_bootstrap : int
        Bootstrap samples.
    n_cv : int
        Fold assignments per sample (>= 2 for the variance correction).
    k_stimuli, k_subjects : int, optional
        Folds over stimuli and subjects; by default rsatoolbox's, for the expected number of distinct items in a
        sample (``(1 - 1/e) * n``; one subject fold for one subject).
    solver : {"nnls", "linear"}
        Weights of weighted models.
    rng : numpy Generator, RandomState or seed, optional

    Returns
    -------
    BootstrapCrossValidation
    """
    models = [models] if isinstance(models, RDMModel) else list(models)
    entry = get_comparator(comparator)
    if n_bootstrap < 2 or n_cv < 1:
        raise InvalidOptionError(f"bootstrap_crossval: needs n_bootstrap >= 2 and n_cv >= 1; got {n_bootstrap}, "
                                 f"{n_cv}")
    values = data.dissimilarities
    aligned = [m if m.rdms.stimulus_ids == data.stimulus_ids else
               type(m)(m.name, m.rdms.aligned_to(data)) for m in models]
    n_subjects, n_stimuli = data.n_rdms, data.n_stimuli
    kp = k_stimuli or default_k_stimuli((1 - 1 / np.e) * n_stimuli)
    kr = k_subjects or (1 if n_subjects == 1 else default_k_subjects((1 - 1 / np.e) * n_subjects))
    rng = rng if isinstance(rng, (np.random.Generator, np.random.RandomState)) else np.random.default_rng(rng)
    evaluations = np.full((n_bootstrap, len(models), kp * kr, n_cv), np.nan)
    ceiling = np.full((2, n_bootstrap, n_cv), np.nan)
    for b in range(n_bootstrap):
        subjects, stimuli = _draw(rng, n_subjects), _draw(rng, n_stimuli)
        if len(np.unique(subjects)) < kr or len(np.unique(stimuli)) < 3 * kp:
            continue
        for rep in range(n_cv):
            folds = kfold_folds(subjects, stimuli, kr, kp, rng=rng)
            result = crossval(aligned, values[subjects], folds, entry, solver=solver)
            evaluations[b, :, :, rep] = result.evaluations
            ceiling[:, b, rep] = np.nanmean(result.ceiling_per_fold, axis=1)
    valid = ~np.isnan(evaluations[:, 0, 0, 0])
    if valid.sum() < 2:
        raise InvalidOptionError(f"bootstrap_crossval: only {int(valid.sum())} of {n_bootstrap} samples allowed "
                                 f"{kr} subject and {kp} stimulus folds; give more subjects/stimuli or fewer folds")
    return BootstrapCrossValidation(evaluations, ceiling, _corrected_variances(evaluations, ceiling, valid),
                                    tuple(m.name for m in models), entry.name, n_subjects, n_stimuli)
