"""A small in-memory RSA benchmark and features file with a known best layer, shared by the benchmark tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroalign.benchmarks import RsaBenchmark, StatsPolicy
from neuroalign.core.rdms import RDMs
from neuroalign.core.stimuli import StimulusSet

N_STIMULI, N_SUBJECTS, N_UNITS = 24, 5, 30


def latent(seed: int = 0) -> np.ndarray:
    """The stimuli's true representation, shared by the subjects and (noisily) by the good layer."""
    return np.random.default_rng(seed).normal(size=(N_STIMULI, N_UNITS))


class SyntheticRsa(RsaBenchmark):
    """Synthetic RSA benchmark: 5 noisy subjects sharing one latent representation."""

    id = "synthetic.rsa"
    version = "1"
    citation = "@misc{synthetic}"
    modality = "image"

    def __init__(self, n_subjects: int = N_SUBJECTS, stats: StatsPolicy | None = None) -> None:
        self.n_subjects = n_subjects
        if stats is not None:
            self.stats = stats

    def stimuli(self) -> StimulusSet:
        return StimulusSet([f"s{i:02d}" for i in range(N_STIMULI)])

    def load_target(self) -> RDMs:
        from scipy.spatial.distance import pdist

        rng = np.random.default_rng(1)
        base = latent()
        rdms = [pdist(base + rng.normal(scale=1.5, size=base.shape), "correlation") for _ in range(self.n_subjects)]
        return RDMs(np.array(rdms), self.stimuli().stimulus_ids,
                    descriptors={"subject": [f"sub{k}" for k in range(self.n_subjects)]})


def features_file(folder: Path) -> Path:
    """An NPZ of three layers: noise, the latent plus noise (the best), and a weak mix."""
    rng = np.random.default_rng(2)
    base = latent()
    path = folder / "features.npz"
    np.savez(path, stimulus_ids=np.array([f"s{i:02d}" for i in range(N_STIMULI)]),
             noise=rng.normal(size=(N_STIMULI, 40)), good=base + rng.normal(scale=0.5, size=base.shape),
             weak=base + rng.normal(scale=4.0, size=base.shape))
    return path
