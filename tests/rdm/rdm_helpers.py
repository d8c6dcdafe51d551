"""Helpers of the RDM engine tests: ids, recordings, and rsatoolbox datasets built from patterns."""

from __future__ import annotations

import warnings

import numpy as np

from neuroalign import Recording


def make_ids(n: int) -> list[str]:
    """Zero-padded ids, so that rsatoolbox's alphabetical sort keeps our order."""
    return [f"s{k:03d}" for k in range(n)]


def run_recording(patterns: np.ndarray, **kwargs) -> Recording:
    """A Recording from a ``(run, stimulus, channel)`` array."""
    return Recording(patterns, make_ids(patterns.shape[1]), dims=("run", "stimulus", "channel"), **kwargs)


def rsa_dataset(patterns: np.ndarray):
    """An rsatoolbox Dataset of a ``(run, stimulus, channel)`` array, with ``stim`` and ``run`` descriptors."""
    import rsatoolbox

    runs, n, p = patterns.shape
    return rsatoolbox.data.Dataset(
        patterns.reshape(runs * n, p),
        obs_descriptors={"stim": np.tile(make_ids(n), runs), "run": np.repeat(np.arange(runs), n)},
    )


def padded_recording(patterns: np.ndarray, present: np.ndarray) -> Recording:
    """A Recording of a ``(run, stimulus, channel)`` array whose slots not ``present`` are NaN (not measured)."""
    out = patterns.astype(np.float64).copy()
    out[~present] = np.nan
    return run_recording(out)


def rsatoolbox_unbalanced(patterns: np.ndarray, present: np.ndarray, method: str, **kwargs) -> np.ndarray:
    """rsatoolbox's ``calc_rdm_unbalanced`` of the measured slots of a ``(run, stimulus, channel)`` array."""
    from rsatoolbox.data import Dataset
    from rsatoolbox.rdm import calc_rdm_unbalanced

    rows = np.argwhere(present)  # (run, stimulus) of every measurement
    ids = make_ids(patterns.shape[1])
    data = Dataset(patterns[rows[:, 0], rows[:, 1]],
                   obs_descriptors={"stim": [ids[i] for i in rows[:, 1]], "run": rows[:, 0]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rsatoolbox's own cast warnings while it builds descriptors
        rdms = calc_rdm_unbalanced(data, method=method, descriptor="stim", cv_descriptor="run", **kwargs)
    assert list(rdms.pattern_descriptors["stim"]) == ids
    return rdms.dissimilarities[0]
