"""Small real inputs for the distributed tests: a synthetic RSA benchmark, features files, a worker-killing task.

The classes live in an importable module (not a test file) so that Dask workers can unpickle them.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np

from neuroalign.benchmarks import RsaBenchmark, StatsPolicy
from neuroalign.core.rdms import RDMs
from neuroalign.core.stimuli import StimulusSet

N_UNITS = 20


class GridRsa(RsaBenchmark):
    """Synthetic RSA benchmark: noisy subjects sharing one latent representation of ``n_stimuli`` stimuli."""

    version = "1"
    citation = "@misc{synthetic}"
    modality = "image"

    def __init__(self, bench_id: str = "grid.rsa", n_stimuli: int = 24, n_subjects: int = 4, seed: int = 1,
                 stats: StatsPolicy | None = None) -> None:
        self.id, self.n_stimuli, self.n_subjects, self.seed = bench_id, n_stimuli, n_subjects, seed
        if stats is not None:
            self.stats = stats

    def stimuli(self) -> StimulusSet:
        return StimulusSet([f"s{i:03d}" for i in range(self.n_stimuli)])

    def load_target(self) -> RDMs:
        from scipy.spatial.distance import pdist

        rng = np.random.default_rng(self.seed)
        base = latent(self.n_stimuli)
        rdms = [pdist(base + rng.normal(scale=1.5, size=base.shape), "correlation") for _ in range(self.n_subjects)]
        return RDMs(np.array(rdms), self.stimuli().stimulus_ids,
                    descriptors={"subject": [f"sub{k}" for k in range(self.n_subjects)]})


class KillOnce(GridRsa):
    """Kills the worker process scoring it the first time it is evaluated (a marker file remembers that); writes
    the process id of every evaluation to ``attempts``."""

    def __init__(self, marker: Path, attempts: Path, **options) -> None:
        super().__init__(**options)
        self.marker, self.attempts = Path(marker), Path(attempts)

    def _tag(self) -> str:
        return str(os.getpid())

    def _first_time(self) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    def evaluate(self, features, stimulus_ids, *, n_bootstrap=0, seed=0):
        with open(self.attempts, "a") as f:
            f.write(f"{self._tag()}\n")
        if not self.marker.exists():
            self.marker.write_text(self._tag())
            self._first_time()
        return super().evaluate(features, stimulus_ids, n_bootstrap=n_bootstrap, seed=seed)


def latent(n_stimuli: int, seed: int = 0) -> np.ndarray:
    """The stimuli's true representation, shared by the subjects and (noisily) by the good layers."""
    return np.random.default_rng(seed).normal(size=(n_stimuli, N_UNITS))


def features_file(folder: Path, name: str, n_stimuli: int = 24, noise: float = 0.5, seed: int = 2) -> Path:
    """An NPZ of two layers over ``n_stimuli`` stimuli: the latent plus noise, and pure noise."""
    rng = np.random.default_rng(seed)
    base = latent(n_stimuli)
    path = folder / f"{name}.npz"
    np.savez(path, stimulus_ids=np.array([f"s{i:03d}" for i in range(n_stimuli)]),
             good=base + rng.normal(scale=noise, size=base.shape), noise=rng.normal(size=(n_stimuli, 30)))
    return path


class StallOnce(KillOnce):
    """Stalls the first time it is evaluated, for longer than any test's job time limit; writes the SLURM job id of
    every evaluation to ``attempts``."""

    def _tag(self) -> str:
        return os.environ.get("SLURM_JOB_ID", "-")

    def _first_time(self) -> None:
        import time

        time.sleep(600)
