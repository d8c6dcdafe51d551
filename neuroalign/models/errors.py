"""Exception types of model adapters and extraction, defined in :mod:`neuroalign.errors.adapters` (one errors module
per layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import InsufficientMemoryError, NeuroAlignError
from neuroalign.errors.adapters import (EmptyStimulusSetError, HubModelNotCachedError, InconsistentShapeError,
                                        LayerCallError, ModelIdError, ModelLoadError, ModelNotFoundError, PayloadError,
                                        StimulusModalityError, UnsupportedModelError)

__all__ = ["EmptyStimulusSetError", "HubModelNotCachedError", "InconsistentShapeError", "InsufficientMemoryError",
           "LayerCallError", "ModelIdError", "ModelLoadError", "ModelNotFoundError", "NeuroAlignError", "PayloadError",
           "StimulusModalityError", "UnsupportedModelError"]
