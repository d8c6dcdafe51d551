"""Model adapters: turn a model and a stimulus set into per-layer activations, streamed to the activation cache.

>>> from neuroalign.models import TorchAdapter, ImageTransform
>>> adapter = TorchAdapter(my_net, ImageTransform(), model_id="my-net")            # doctest: +SKIP
>>> acts = adapter.extract(stimuli, ["layer3", "fc"], pooling="spatial_mean")      # doctest: +SKIP

Adapters: :class:`TorchAdapter` (any ``nn.Module``), :class:`HFTextAdapter`, :class:`HFVisionAdapter`,
:class:`HFAudioAdapter`, :class:`HFTowerAdapter` (HuggingFace transformers), :class:`PrecomputedAdapter` (your own
features). :func:`load_hf_model` loads any transformers model by id (``hf:ORG/NAME[@REV]``, ``hf:/path``).

Every name is imported on first use (PEP 562): the adapters import torch, which ``neuroalign info`` and a stored
``neuroalign run`` must not wait for.
"""

from neuroalign.utils.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.models.adapter": ["Adapter", "ModelAdapter"],
    "neuroalign.errors": ["InsufficientMemoryError"],
    "neuroalign.errors.adapters": ["EmptyStimulusSetError", "HubModelNotCachedError", "InconsistentShapeError",
                                   "LayerCallError", "ModelIdError", "ModelLoadError", "ModelNotFoundError",
                                   "PayloadError", "StimulusModalityError", "UninitializedWeightsError",
                                   "UnsupportedModelError"],
    "neuroalign.models.hf": ["HFAudioAdapter", "HFTextAdapter", "HFTowerAdapter", "HFVisionAdapter",
                             "load_hf_model"],
    "neuroalign.models.inputs": ["ImageTransform"],
    "neuroalign.models.layers": ["resolve_layers"],
    "neuroalign.models.pooling": ["POOLINGS"],
    "neuroalign.models.precomputed": ["PrecomputedAdapter"],
    "neuroalign.models.torch_adapter": ["TorchAdapter"],
})
