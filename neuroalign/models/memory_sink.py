"""Where an uncached extraction puts its batches: preallocated in-memory matrices."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from neuroalign.core.activations import Activations
from neuroalign.models.shapes import check_units


class MemorySink:
    """Collect ``(batch, units)`` blocks into one ``(n_stimuli, units)`` float32 matrix per layer.

    Has the same ``n_done`` / ``batch_size`` / ``append`` surface as the cache's partial entry, so the extraction
    loop does not care where its batches go.
    """

    def __init__(self, stimulus_ids: Sequence[str], layers: Sequence[str], batch_size: int) -> None:
        self._ids = list(stimulus_ids)
        self._layers = list(layers)
        self.batch_size = int(batch_size)
        self.n_done = 0
        self._arrays: dict[str, np.ndarray] = {}

    def append(self, start: int, arrays: Mapping[str, np.ndarray]) -> None:
        """Copy one batch into rows ``start:start+batch``."""
        for name in self._layers:
            block = arrays[name]
            if name not in self._arrays:
                self._arrays[name] = np.empty((len(self._ids), block.shape[1]), dtype=np.float32)
            check_units(name, block, self._arrays[name].shape[1], self._ids, start)
        for name in self._layers:
            self._arrays[name][start:start + len(arrays[name])] = arrays[name]
        self.n_done = start + len(arrays[self._layers[0]])

    def result(self, model_id: str | None, descriptors: Mapping[str, Any]) -> Activations:
        """The collected activations."""
        return Activations({name: self._arrays[name] for name in self._layers}, self._ids, model_id=model_id,
                           descriptors=descriptors)
