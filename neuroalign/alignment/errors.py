"""Exception types of the alignment study, defined in :mod:`neuroalign.errors.applications` (one errors module per
layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import NeuroAlignError, StimulusMismatchError
from neuroalign.errors.applications import (AlignmentError, MissingPayloadError, StimulusOverlapError,
                                            TooFewStimuliError, TwinError)

__all__ = ["AlignmentError", "MissingPayloadError", "NeuroAlignError", "StimulusMismatchError", "StimulusOverlapError",
           "TooFewStimuliError", "TwinError"]
