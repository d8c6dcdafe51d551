"""Model adapters: turn a model and a stimulus set into per-layer activations, streamed to the activation cache.

>>> from neuroalign.models import TorchAdapter, ImageTransform
>>> adapter = TorchAdapter(my_net, ImageTransform(), model_id="my-net")            # doctest: +SKIP
>>> acts = adapter.extract(stimuli, ["layer3", "fc"], pooling="spatial_mean")      # doctest: +SKIP

Adapters: :class:`TorchAdapter` (any ``nn.Module``), :class:`HFTextAdapter`, :class:`HFVisionAdapter`,
:class:`HFAudioAdapter`, :class:`HFTowerAdapter` (HuggingFace transformers), :class:`PrecomputedAdapter` (your own
features). :func:`load_hf_model` loads any transformers model by id (``hf:ORG/NAME[@REV]``, ``hf:/path``).
"""

from neuroalign.models.adapter import Adapter, ModelAdapter
from neuroalign.models.errors import (
    EmptyStimulusSetError,
    HubModelNotCachedError,
    InconsistentShapeError,
    InsufficientMemoryError,
    LayerCallError,
    ModelIdError,
    ModelLoadError,
    ModelNotFoundError,
    PayloadError,
    StimulusModalityError,
    UnsupportedModelError,
)
from neuroalign.models.hf import HFAudioAdapter, HFTextAdapter, HFTowerAdapter, HFVisionAdapter, load_hf_model
from neuroalign.models.inputs import ImageTransform
from neuroalign.models.layers import resolve_layers
from neuroalign.models.pooling import POOLINGS
from neuroalign.models.precomputed import PrecomputedAdapter
from neuroalign.models.torch_adapter import TorchAdapter

__all__ = [
    "POOLINGS",
    "Adapter",
    "EmptyStimulusSetError",
    "HFAudioAdapter",
    "HFTextAdapter",
    "HFTowerAdapter",
    "HFVisionAdapter",
    "HubModelNotCachedError",
    "ImageTransform",
    "InconsistentShapeError",
    "InsufficientMemoryError",
    "LayerCallError",
    "ModelAdapter",
    "ModelIdError",
    "ModelLoadError",
    "ModelNotFoundError",
    "PayloadError",
    "PrecomputedAdapter",
    "StimulusModalityError",
    "TorchAdapter",
    "UnsupportedModelError",
    "load_hf_model",
    "resolve_layers",
]
