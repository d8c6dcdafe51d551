"""A small in-memory time-resolved predictivity benchmark, written as a dataset plugin would write one: trials of two
conditions, 6 channels, 20 samples at 40 Hz, the condition planted in two channels from 0.2 s on."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroalign.benchmarks.time_resolved_predictivity import TimeResolvedPredictivityBenchmark
from neuroalign.core.recording import Recording
from neuroalign.core.stimuli import StimulusSet

N_TIMES, SFREQ = 20, 40.0


class SyntheticDecoding(TimeResolvedPredictivityBenchmark):
    """Synthetic EEG: the condition of each trial is decodable from 0.2 s on."""

    id = "synthetic.eeg.time_resolved_predictivity"
    version = "1"
    citation = "@misc{synthetic}"
    modality = "text"
    stratify_by = "condition"
    tmin, tmax = 0.25, 0.45

    def __init__(self, n_per_condition: int = 8, signal: float = 2.0, dims: tuple[str, ...] | None = None) -> None:
        self.n_per_condition, self.signal, self.dims = n_per_condition, signal, dims

    def conditions(self) -> np.ndarray:
        """Each trial's condition, the two interleaved."""
        return np.tile(["a", "b"], self.n_per_condition)

    def stimuli(self) -> StimulusSet:
        conditions = self.conditions()
        ids = [f"{c}/{k:02d}" for k, c in enumerate(conditions)]
        return StimulusSet(ids, payloads={"text": [f"condition {c}" for c in conditions]},
                           metadata={"condition": list(conditions)})

    def load_recording(self) -> Recording:
        rng = np.random.default_rng(0)
        conditions = self.conditions()
        data = rng.normal(size=(len(conditions), 6, N_TIMES))
        data[:, :2, int(0.2 * SFREQ):] += self.signal * (conditions == "b")[:, None, None]
        ids = self.stimuli().stimulus_ids
        if self.dims is not None:  # a run axis in front: what the kind refuses
            return Recording(data[None], ids, dims=self.dims, times=np.arange(N_TIMES) / SFREQ)
        return Recording(data, ids, dims=("stimulus", "channel", "time"), times=np.arange(N_TIMES) / SFREQ)


def layers_file(folder: Path, bench: SyntheticDecoding, *, drop: int = 0) -> Path:
    """An NPZ of two layers over the benchmark's stimuli (the last ``drop`` left out): the condition and noise."""
    stimuli = bench.stimuli()
    ids = list(stimuli.stimulus_ids)[:len(stimuli.stimulus_ids) - drop]
    condition = (bench.conditions()[:len(ids)] == "b").astype(float)
    rng = np.random.default_rng(3)
    path = folder / "layers.npz"
    np.savez(path, stimulus_ids=np.array(ids), noise=rng.normal(size=(len(ids), 5)),
             condition=np.outer(condition, rng.normal(size=5)) + 0.1 * rng.normal(size=(len(ids), 5)))
    return path
