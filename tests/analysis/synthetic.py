"""Synthetic time-resolved recordings with a known window of model-shaped geometry (a helper for the tests)."""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import pdist

from neuroalign.core.recording import Recording


def planted_recording(seed=0, n_stimuli=12, n_channels=20, n_times=60, window=(20, 35), strength=3.0):
    """A recording whose patterns follow a random latent geometry only inside ``window``; its model RDM."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n_stimuli, n_channels))
    data = rng.normal(size=(n_stimuli, n_channels, n_times))
    data[:, :, window[0]:window[1]] += strength * latent[:, :, None]
    rec = Recording(data, [f"s{k}" for k in range(n_stimuli)], dims=("stimulus", "channel", "time"),
                    times=np.arange(n_times) * 0.01)
    return rec, pdist(latent, "correlation")
