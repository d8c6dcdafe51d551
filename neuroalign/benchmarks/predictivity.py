"""Neural-predictivity benchmarks: a layer's features mapped by ridge to every recorded target, scored on held-out
data against each target's noise ceiling (Brain-Score's headline metric, beside the RSA benchmarks).

The recording holds repeated measurements ``run x stimulus x target`` (runs, sessions or trials). Each row of the
regression is one stimulus in one run: its features are the layer's features of the stimulus, its targets the
run's response, centred within the run (a run's baseline is no property of the stimulus a model could predict).
The outer folds hold out whole runs (:attr:`PredictivityBenchmark.n_folds`), each target's penalty is chosen by
leave-one-run-out inside the training runs (:func:`neuroalign.encoding.fit_encoding`), and each target's held-out
Pearson r is averaged over the folds.

The ceiling of a target is the expected correlation of its noise-free (run-averaged) pattern with a single run's
pattern: ``sqrt(rho_1)``, where ``rho_1`` is the split-half reliability of the runs (odd-even halves, random
splits) brought down to one run by the Spearman-Brown formula, ``rho_1 = sb(r_half, 2 / n_runs)``. The score
averages only targets whose ceiling reaches :attr:`~PredictivityBenchmark.min_ceiling` (see
:func:`neuroalign.encoding.normalise_by_ceiling`); the benchmark's value is their mean held-out r, its ceiling
their mean ceiling, ``per_subject`` the per-fold means, and the interval bootstraps those targets.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Sequence

from neuroalign.benchmarks.base import Evaluation
from neuroalign.benchmarks.recording_backed import RecordingBacked

if TYPE_CHECKING:
    import numpy as np


class PredictivityBenchmark(RecordingBacked):
    """Ridge predictivity of every recorded target from a layer's features, ceiling-normalised (see the module).

    Subclasses implement :meth:`stimuli` and :meth:`load_recording` (``run x stimulus x target``).
    """

    metric = "encoding.ridge"
    ceiling_method = "split_half_single_run"
    n_folds = 4
    alphas: Any = tuple(10.0 ** k for k in range(-2, 7))  # 1e-2 ... 1e6 (a tuple: no NumPy at import)
    min_ceiling = 0.2
    n_splits = 50

    def ceilings(self, stimulus_ids: Sequence[str]) -> np.ndarray:
        """Per-target ceiling on r for one run's response over ``stimulus_ids`` (see the module)."""
        import numpy as np

        from neuroalign.metrics.significance import split_half_reliability
        from neuroalign.stats.reliability import UndefinedReliabilityWarning, spearman_brown

        data = self.recording.select_stimuli(list(stimulus_ids)).data
        with warnings.catch_warnings():
            # Undefined or anti-correlated halves get a ceiling of 0, which leaves them out of the score.
            warnings.simplefilter("ignore", UndefinedReliabilityWarning)
            half = np.asarray(split_half_reliability(data, None, n_splits=self.n_splits, seed=0).half)
        single = spearman_brown(half, 2.0 / data.shape[0])
        return np.sqrt(np.clip(np.nan_to_num(single, nan=0.0), 0.0, None))

    def rows(self, features: np.ndarray, stimulus_ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Regression rows: features and run-centred responses of every (run, stimulus), and each row's run."""
        import numpy as np

        data = self.recording.select_stimuli(list(stimulus_ids)).data  # (runs, stimuli, targets)
        centred = data - data.mean(axis=1, keepdims=True)
        n_runs, n_stimuli, n_targets = centred.shape
        x = np.tile(np.asarray(features, dtype=np.float64), (n_runs, 1))
        return x, centred.reshape(n_runs * n_stimuli, n_targets), np.repeat(np.arange(n_runs), n_stimuli)

    def evaluate(self, features: np.ndarray, stimulus_ids: Sequence[str], *, n_bootstrap: int = 0,
                 seed: int = 0, device: Any = None) -> Evaluation:
        """Mean held-out r of the reliable targets, their mean ceiling, per-fold values and a target bootstrap."""
        import numpy as np

        from neuroalign.encoding import fit_encoding, normalise_by_ceiling

        x, y, runs = self.rows(features, stimulus_ids)
        result = fit_encoding(x, y, groups=runs, n_folds=self.n_folds, alphas=self.alphas, device=device,
                              dtype="float64")
        ceiling = self.ceilings(stimulus_ids)
        summary = normalise_by_ceiling(result.r, ceiling, min_ceiling=self.min_ceiling)
        kept = summary.reliable
        samples = None
        if n_bootstrap:
            rng = np.random.default_rng(seed)
            picks = rng.integers(0, kept.sum(), size=(n_bootstrap, kept.sum()))
            samples = result.r[kept][picks].mean(axis=1)
        details = {"n_targets": int(y.shape[1]), "n_reliable": summary.n_reliable, "min_ceiling": self.min_ceiling,
                   "normalised_mean": summary.mean, "median_alpha": float(np.median(result.alphas))}
        return Evaluation(value=float(result.r[kept].mean()), per_subject=result.r_per_fold[:, kept].mean(axis=1),
                          ceiling=float(ceiling[kept].mean()), samples=samples, details=details)
