"""Three models and three benchmarks for the grid on real SLURM jobs, registered as plugins by a dist-info the test
writes (so that ``neuroalign run`` names them by id, and each worker loads them itself).

The models serve feature files from ``$NEUROALIGN_TEST_FEATURES``. Where ``$NEUROALIGN_TEST_ATTEMPTS`` names a
file, every evaluation appends ``start``/``end`` lines with its SLURM job id and benchmark, and waits
``$NEUROALIGN_TEST_TASK_SLEEP`` seconds between them, long enough for a test to cancel the job mid-task.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from neuroalign.models import PrecomputedAdapter

from grid_helpers import GridRsa, features_file

MODELS = {"slurm-model-a": (0.5, 2), "slurm-model-b": (1.0, 5), "slurm-model-c": (2.0, 7)}  # noise, seed
BENCHMARKS = {"slurm.one": (1, 4), "slurm.two": (7, 5), "slurm.three": (11, 6)}  # seed, subjects
PACKAGE = "slurm_grid_plugins"


def write_features(folder: Path) -> None:
    """The three models' feature files (24 stimuli; a good and a noise layer)."""
    for name, (noise, seed) in MODELS.items():
        features_file(folder, name, noise=noise, seed=seed)


def write_dist_info(site: Path) -> None:
    """A distribution's metadata in ``site`` that registers the models and benchmarks of this module."""
    info = site / "slurm_grid_test-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: slurm-grid-test\nVersion: 0.1\n")
    models = [f"{name} = {PACKAGE}:{name.replace('-', '_')}" for name in MODELS]
    benches = [f"{name} = {PACKAGE}:{name.replace('.', '_')}" for name in BENCHMARKS]
    (info / "entry_points.txt").write_text("[neuroalign.models]\n" + "\n".join(models) +
                                           "\n\n[neuroalign.benchmarks]\n" + "\n".join(benches) + "\n")


class LoggedRsa(GridRsa):
    """The synthetic RSA benchmark, writing down where and when each evaluation runs."""

    def evaluate(self, features, stimulus_ids, *, n_bootstrap=0, seed=0):
        log = os.environ.get("NEUROALIGN_TEST_ATTEMPTS")
        # job id first (what a test cancels), then what makes the line's pair of start and end unique
        request = f"{os.environ.get('SLURM_JOB_ID', '-')} {self.id} {uuid.uuid4().hex}"
        if log:
            with open(log, "a") as f:
                f.write(f"start {request}\n")
            time.sleep(float(os.environ.get("NEUROALIGN_TEST_TASK_SLEEP", "0")))
        result = super().evaluate(features, stimulus_ids, n_bootstrap=n_bootstrap, seed=seed)
        if log:
            with open(log, "a") as f:
                f.write(f"end {request}\n")
        return result


def _model(name: str):
    def load(**options):
        return PrecomputedAdapter(Path(os.environ["NEUROALIGN_TEST_FEATURES"]) / f"{name}.npz", model_id=name,
                                  **options)
    return load


def _benchmark(name: str):
    seed, subjects = BENCHMARKS[name]
    return lambda: LoggedRsa(name, seed=seed, n_subjects=subjects)


slurm_model_a, slurm_model_b, slurm_model_c = (_model(name) for name in MODELS)
slurm_one, slurm_two, slurm_three = (_benchmark(name) for name in BENCHMARKS)
