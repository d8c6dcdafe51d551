"""Errors of benchmark scoring."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError, StimulusMismatchError


class ModalityMismatchError(NeuroAlignError, ValueError):
    """A model cannot take the stimuli of a benchmark (a vision model on text)."""


class CommitmentError(NeuroAlignError, ValueError):
    """A layer commitment cannot be made as asked (too few stimuli to split, no layer to choose from)."""


class StimulusCoverageError(StimulusMismatchError):
    """A model's activations do not cover the benchmark's stimuli (ids missing, or ids the benchmark lacks)."""
