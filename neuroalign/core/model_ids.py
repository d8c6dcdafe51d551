"""The model-id grammar, accepted wherever a model is named (``neuroalign.score``, ``run -m``, ``align -m``,
``extract``, ``info``; light, so that listings read it without importing torch):

- a registered model plugin's id (``efficientnet-lite0``; ``neuroalign list models``);
- ``hf:ORG/NAME[@REVISION]`` or ``hf:/path/to/folder`` (optionally ``#image`` / ``#text``): any transformers model
  (:func:`neuroalign.models.hf.load_hf_model`);
- the path of a features file (``.h5``, ``.hdf5``, ``.npz``), e.g. written by ``neuroalign extract``: its
  activations are served as a precomputed model, so activations extracted on a GPU machine score anywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

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


def unknown_model_error(model_id: str, known: list[str]) -> Exception:
    """The error for an id that is no plugin, no ``hf:`` id and no features file: close plugin ids, the
    ``hf:`` spelling when the id looks like a hub repository, and how to name models."""
    error = unknown_name_error("model", model_id, known)
    hint = f" Did you mean 'hf:{model_id}' (a Hugging Face model)?" if _HUB_LIKE.match(model_id) else ""
    if Path(model_id).suffix.lower() in FEATURE_SUFFIXES:
        hint = f" No features file {model_id} exists."
    return type(error)(f"{error}{hint} {HOW_TO_NAME}")
