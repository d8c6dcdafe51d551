"""HuggingFace transformers adapters (text, vision, audio, image-text dual encoders), and any transformers model by
id (``load_hf_model("hf:ORG/NAME")``); ``transformers`` is imported only when loading."""

from neuroalign.models.hf.audio import HFAudioAdapter
from neuroalign.models.hf.auto import load_hf_model
from neuroalign.models.hf.dual import HFTowerAdapter
from neuroalign.models.hf.ids import is_hf_id, parse_hf_id
from neuroalign.models.hf.text import HFTextAdapter
from neuroalign.models.hf.vision import HFVisionAdapter

__all__ = ["HFAudioAdapter", "HFTextAdapter", "HFTowerAdapter", "HFVisionAdapter", "is_hf_id", "load_hf_model",
           "parse_hf_id"]
