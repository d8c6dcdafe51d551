"""HuggingFace transformers adapters (text, vision, audio); ``transformers`` is imported only when loading."""

from neuroalign.models.hf.audio import HFAudioAdapter
from neuroalign.models.hf.text import HFTextAdapter
from neuroalign.models.hf.vision import HFVisionAdapter

__all__ = ["HFAudioAdapter", "HFTextAdapter", "HFVisionAdapter"]
