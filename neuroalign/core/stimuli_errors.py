"""Exception types of reading stimuli from disk, defined in :mod:`neuroalign.errors` (one errors module per layer,
docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import (MixedImageSizesError, NeuroAlignError, NoStimuliError, ShapeMismatchError,
                               StimulusFileError)

__all__ = ["MixedImageSizesError", "NeuroAlignError", "NoStimuliError", "ShapeMismatchError", "StimulusFileError"]
