"""Errors of the distributed execution layer."""

from __future__ import annotations

from neuroalign.errors import InvalidOptionError, NeuroAlignError


class DistributedError(NeuroAlignError, RuntimeError):
    """Base class of the errors raised while running a grid on an executor."""


class UnshippableModelError(DistributedError, TypeError):
    """A model adapter given as an object cannot be pickled to a worker (give its registered id instead)."""


class ExecutorOptionError(InvalidOptionError):
    """An executor was configured with options that contradict each other or are malformed."""
