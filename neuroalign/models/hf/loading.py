"""Loading a transformers model and its processor from a local path or a name, without surprises."""

from __future__ import annotations

import os
from typing import Any

from neuroalign.models.hf.hub import offline


def load_pair(model_cls_name: str, processor_cls_name: str, name_or_path: str | os.PathLike[str],
              **kwargs: Any) -> tuple[Any, Any]:
    """``(model, processor)`` via ``transformers.<model_cls_name>`` / ``<processor_cls_name>.from_pretrained``.

    ``gguf_file`` (and any other keyword) is passed to both. Local paths never reach the hub; with
    ``HF_HUB_OFFLINE=1`` a name must already be in the local HuggingFace cache.
    """
    import transformers

    # transformers draws its own weight-loading bar on stderr even when stderr is a log file; neuroalign's own
    # progress bars cover the long work, and only on a terminal.
    transformers.utils.logging.disable_progress_bar()
    source = os.fspath(name_or_path)
    local = os.path.isdir(source)
    common = {"local_files_only": True} if local or offline() else {}
    model = getattr(transformers, model_cls_name).from_pretrained(source, **common, **kwargs)
    processor_kwargs = {k: v for k, v in kwargs.items() if k == "gguf_file"}
    processor = getattr(transformers, processor_cls_name).from_pretrained(source, **common, **processor_kwargs)
    return model, processor
