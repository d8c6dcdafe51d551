"""Multiple-regression and partial-correlation RSA (mne-rsa's ``metric="regression"``, ``"partial"`` and
``"partial-spearman"``).

- :func:`regression_rsa`: the least-squares weights of the model RDMs in a linear model of each data RDM, both
  centred (an intercept): how much each model RDM explains with the others in the model.
- :func:`partial_correlation_rsa`: the correlation of each data RDM with each model RDM after removing, from both,
  what the *other* model RDMs explain linearly (from the inverse of the joint covariance of data and models);
  ``rank=True`` correlates ranks (partial Spearman).

Model RDMs that are collinear (one a linear combination of the others) make both questions ill-posed; they are
refused rather than answered by a pseudo-inverse's arbitrary choice.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.compare.pooling import ranks
from neuroalign.core.rdm_arrays import condensed_rows
from neuroalign.core.rdms import RDMs
from neuroalign.errors import InvalidOptionError, InvalidRDMError

__all__ = ["partial_correlation_rsa", "regression_rsa"]


def _stacks(data: Any, models: Any, measure: str) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(data, RDMs) and isinstance(models, RDMs):
        models = models.aligned_to(data)
    x = data.dissimilarities if isinstance(data, RDMs) else condensed_rows(np.asarray(data, dtype=np.float64))
    m = models.dissimilarities if isinstance(models, RDMs) else condensed_rows(np.asarray(models, dtype=np.float64))
    if x.shape[1] != m.shape[1]:
        raise InvalidRDMError(f"{measure}: data RDMs have {x.shape[1]} pairs and model RDMs {m.shape[1]}")
    if m.shape[0] < 2:
        raise InvalidOptionError(f"{measure} needs >= 2 model RDMs (with one, use compare(..., 'pearson'))")
    if not (np.isfinite(x).all() and np.isfinite(m).all()):
        raise InvalidRDMError(f"{measure}: data and model RDMs must be complete (no NaN); drop the missing pairs")
    centred = m - m.mean(axis=1, keepdims=True)
    rank = np.linalg.matrix_rank(centred)
    if rank < m.shape[0]:
        raise InvalidRDMError(f"{measure}: the {m.shape[0]} model RDMs are collinear (rank {rank} after centring): "
                              "their separate contributions are not identifiable; drop a redundant model RDM")
    return x, m


def regression_rsa(data: Any, models: Any) -> np.ndarray:
    """Multiple-regression weights of the model RDMs for every data RDM.

    Parameters
    ----------
    data : RDMs or array_like, shape (n_data, n_pairs) or (n_pairs,)
        Condensed data RDMs (an ``RDMs`` is joined with ``models`` by stimulus id).
    models : RDMs or array_like, shape (n_models, n_pairs)
        At least two linearly independent model RDMs.

    Returns
    -------
    ndarray, shape (n_data, n_models)
        Ordinary least-squares weights with an intercept (mne-rsa's ``metric="regression"``).
    """
    x, m = _stacks(data, models, "regression_rsa")
    design = (m - m.mean(axis=1, keepdims=True)).T
    target = (x - x.mean(axis=1, keepdims=True)).T
    return np.linalg.lstsq(design, target, rcond=None)[0].T


def partial_correlation_rsa(data: Any, models: Any, *, rank: bool = False) -> np.ndarray:
    """Partial correlation of every data RDM with every model RDM, controlling for the other model RDMs.

    Parameters
    ----------
    data : RDMs or array_like, shape (n_data, n_pairs) or (n_pairs,)
    models : RDMs or array_like, shape (n_models, n_pairs)
        At least two linearly independent model RDMs.
    rank : bool
        Correlate average ranks (partial Spearman) instead of values (partial Pearson).

    Returns
    -------
    ndarray, shape (n_data, n_models)
    """
    x, m = _stacks(data, models, "partial_correlation_rsa")
    out = np.empty((x.shape[0], m.shape[0]))
    m = ranks(m) if rank else m
    for i, row in enumerate(ranks(x) if rank else x):
        joint = np.vstack([row, m]).T
        joint = joint - joint.mean(axis=0)
        precision = np.linalg.inv(joint.T @ joint)
        scale = np.sqrt(np.diag(precision))
        out[i] = -precision[0, 1:] / (scale[0] * scale[1:])
    return out
