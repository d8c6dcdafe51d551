"""Loading a model by id (the grammar is :mod:`neuroalign.core.model_ids`): a registered model plugin, any
transformers model (``hf:``), or a features file served as a precomputed model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from neuroalign.entry_points import discover, require_callable, resolve_unique
from neuroalign.core.model_ids import is_features_file, unknown_model_error
from neuroalign.errors import PluginContractError
from neuroalign.models.adapter import ModelAdapter
from neuroalign.models.hf import load_hf_model
from neuroalign.models.hf.ids import is_hf_id
from neuroalign.models.precomputed import PrecomputedAdapter
from neuroalign.utils.readers import open_hdf5

def _recorded_model_id(path: Path) -> str:
    """The model id a file written by ``neuroalign extract`` records, else the file's stem."""
    if path.suffix.lower() == ".npz":
        return path.stem

    with open_hdf5(path, "a features file (stimulus_ids and one dataset per layer)") as f:
        value = f.attrs.get("model_id")
    return str(value.decode() if isinstance(value, bytes) else value) if value is not None else path.stem


def load_features_model(path: str) -> Any:
    """A :class:`~neuroalign.models.PrecomputedAdapter` over a features file, named by the model it records."""
    return PrecomputedAdapter(path, model_id=_recorded_model_id(Path(path)))


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
