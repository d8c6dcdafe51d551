"""Exception types of model adapters and extraction (all derive from :class:`~neuroalign.errors.NeuroAlignError`)."""

from __future__ import annotations

from neuroalign.cache.errors import InconsistentShapeError  # noqa: F401  (re-exported: the cache checks it too)
from neuroalign.errors import InsufficientMemoryError, NeuroAlignError

# InsufficientMemoryError lives in neuroalign.errors (the RDM engine raises it too); re-exported here.
__all__ = ["EmptyStimulusSetError", "HubModelNotCachedError", "InconsistentShapeError", "InsufficientMemoryError",
           "LayerCallError", "ModelIdError", "ModelLoadError", "ModelNotFoundError", "PayloadError",
           "StimulusModalityError", "UnsupportedModelError"]


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


class LayerCallError(NeuroAlignError, RuntimeError):
    """A hooked module ran a number of times per forward pass other than once (shared or skipped modules)."""


class StimulusModalityError(PayloadError):
    """The stimuli carry no payload of the modality the model reads (text for a vision model)."""

    def __init__(self, model_id: str, modality: str, available: tuple[str, ...], stimulus_id: str) -> None:
        self.model_id, self.modality, self.available = model_id, modality, available
        NeuroAlignError.__init__(
            self, f"model {model_id!r} reads {modality!r} stimuli, but the stimulus set has no {modality!r} payloads; "
                  f"it has {list(available)}. Give it {modality} stimuli (docs/models.md, 'Bring your own stimuli'), "
                  f"or choose a model that reads {' or '.join(map(repr, available)) or 'what the set carries'}.")
        self.stimulus_id, self.source = stimulus_id, f"<{modality} payload>"


class ModelIdError(NeuroAlignError, ValueError):
    """A model id that fits no form of the model-id grammar (a plugin id, ``hf:ORG/NAME[@REV]``, ``hf:/path``)."""


class ModelNotFoundError(NeuroAlignError, LookupError):
    """A model id names a folder that does not exist or holds no model (no ``config.json``)."""

    def __str__(self) -> str:  # LookupError would otherwise quote the message like a dict key
        return str(self.args[0]) if self.args else ""


class HubModelNotCachedError(ModelNotFoundError):
    """A Hugging Face hub model is not in the local cache and the hub must not (or cannot) be reached."""


class UnsupportedModelError(NeuroAlignError, ValueError):
    """A transformers model type that no neuroalign adapter reads (the message lists the supported families)."""


class ModelLoadError(NeuroAlignError, RuntimeError):
    """A model folder that exists but cannot be loaded (damaged weights, a tokenizer needing a missing package)."""
