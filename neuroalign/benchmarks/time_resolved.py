"""Time-resolved RSA benchmarks: a layer's RDM against the brain's RDM at every time point of a window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from neuroalign.benchmarks.base import ComparatorBenchmark, Evaluation
from neuroalign.benchmarks.recording_backed import RecordingBacked

if TYPE_CHECKING:
    import numpy as np


class TimeResolvedRsaBenchmark(RecordingBacked, ComparatorBenchmark):
    """RSA at every time point: the score is the mean over the window ``[tmin, tmax]`` of the RDM comparison.

    The brain RDM at each time point is computed over the channels (``brain_distance``); the layer's RDM is
    compared with each by ``comparator``. The interval bootstraps the stimuli (the window mean is recomputed on
    every resample, and a resample on which the comparison is undefined is redrawn and counted, see
    :func:`~neuroalign.stats.bootstrap.bootstrap_rdm_comparison`); ``Evaluation.details`` holds the whole time
    course. Subclasses implement :meth:`stimuli` and :meth:`load_recording` (stimuli x channels x time).
    """

    comparator = "spearman"
    model_distance = "correlation"
    brain_distance = "correlation"
    tmin: float
    tmax: float

    def evaluate(self, features: np.ndarray, stimulus_ids: Sequence[str], *, n_bootstrap: int = 0,
                 seed: int = 0, device: Any = None) -> Evaluation:
        """Window mean of the layer-vs-brain RDM comparison over time on ``stimulus_ids`` (see the class).

        ``device`` (a CUDA device, or ``"auto"`` with a GPU; ``docs/conventions.md``, "Devices") runs the RDMs and
        the comparison there; the bootstrap stays on the CPU.
        """
        import numpy as np

        from neuroalign import compare as comparisons  # the engine, looked up when called (so a spy sees the device)
        from neuroalign.rdm import compute_rdms
        from neuroalign.stats.bootstrap import bootstrap_rdm_comparison

        brain = compute_rdms(self.recording.select_stimuli(stimulus_ids), self.brain_distance, device=device)
        model = compute_rdms(np.asarray(features, dtype=np.float64), self.model_distance,
                             stimulus_ids=list(stimulus_ids), device=device)
        times = self.recording.times
        comparator = self.resolved_comparator()
        course = comparisons.compare(model, brain, comparator, device=device)[0]
        window = (times >= self.tmin) & (times <= self.tmax)
        value = float(course[window].mean())
        details = {"window": [self.tmin, self.tmax], "times": times.tolist(), "time_course": course.tolist()}
        samples = None
        if n_bootstrap:
            # The window's time points play the part of subjects: the statistic is their mean comparison.
            boot = bootstrap_rdm_comparison(model, brain[np.flatnonzero(window)], comparator, over="stimuli",
                                            n_bootstrap=n_bootstrap, seed=seed)
            samples, details["bootstrap_redrawn"] = boot.samples[:, 0], boot.n_redrawn
        return Evaluation(value=value, per_subject=np.array([value]), samples=samples, details=details)
