"""Helpers of the RDM engine tests: ids, recordings, and rsatoolbox datasets built from patterns."""

from __future__ import annotations

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
