"""Random-initialised twins of models: the same architecture, layers and preprocessing, untrained weights.

A twin is the control that tells learned alignment from alignment an architecture gives for free (convolutions,
attention over the same tokens, the input statistics themselves). :func:`random_twin` deep-copies an adapter and
re-initialises its torch model, in ``named_modules()`` order, under ``torch.manual_seed(seed)`` (in a forked RNG
state, so the caller's random stream is untouched):

1. every module that has ``reset_parameters()`` calls it: PyTorch's own default initialisation (Kaiming-uniform
   convolutions and linear layers, ``N(0, 1)`` embeddings, unit / zero norm layers; batch norms also reset their
   running statistics to mean 0, variance 1);
2. every parameter that step 1 left bit-identical to the trained one (a parameter of a module without
   ``reset_parameters``, e.g. RMSNorm gains) is drawn from ``N(0, s^2)``, ``s`` the standard deviation of the
   trained tensor (over its elements; a one-element tensor gets ``s = |value|``; a constant tensor is left as is);
3. other buffers (position ids, rotary frequencies) are kept: they are not learned.

Tied parameters stay tied (the deep copy keeps the sharing). The twin's ``model_id`` is ``"<id>~random<seed>"``
and its weights hash is recomputed from the new weights, so the activation cache never confuses it with the
trained model or with a twin of another seed.
"""

from __future__ import annotations

import copy
from typing import Any

import torch

from neuroalign.errors.applications import TwinError
from neuroalign.models.weights import state_dict_hash


def _reinitialise(model: torch.nn.Module, seed: int) -> None:
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        with torch.no_grad():
            for module in model.modules():
                reset = getattr(module, "reset_parameters", None)
                if callable(reset):
                    reset()
            for name, param in model.named_parameters():
                if torch.equal(param, before[name]):
                    trained = before[name].to(torch.float64)
                    std = float(trained.std()) if trained.numel() > 1 else float(trained.abs().sum())
                    if std > 0:  # a constant tensor (std 0) keeps what step 1 gave it
                        param.normal_(0.0, std)


def random_twin(adapter: Any, seed: int = 0) -> Any:
    """A copy of a torch-backed adapter with re-initialised weights (see the module docstring).

    Parameters
    ----------
    adapter : TorchAdapter
        Any :class:`~neuroalign.models.TorchAdapter` (the HuggingFace adapters included); it is not changed.
    seed : int
        Seeds the initialisation: the same seed gives the same twin.

    Returns
    -------
    TorchAdapter
        Same class, layers, ``main_layers``, preprocessing and pooling; ``model_id`` ``"<id>~random<seed>"``.

    Raises
    ------
    TwinError
        If the adapter has no torch module (``adapter.model``) to re-initialise.
    """
    model = getattr(adapter, "model", None)
    if not isinstance(model, torch.nn.Module):
        raise TwinError(f"cannot make a random twin of {adapter!r}: it has no torch model (adapter.model) to "
                        "re-initialise")
    twin = copy.deepcopy(adapter)
    _reinitialise(twin.model, int(seed))
    twin.model_id = f"{adapter.model_id}~random{int(seed)}"
    twin._weights_hash = state_dict_hash(twin.model)
    return twin
