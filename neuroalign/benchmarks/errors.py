"""Exception types of benchmark scoring, defined in :mod:`neuroalign.errors.benchmarks` (one errors module per
layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import NeuroAlignError, StimulusMismatchError
from neuroalign.errors.benchmarks import CommitmentError, GridError, ModalityMismatchError, StimulusCoverageError

__all__ = ["CommitmentError", "GridError", "ModalityMismatchError", "NeuroAlignError", "StimulusCoverageError",
           "StimulusMismatchError"]
