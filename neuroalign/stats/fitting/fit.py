"""Fitting RDM models to data RDMs by the comparator being optimised (rsatoolbox's ``fit_*``).

Every fitter takes the model, the data as condensed rows ``(n_subjects, n_pairs)`` on the stimuli ``selection``
(positions into the model's stimuli, repeats allowed: a bootstrap sample), and the comparator, and returns the
parameters ``theta`` that maximise the mean score of the model's prediction against the data:

- selection models: the component with the best mean score (rsatoolbox's ``fit_select``);
- weighted models with ``cosine`` or ``pearson``: the closed form. The subjects' RDMs are pooled on the
  comparator's scale (:attr:`~neuroalign.compare.Comparator.pooling`; the RDM that scores best against all of them),
  and the weights are the least-squares (``solver="linear"``, rsatoolbox's ``fit_regress``) or non-negative
  least-squares (``solver="nnls"``, ``fit_regress_nn``) regression of that pool on the components (centred for
  ``pearson``), scaled to unit norm (the comparators are blind to scale);
- weighted models with any other comparator: numerical maximisation of the mean score (BFGS from fixed starts:
  the all-ones vector and each unit vector; squared parameters for ``solver="nnls"``);
- interpolation models: for each pair of neighbours, the bounded scalar optimum of the mixing weight (Brent's
  method on [0, 1], rsatoolbox's ``fit_interpolate``), and the best pair;
- fixed models: nothing to fit (an empty ``theta``).
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
from scipy import optimize

from neuroalign.compare import Comparator, compare_condensed, get_comparator
from neuroalign.errors import InvalidOptionError, ShapeMismatchError
from neuroalign.stats.fitting._pairs import subsample
from neuroalign.stats.fitting.models import (FixedModel, InterpolationModel, RDMModel, SelectionModel,
                                             WeightedModel)

__all__ = ["SOLVERS", "fit_model", "mean_score", "pooled"]

#: Weighted-model solvers: ordinary and non-negative least squares.
SOLVERS = ("nnls", "linear")

#: Comparators whose weighted fit has a closed form (a regression on the pooled data).
_CLOSED_FORM = {"cosine": False, "pearson": True}  # name -> whether the regressors are centred


def mean_score(prediction: np.ndarray, data: np.ndarray, comparator: Comparator) -> float:
    """Mean over the data RDMs of the comparator between one predicted RDM and each of them."""
    return float(compare_condensed(prediction[None, :], data, comparator)[0].mean())


def pooled(values: np.ndarray, comparator: Comparator) -> np.ndarray:
    """The subjects pooled on the comparator's scale; a repeated-stimulus pair stays NaN (missing in every row)."""
    scaled = values if comparator.pooling is None else comparator.pooling(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice" on exactly those pairs
        return np.nanmean(scaled, axis=0)


def _normalised(theta: np.ndarray) -> np.ndarray:
    norm = np.sqrt(np.sum(theta**2))
    return theta if norm == 0 else theta / norm


def _fit_select(components: np.ndarray, data: np.ndarray, comparator: Comparator) -> np.ndarray:
    scores = [mean_score(c, data, comparator) for c in components]
    return np.array([int(np.argmax(scores))])


def _fit_closed_form(components: np.ndarray, data: np.ndarray, comparator: Comparator, solver: str) -> np.ndarray:
    pool = pooled(data, comparator)
    ok = np.isfinite(pool) & np.isfinite(components).all(axis=0)
    x, y = components[:, ok], pool[ok]
    if _CLOSED_FORM[comparator.name]:
        x = x - x.mean(axis=1, keepdims=True)
    if solver == "nnls":
        theta = optimize.nnls(x.T, y)[0]
    else:
        theta = np.linalg.solve(x @ x.T, x @ y)
    return _normalised(theta)


def _fit_optimise(components: np.ndarray, data: np.ndarray, comparator: Comparator, solver: str) -> np.ndarray:
    squash: Callable[[np.ndarray], np.ndarray] = np.square if solver == "nnls" else (lambda t: t)

    def loss(theta: np.ndarray) -> float:
        return -mean_score(squash(theta) @ components, data, comparator)

    k = components.shape[0]
    starts = [np.ones(k)] + [np.eye(k)[i] + 0.001 for i in range(k)]
    results = [optimize.minimize(loss, start, method="BFGS", tol=1e-6) for start in starts]
    best = min(results, key=lambda r: r.fun)
    return _normalised(squash(best.x))


def _fit_interpolate(components: np.ndarray, data: np.ndarray, comparator: Comparator) -> np.ndarray:
    k = components.shape[0]
    results = []
    for i in range(k - 1):
        def loss(w: float, i: int = i) -> float:
            return -mean_score(w * components[i] + (1 - w) * components[i + 1], data, comparator)

        results.append(optimize.minimize_scalar(loss, np.array([0.5]), method="bounded", bounds=(0, 1)))
    best = int(np.argmin([r.fun for r in results]))
    theta = np.zeros(k)
    theta[best], theta[best + 1] = results[best].x, 1 - results[best].x
    return theta


def fit_model(model: RDMModel, data: np.ndarray, comparator: str | Comparator = "cosine", *,
              selection: Any = None, solver: str = "nnls") -> np.ndarray:
    """The parameters of ``model`` that best fit the data RDMs under ``comparator`` (see the module).

    Parameters
    ----------
    model : RDMModel
    data : ndarray, shape (n_subjects, n_pairs)
        Condensed data RDMs over the stimuli ``selection`` of the model (all its stimuli when ``None``), in the
        order of a sorted ``selection``, pairs of a repeated stimulus missing (NaN).
    comparator : str or Comparator
        The comparator the fit maximises (its mean over the data RDMs).
    selection : array_like of int, optional
        Positions into the model's stimuli (repeats allowed) the data cover.
    solver : {"nnls", "linear"}
        Weighted models only: non-negative or unconstrained weights.

    Returns
    -------
    ndarray
        ``theta``: empty for fixed models, one index for selection models, one weight per component otherwise.

    Raises
    ------
    InvalidOptionError
        For an unknown solver.
    ShapeMismatchError
        When the data and the model's prediction differ in their number of pairs.
    """
    if solver not in SOLVERS:
        raise InvalidOptionError(f"fit_model: solver must be one of {SOLVERS}; got {solver!r}")
    entry = get_comparator(comparator)
    data = np.atleast_2d(np.asarray(data, dtype=np.float64))
    components = model.components if selection is None else subsample(model.components, np.asarray(selection))
    if data.shape[1] != components.shape[1]:
        raise ShapeMismatchError(f"fit_model: the data RDMs have {data.shape[1]} pairs but model {model.name!r} "
                                 f"predicts {components.shape[1]} on these stimuli; the data must cover the model's "
                                 "stimuli (in the model's order) or the given selection of them")
    if isinstance(model, FixedModel):
        return np.zeros(0)
    if isinstance(model, SelectionModel):
        return _fit_select(components, data, entry)
    if isinstance(model, InterpolationModel):
        return _fit_interpolate(components, data, entry)
    if isinstance(model, WeightedModel):
        if entry.name in _CLOSED_FORM:
            return _fit_closed_form(components, data, entry, solver)
        return _fit_optimise(components, data, entry, solver)
    raise InvalidOptionError(f"fit_model: no fitter for a {type(model).__name__}")
