"""HuggingFace transformers adapters (text, vision, audio, image-text dual encoders), and any transformers model by
id (``load_hf_model("hf:ORG/NAME")``); ``transformers`` is imported only when loading, torch on first use of a name
(PEP 562), so that :func:`is_hf_id` costs no import."""

from neuroalign.utils.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.models.hf.audio": ["HFAudioAdapter"], "neuroalign.models.hf.auto": ["load_hf_model"],
    "neuroalign.models.hf.dual": ["HFTowerAdapter"], "neuroalign.models.hf.ids": ["is_hf_id", "parse_hf_id"],
    "neuroalign.models.hf.text": ["HFTextAdapter"], "neuroalign.models.hf.vision": ["HFVisionAdapter"],
})
