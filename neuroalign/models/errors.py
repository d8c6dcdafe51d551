"""Exception types of model adapters and extraction (all derive from :class:`~neuroalign.errors.NeuroAlignError`)."""

from __future__ import annotations

from neuroalign.errors import InsufficientMemoryError, NeuroAlignError, ShapeMismatchError

# InsufficientMemoryError lives in neuroalign.errors (the RDM engine raises it too); re-exported here.
__all__ = ["EmptyStimulusSetError", "InconsistentShapeError", "InsufficientMemoryError", "LayerCallError",
           "PayloadError"]


class EmptyStimulusSetError(NeuroAlignError, ValueError):
    """Extraction was asked for a stimulus set without stimuli."""


class PayloadError(NeuroAlignError, ValueError):
    """A stimulus payload (image, text, audio) is missing, unreadable or of an unsupported kind.

    Parameters
    ----------
    stimulus_id : str
        The stimulus whose payload failed.
    source : object
        The file or value that could not be used.
    reason : str
        What was wrong and, where possible, what to do.
    """

    def __init__(self, stimulus_id: str, source: object, reason: str) -> None:
        self.stimulus_id = stimulus_id
        self.source = source
        super().__init__(f"stimulus {stimulus_id!r}: cannot use payload {str(source)!r}: {reason}")


class InconsistentShapeError(ShapeMismatchError):
    """A layer gave a different number of units for one batch than for an earlier one."""


class LayerCallError(NeuroAlignError, RuntimeError):
    """A hooked module ran a number of times per forward pass other than once (shared or skipped modules)."""
