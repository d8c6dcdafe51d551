"""The model-id grammar, accepted wherever a model is named (``neuroalign.score``, ``run -m``, ``align -m``,
``extract``, ``info``):

- a registered model plugin's id (``efficientnet-lite0``; ``neuroalign list models``);
- ``hf:ORG/NAME[@REVISION]`` or ``hf:/path/to/folder`` (optionally ``#image`` / ``#text``): any transformers model
  (:func:`neuroalign.models.hf.load_hf_model`);
- the path of a features file (``.h5``, ``.hdf5``, ``.npz``), e.g. written by ``neuroalign extract``: its
  activations are served as a precomputed model, so activations extracted on a GPU machine score anywhere.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from neuroalign.entry_points import discover, require_callable, resolve_unique
from neuroalign.errors import PluginContractError
from neuroalign.models.adapter import ModelAdapter
from neuroalign.models.hf import load_hf_model
from neuroalign.models.hf.ids import is_hf_id
from neuroalign.models.precomputed import PrecomputedAdapter
from neuroalign.registry import unknown_name_error

#: Suffixes of features files accepted as model ids.
FEATURE_SUFFIXES = (".h5", ".hdf5", ".npz")
#: One line on how to name models, shown by ``neuroalign list models`` and in unknown-id errors.
HOW_TO_NAME = ("Besides these ids: any Hugging Face transformers model as hf:ORG/NAME[@REVISION] (the local "
               "Hugging Face cache first, then the hub unless HF_HUB_OFFLINE=1) or hf:/path/to/folder (a "
               "save_pretrained folder), with #image or #text for one read of an image-text model; or a features "
               "file (.h5/.npz) written by `neuroalign extract`.")
_HUB_LIKE = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*(@[\w.-]+)?$")


def is_features_file(model_id: str) -> bool:
    """Whether ``model_id`` is the path of an existing features file."""
    path = Path(model_id)
    return path.suffix.lower() in FEATURE_SUFFIXES and path.is_file()


def _recorded_model_id(path: Path) -> str:
    """The model id a file written by ``neuroalign extract`` records, else the file's stem."""
    if path.suffix.lower() == ".npz":
        return path.stem
    from neuroalign.utils.readers import open_hdf5

    with open_hdf5(path, "a features file (stimulus_ids and one dataset per layer)") as f:
        value = f.attrs.get("model_id")
    return str(value.decode() if isinstance(value, bytes) else value) if value is not None else path.stem


def load_features_model(path: str) -> Any:
    """A :class:`~neuroalign.models.PrecomputedAdapter` over a features file, named by the model it records."""
    return PrecomputedAdapter(path, model_id=_recorded_model_id(Path(path)))


def unknown_model_error(model_id: str, known: list[str]) -> Exception:
    """The error for an id that is no plugin, no ``hf:`` id and no features file: close plugin ids, the
    ``hf:`` spelling when the id looks like a hub repository, and how to name models."""
    error = unknown_name_error("model", model_id, known)
    hint = f" Did you mean 'hf:{model_id}' (a Hugging Face model)?" if _HUB_LIKE.match(model_id) else ""
    if Path(model_id).suffix.lower() in FEATURE_SUFFIXES:
        hint = f" No features file {model_id} exists."
    return type(error)(f"{error}{hint} {HOW_TO_NAME}")


def plugin_model_ids() -> list[str]:
    """The ids of the installed model plugins (entry points of ``neuroalign.models``), sorted."""
    return sorted({entry.id for entry in discover("model")})


def as_model_adapter(adapter: Any, plugin_id: str) -> Any:
    """``adapter`` if it is a model adapter (an :class:`~neuroalign.models.Adapter` or anything with the
    :class:`~neuroalign.models.ModelAdapter` protocol's ``model_id``, ``modality``, ``layers``, ``extract``).

    Raises
    ------
    PluginContractError
        For anything else (the message names the missing attributes).
    """
    if not isinstance(adapter, ModelAdapter):
        missing = [a for a in ("model_id", "modality", "layers", "extract") if not hasattr(adapter, a)]
        raise PluginContractError(f"model plugin {plugin_id!r}: load() returned a {type(adapter).__name__}, not a "
                                  f"model adapter (missing {missing}); return a neuroalign.models.Adapter")
    return adapter


def load_model(model_id: str, **options: Any) -> Any:
    """The model adapter a model id names (the grammar is in this module's docstring): a registered model
    plugin's ``load(**options)``, any transformers model (``hf:ORG/NAME[@REV]``, ``hf:/path``; options go to
    :func:`~neuroalign.models.hf.load_hf_model`), or a features file served as a precomputed model.

    Raises
    ------
    UnknownNameError
        For an id that is none of these (close plugin ids and how to name a model are suggested).
    BrokenPluginError, PluginConflictError
        For a plugin that fails to import, an id several distributions register.
    PluginContractError
        If the entry point is not callable or ``load`` returns no model adapter.
    ModelIdError, ModelNotFoundError, HubModelNotCachedError, UnsupportedModelError, ModelLoadError
        For an ``hf:`` id (see :func:`~neuroalign.models.hf.load_hf_model`).
    """
    if is_hf_id(model_id):
        return load_hf_model(model_id, **options)
    known = plugin_model_ids()
    if is_features_file(model_id) and model_id not in known:
        return load_features_model(model_id)
    if model_id not in known:
        raise unknown_model_error(model_id, known)
    load = resolve_unique("model", model_id)
    require_callable(load, "model", model_id, "a load(**options) function")
    return as_model_adapter(load(**options), model_id)
