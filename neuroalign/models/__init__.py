"""Model adapters: turn a model and a stimulus set into per-layer activations, streamed to the activation cache.

>>> from neuroalign.models import TorchAdapter, ImageTransform
>>> adapter = TorchAdapter(my_net, ImageTransform(), model_id="my-net")            # doctest: +SKIP
>>> acts = adapter.extract(stimuli, ["layer3", "fc"], pooling="spatial_mean")      # doctest: +SKIP

Adapters: :class:`TorchAdapter` (any ``nn.Module``), :class:`HFTextAdapter`, :class:`HFVisionAdapter`,
:class:`HFAudioAdapter` (HuggingFace transformers), :class:`PrecomputedAdapter` (your own features).
"""

from neuroalign.models.adapter import Adapter, ModelAdapter
from neuroalign.models.errors import (
    EmptyStimulusSetError,
    InconsistentShapeError,
    InsufficientMemoryError,
    LayerCallError,
    PayloadError,
)
from neuroalign.models.hf import HFAudioAdapter, HFTextAdapter, HFVisionAdapter
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
    "HFVisionAdapter",
    "ImageTransform",
    "InconsistentShapeError",
    "InsufficientMemoryError",
    "LayerCallError",
    "ModelAdapter",
    "PayloadError",
    "PrecomputedAdapter",
    "TorchAdapter",
    "resolve_layers",
]
