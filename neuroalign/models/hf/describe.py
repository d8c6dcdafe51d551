"""What ``neuroalign info hf:...`` shows: family, source, layers with shapes and default pooling, from the config
alone (no weights are loaded; a hub model must be in the local cache, or is downloaded when the hub may be reached).
"""

from __future__ import annotations

from typing import Any

from neuroalign.backend import meta_device
from neuroalign.models.hf.auto import PREPROCESSORS, _config
from neuroalign.models.hf.base import untrained_modules
from neuroalign.models.hf.family import detect_family
from neuroalign.models.hf.hub import resolve_source
from neuroalign.models.hf.ids import READS, parse_hf_id
from neuroalign.models.hf.listing import output_shapes
from neuroalign.models.hf.pooling_defaults import default_pooling, has_cls_token, sequence_pooling


def _meta_model(config: Any) -> Any:
    from transformers import AutoModel

    with meta_device():
        return AutoModel.from_config(config)


def missing_from_checkpoint(model: Any, folder: Any) -> set[str] | None:
    """The bare model's weights its safetensors files do not hold (None when there are none to read)."""
    files = sorted(folder.glob("*.safetensors"))
    if not files:
        return None
    from safetensors import safe_open

    held: set[str] = set()
    for path in files:
        with safe_open(str(path), framework="pt") as f:
            held.update(f.keys())
    prefix = getattr(model, "base_model_prefix", "") + "."
    held |= {k[len(prefix):] for k in held if k.startswith(prefix)}
    return {k for k in model.state_dict() if k not in held}


def _layer_lines(shapes: dict[str, tuple[int, ...]], pooling: dict[str, str]) -> str:
    width = max(len(name) for name in shapes)
    return "\n".join(f"{name.ljust(width)}  {shape}  pooling {pooling.get(name, pooling['*'])}"
                     for name, shape in shapes.items())


def describe_hf(model_id: str, *, cache_dir: str | None = None) -> list[tuple[str, str]]:
    """``(field, value)`` pairs describing an ``hf:`` model, from its config (see the module docstring).

    Raises
    ------
    ModelIdError, ModelNotFoundError, HubModelNotCachedError, UnsupportedModelError, ModelLoadError
        As :func:`~neuroalign.models.hf.load_hf_model`.
    """
    ref = parse_hf_id(model_id)
    source = resolve_source(ref, cache_dir=cache_dir)
    config = _config(source)
    family = detect_family(config)
    shapes = output_shapes(config, family) or {}
    model = _meta_model(config)
    missing = missing_from_checkpoint(model, source.path)
    untrained = untrained_modules(model, missing or set())
    if "pooler" in {name.split(".", 1)[0] for name in untrained}:
        shapes.pop("pooler_output", None)
    fields = [("kind", "model (any transformers model, by id)"), ("id", ref.model_id),
              ("family", f"{family.kind} ({family.reason})"), ("model type", family.model_type),
              ("model class", family.base_class or "?"), ("preprocessor", PREPROCESSORS[family.kind]),
              ("source", ", ".join(f"{k}={v}" for k, v in source.provenance().items()))]
    if family.kind == "image-text-dual-encoder":
        for read in READS:
            cls = read == "image" and has_cls_token(model, under="vision")
            mine = {k: v for k, v in shapes.items() if k.startswith(read + ".")}
            pooling = default_pooling(mine, "first_token" if cls else "token_mean")
            fields.append((f"layers ({read} read: hf:...#{read})", _layer_lines(mine, pooling) if mine else "?"))
    else:
        sequence = sequence_pooling(family.kind, has_cls_token(model))
        pooling = default_pooling(shapes, sequence, fallback="spatial_mean" if family.kind == "conv-vision" else None)
        fields.append(("layers", _layer_lines(shapes, pooling) if shapes else "?"))
    n_modules = sum(1 for name, _ in model.named_modules() if name and name not in untrained)
    fields.append(("module layers", f"{n_modules} named modules are layers too (adapter.layers)"))
    if untrained:
        fields.append(("untrained", f"left out: the checkpoint does not hold {', '.join(sorted(untrained))} "
                                    "(randomly initialised on loading)"))
    fields.append(("shapes", "per stimulus, for a dummy input: 8 tokens, an image of the configured size, or one "
                             "second of audio"))
    return fields
