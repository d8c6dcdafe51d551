"""Benchmarks scored against one recording: loaded by :meth:`RecordingBacked.load_recording`, once."""

from __future__ import annotations

import abc
import functools
from typing import TYPE_CHECKING

from neuroalign.benchmarks.base import Benchmark

if TYPE_CHECKING:
    from neuroalign.core.recording import Recording


class RecordingBacked(Benchmark):
    """Mixin of benchmark kinds whose target is one recording (the layout each kind needs is in its docstring)."""

    @abc.abstractmethod
    def load_recording(self) -> "Recording":
        """The recording over the benchmark's stimuli, in the layout of the benchmark's kind."""

    @functools.cached_property
    def recording(self) -> "Recording":
        """The recording, loaded once."""
        return self.load_recording()
