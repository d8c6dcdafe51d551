"""Condition patterns per run from an fMRI series: label averaging with a haemodynamic lag, or a first-level GLM.

Runs stay separate (a ``run`` axis) so that cross-validated distances (crossnobis) and split-half reliabilities
can use independent estimates. A condition absent from a run is NaN in that run.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from neuroalign.core.recording import Recording
from neuroalign.errors import DataFormatError
from neuroalign.datasets.loaders.fmri_design import volume_labels_from_events
from neuroalign.datasets.loaders.fmri_masking import (_load, check_binary_mask, check_same_grid, masked_series,
                                                     voxel_indices)
from neuroalign.registry import Registry

Estimator = Callable[..., np.ndarray]


def average_patterns(img: Any, mask: Any, events: pd.DataFrame, volume_runs: np.ndarray, tr: float,
                     conditions: Sequence[str], *, lag: float = 0.0, standardize: bool = True,
                     confounds: Any = None) -> np.ndarray:
    """Mean of the volumes of each condition in each run, after per-run detrending and z-scoring.

    Parameters
    ----------
    img, mask : image or path
        The 4-D series and the mask.
    events : DataFrame
        ``onset``, ``duration``, ``trial_type``, ``run`` (onsets relative to each run).
    volume_runs : array
        The run of every volume.
    tr : float
        Repetition time (seconds).
    conditions : sequence of str
        The conditions to estimate, in output order.
    lag : float
        Haemodynamic delay in seconds: a volume counts for an event if acquired within the event shifted by it.
    standardize : bool
        Detrend and z-score each voxel within each run first (removes run offsets and slow drifts).
    confounds : array or DataFrame, optional
        One row per volume (all runs): regressed out of each voxel within each run (fMRIPrep's motion
        parameters, for example) before averaging.

    Returns
    -------
    ndarray, shape (n_runs, n_conditions, n_voxels)
    """
    from nilearn.signal import clean

    series = masked_series(img, mask)
    confounds = _confound_rows(confounds, len(series))
    if standardize or confounds is not None:
        series = clean(series, runs=volume_runs, detrend=standardize, confounds=confounds,
                       standardize="zscore_sample" if standardize else False)
    run_labels = pd.unique(volume_runs).tolist()
    out = np.full((len(run_labels), len(conditions), series.shape[1]), np.nan)
    for r, run in enumerate(run_labels):
        rows = np.flatnonzero(volume_runs == run)
        run_events = events[events["run"] == run]
        labels = volume_labels_from_events(run_events, len(rows), tr, lag=lag)
        for c, condition in enumerate(conditions):
            if (labels == condition).any():
                out[r, c] = series[rows[labels == condition]].mean(axis=0)
            elif (run_events["trial_type"] == condition).any():
                raise DataFormatError("<events>", "duration", f"condition {condition!r} has events in run {run!r} "
                                                              f"but no volume is acquired within them (lag {lag} s, "
                                                              f"TR {tr} s): events shorter than a TR need "
                                                              "method='glm'")
    return out


def glm_patterns(img: Any, mask: Any, events: pd.DataFrame, volume_runs: np.ndarray, tr: float,
                 conditions: Sequence[str], *, hrf_model: str = "glover", drift_model: str = "cosine",
                 high_pass: float = 0.01, confounds: Any = None) -> np.ndarray:
    """Per-run GLM beta (effect size) maps of each condition, through nilearn's ``FirstLevelModel``.

    Parameters are as for :func:`average_patterns`; ``hrf_model``, ``drift_model`` and ``high_pass`` go to
    ``FirstLevelModel``; ``confounds`` (one row per volume) enter each run's design as nuisance regressors.
    Returns ``(n_runs, n_conditions, n_voxels)``.
    """
    from nilearn.glm.first_level import FirstLevelModel
    from nilearn.image import index_img
    from nilearn.maskers import NiftiMasker

    check_same_grid(img, mask)
    check_binary_mask(mask)
    series, mask_img = _load(img)[0], _load(mask)[0]
    confounds = _confound_rows(confounds, series.shape[3])
    masker = NiftiMasker(mask_img=mask_img, standardize=None).fit()
    run_labels = list(pd.unique(volume_runs))
    out = np.full((len(run_labels), len(conditions), masker.n_elements_), np.nan)
    for r, run in enumerate(run_labels):
        run_events = events.loc[events["run"] == run, ["onset", "duration", "trial_type"]]
        model = FirstLevelModel(t_r=tr, mask_img=masker, hrf_model=hrf_model, drift_model=drift_model,
                                high_pass=high_pass, signal_scaling=False, minimize_memory=True)
        rows = np.flatnonzero(volume_runs == run)
        nuisance = None if confounds is None else pd.DataFrame(np.asarray(confounds, dtype=float)[rows])
        model.fit(index_img(series, rows), events=run_events, confounds=nuisance)
        present = set(run_events["trial_type"])
        for c, condition in enumerate(conditions):
            if condition in present:
                out[r, c] = masker.transform(model.compute_contrast(condition, output_type="effect_size")).ravel()
    return out


def _confound_rows(confounds: Any, n_volumes: int) -> np.ndarray | None:
    if confounds is None:
        return None
    rows = np.asarray(confounds, dtype=float)
    rows = rows[:, None] if rows.ndim == 1 else rows
    if rows.shape[0] != n_volumes:
        raise DataFormatError("<confounds>", "rows", f"has {rows.shape[0]} rows for {n_volumes} volumes; give one "
                                                     "row per volume of every run")
    if not np.isfinite(rows).all():
        raise DataFormatError("<confounds>", "values", "holds NaN or infinite values; fill them (fMRIPrep's "
                                                       "derivative columns start with NaN)")
    return rows


#: Name -> estimator ``(img, mask, events, volume_runs, tr, conditions, **options) -> (run, condition, voxel)``.
PATTERN_ESTIMATORS: Registry[Estimator] = Registry("fMRI pattern estimator")
PATTERN_ESTIMATORS.register("average", average_patterns)
PATTERN_ESTIMATORS.register("glm", glm_patterns)


def condition_patterns(img: Any, mask: Any, events: pd.DataFrame, volume_runs: Sequence[Any], tr: float, *,
                       conditions: Sequence[str] | None = None, method: str = "average",
                       options: Mapping[str, Any] | None = None, descriptors: Mapping[str, Any] | None = None
                       ) -> Recording:
    """A ``run x stimulus x channel`` :class:`Recording` of condition patterns from a masked fMRI series.

    Parameters
    ----------
    img, mask : image or path
        The 4-D series and a mask on the same grid.
    events : DataFrame
        ``onset``, ``duration``, ``trial_type``, ``run``.
    volume_runs : sequence
        The run of every volume of ``img``.
    tr : float
        Repetition time (seconds).
    conditions : sequence of str, optional
        Conditions (stimulus ids) in order; default: the event types sorted.
    method : str
        A registered estimator (``"average"``, ``"glm"``).
    options : mapping, optional
        Keyword arguments of the estimator (``lag=`` for averaging, ``hrf_model=`` for the GLM).
    descriptors : mapping, optional
        Recording descriptors (subject, roi, ...); ``modality``, ``method`` and ``volume_shape`` are added.

    Returns
    -------
    Recording
        Channels are the voxels' flat indices into the 3-D grid; runs are the run labels.
    """
    estimator = PATTERN_ESTIMATORS.get(method)
    volume_runs = np.asarray(volume_runs)
    conditions = sorted(set(events["trial_type"])) if conditions is None else list(conditions)
    cube = estimator(img, mask, events, volume_runs, tr, conditions, **dict(options or {}))
    shape = tuple(int(s) for s in _load(mask)[0].shape[:3])
    return Recording(cube, conditions, dims=("run", "stimulus", "channel"), channels=voxel_indices(mask),
                     runs=list(pd.unique(volume_runs)), descriptors={"modality": "fmri", "method": method,
                                                                     "volume_shape": shape, **dict(descriptors or {})})
