"""Loading a transformers model and its processor from a local path or a name, without surprises."""

from __future__ import annotations

import contextlib
import os
from typing import Any, Iterator

from neuroalign.models.hf.hub import offline


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """transformers' load report (unused or missing weights) and weight-loading bar silenced: neuroalign reports
    what matters (missing weights become untrained modules, never offered as layers), and draws its own progress
    bars only on a terminal."""
    import transformers

    logging = transformers.utils.logging
    level = logging.get_verbosity()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.set_verbosity(level)


def load_pair(model_cls_name: str, processor_cls_name: str, name_or_path: str | os.PathLike[str],
              **kwargs: Any) -> tuple[Any, Any, set[str]]:
    """``(model, processor, missing weight names)`` via ``transformers.<model_cls_name>`` /
    ``<processor_cls_name>.from_pretrained``.

    ``gguf_file`` (and any other keyword) is passed to both. Local paths never reach the hub; with
    ``HF_HUB_OFFLINE=1`` a name must already be in the local HuggingFace cache. The missing names are the weights
    the checkpoint does not hold, which ``from_pretrained`` initialised at random (a BERT pooler from a masked-LM
    checkpoint).
    """
    import transformers

    source = os.fspath(name_or_path)
    local = os.path.isdir(source)
    common = {"local_files_only": True} if local or offline() else {}
    with quiet_transformers():
        model, info = getattr(transformers, model_cls_name).from_pretrained(source, **common, **kwargs,
                                                                            output_loading_info=True)
        processor_kwargs = {k: v for k, v in kwargs.items() if k == "gguf_file"}
        processor = getattr(transformers, processor_cls_name).from_pretrained(source, **common, **processor_kwargs)
    return model, processor, set(info.get("missing_keys", ()))
