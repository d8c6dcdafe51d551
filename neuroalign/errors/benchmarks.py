"""Exception types of benchmark scoring (the benchmarks layer, docs/architecture.md).

They derive from the base types in :mod:`neuroalign.errors`; ``neuroalign.benchmarks.errors`` re-exports them.
"""

from __future__ import annotations

from typing import Any

from neuroalign.errors import NeuroAlignError, NotEnoughStimuliError, StimulusMismatchError


class ModalityMismatchError(NeuroAlignError, ValueError):
    """A model cannot take the stimuli of a benchmark (a vision model on text)."""


class CommitmentError(NeuroAlignError, ValueError):
    """A layer commitment cannot be made as asked (too few stimuli to split, no layer to choose from)."""


class FoldsError(NotEnoughStimuliError):
    """A benchmark's held-out folds cannot be made from the stimuli scored (a condition with fewer stimuli than
    folds, fewer than 2 stimuli per fold)."""


class StimulusCoverageError(StimulusMismatchError):
    """A model's activations do not cover the benchmark's stimuli (ids missing, or ids the benchmark lacks)."""


class GridError(NeuroAlignError, RuntimeError):
    """Some requests of a grid failed; every other request was scored and stored (or found in the store).

    Attributes
    ----------
    table : pandas.DataFrame
        The grid's table (as :func:`neuroalign.run` returns it), the failed requests with ``status == "failed"``
        and their error in ``reason``.
    failures : list of GridRow
        The failed requests, in grid order.
    """

    def __init__(self, message: str, table: Any, failures: list[Any]) -> None:
        super().__init__(message)
        self.table = table
        self.failures = failures
