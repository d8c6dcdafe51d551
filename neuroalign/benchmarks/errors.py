"""Exception types of benchmark scoring, defined in :mod:`neuroalign.errors.benchmarks` (one errors module per
layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import NeuroAlignError, NotEnoughStimuliError, StimulusMismatchError
from neuroalign.errors.benchmarks import (CommitmentError, FoldsError, GridError, ModalityMismatchError,
                                          StimulusCoverageError)

__all__ = ["CommitmentError", "FoldsError", "GridError", "ModalityMismatchError", "NeuroAlignError",
           "NotEnoughStimuliError", "StimulusCoverageError", "StimulusMismatchError"]
