"""Any transformers model by id: ``load_hf_model("hf:ORG/NAME[@REV]")`` or ``load_hf_model("hf:/local/folder")``.

The family is read from the config (:mod:`neuroalign.models.hf.family`), which decides the adapter, the
preprocessor, the default pooling (:mod:`neuroalign.models.hf.pooling_defaults`) and the main layers:

=========================  =======================  ===========================  ================================
family                     adapter                  preprocessor                 layers
=========================  =======================  ===========================  ================================
text-encoder               HFTextAdapter            AutoTokenizer                ``hidden_states.<i>``,
                                                                                 ``last_hidden_state``,
                                                                                 ``pooler_output`` (if trained)
causal-decoder             HFTextAdapter (right     AutoTokenizer (pad = EOS)    as above
                           padding)
encoder-decoder            HFTextAdapter on the     AutoTokenizer                the encoder's
                           encoder
vision, conv-vision        HFVisionAdapter          AutoImageProcessor           as above
audio                      HFAudioAdapter           AutoFeatureExtractor         as above
image-text dual encoder    HFTowerAdapter x 2       AutoProcessor                ``image.*`` / ``text.*`` incl.
                                                                                 ``<read>.projection``
=========================  =======================  ===========================  ================================

Every named module is a layer too, except those the checkpoint left randomly initialised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from neuroalign.errors.adapters import ModelIdError, ModelLoadError
from neuroalign.models.hf.base import HIDDEN, HFAdapter, hidden_state_count
from neuroalign.models.hf.dual import HFTowerAdapter, pair_reads, tower_output_layers
from neuroalign.models.hf.family import Family, detect_family
from neuroalign.models.hf.hub import HFSource, resolve_source
from neuroalign.models.hf.ids import READS, parse_hf_id
from neuroalign.models.hf.listing import output_shapes
from neuroalign.models.hf.loading import quiet_transformers
from neuroalign.models.hf.pooling_defaults import default_pooling, has_cls_token, sequence_pooling
from neuroalign.registry import Registry

#: The preprocessor Auto class of each family (audio: the feature extractor; a wav2vec2-base folder has no
#: tokenizer, so AutoProcessor would fail on it).
PREPROCESSORS = {"text-encoder": "AutoTokenizer", "causal-decoder": "AutoTokenizer",
                 "encoder-decoder": "AutoTokenizer", "vision": "AutoImageProcessor",
                 "conv-vision": "AutoImageProcessor", "audio": "AutoFeatureExtractor",
                 "image-text-dual-encoder": "AutoProcessor"}
DTYPES = ("float32", "float16", "bfloat16", "auto")


@dataclass
class Loaded:
    """Everything a family's builder needs."""

    model_id: str
    source: HFSource
    config: Any
    family: Family
    model: Any
    processor: Any
    shapes: dict[str, tuple[int, ...]] | None
    missing: set[str]
    options: dict[str, Any]

    def option(self, name: str, default: Any) -> Any:
        value = self.options.get(name)
        return default if value is None else value


BUILDERS: Registry[Callable[[Loaded], HFAdapter]] = Registry("model family")


def _dtype_argument(dtype: str) -> dict[str, Any]:
    import torch
    import transformers

    if dtype not in DTYPES:
        raise ModelIdError(f"dtype {dtype!r} is not one of {', '.join(DTYPES)}")
    value = "auto" if dtype == "auto" else getattr(torch, dtype)
    major = int(transformers.__version__.split(".", 1)[0])
    return {"dtype": value} if major >= 5 else {"torch_dtype": value}  # 4.x spells it torch_dtype


def _load_files(source: HFSource, family: Family, dtype: str) -> tuple[Any, Any, set[str]]:
    """``(model, preprocessor, missing weight names)`` from the source's folder; nothing reaches the hub."""
    import transformers

    folder = str(source.path)
    try:
        with quiet_transformers():
            model, info = transformers.AutoModel.from_pretrained(folder, local_files_only=True,
                                                                 output_loading_info=True, **_dtype_argument(dtype))
    except (OSError, ValueError, RuntimeError, KeyError) as error:
        raise ModelLoadError(f"{source.model_id}: cannot load the weights in {folder} ({type(error).__name__}: "
                             f"{error})") from error
    name = PREPROCESSORS[family.kind]
    try:
        with quiet_transformers():
            processor = getattr(transformers, name).from_pretrained(folder, local_files_only=True)
    except ImportError as error:
        raise ModelLoadError(f"{source.model_id}: its preprocessor needs a package that is not installed: {error} "
                             "(a SentencePiece tokenizer needs `pip install sentencepiece`)") from error
    except (OSError, ValueError, TypeError, KeyError) as error:
        raise ModelLoadError(f"{source.model_id}: cannot load its preprocessor ({name}) from {folder} "
                             f"({type(error).__name__}: {error})") from error
    return model.eval(), processor, set(info.get("missing_keys", ()))


def load_hf_model(model_id: str, *, dtype: str = "float32", batch_size: int | None = None,
                  max_length: int | None = None, default_pooling: Any = None,
                  cache_dir: str | None = None) -> HFAdapter:
    """The adapter of any transformers model named by an ``hf:`` id.

    Parameters
    ----------
    model_id : str
        ``hf:ORG/NAME[@REVISION]`` (the local Hugging Face cache first, then the hub unless offline),
        ``hf:/path/to/folder``; ``#image`` / ``#text`` picks one read of an image-text dual encoder (the image read,
        whose ``reads`` holds both, by default).
    dtype : str
        ``"float32"`` (default), ``"float16"``, ``"bfloat16"``, or ``"auto"`` (the checkpoint's).
    batch_size : int, optional
        Default stimuli per forward pass (per family: 16 texts, 32 images, 8 sounds).
    max_length : int, optional
        Text models: the longest token sequence (512, or the model's positions if fewer).
    default_pooling : str or mapping, optional
        Replaces the family's default (see :mod:`neuroalign.models.hf.pooling_defaults`).
    cache_dir : str, optional
        The Hugging Face hub cache (``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, by default).

    Returns
    -------
    HFAdapter
        With ``model_id`` the canonical id, ``main_layers`` the hidden states (and a read's projection),
        ``family``, ``source`` (revision and commit, or the weights files' hash) and ``untrained`` modules.

    Raises
    ------
    ModelIdError
        For a malformed id, an unknown dtype, or ``#READ`` on a model that is not a dual encoder.
    ModelNotFoundError, HubModelNotCachedError
        For a missing folder, or a hub model that is not cached while the hub cannot be reached.
    UnsupportedModelError
        For a model type no adapter reads (the message lists the supported families).
    ModelLoadError
        For weights or a preprocessor that cannot be loaded.
    """
    ref = parse_hf_id(model_id)
    source = resolve_source(ref, cache_dir=cache_dir)
    config = _config(source)
    family = detect_family(config)
    if ref.read and family.kind != "image-text-dual-encoder":
        raise ModelIdError(f"{model_id}: #{ref.read} picks one read of an image-text dual encoder, but "
                           f"{source.model_id} is a {family.kind} model; drop the #{ref.read}")
    _dtype_argument(dtype)  # an unknown dtype fails before any weights are read
    model, processor, missing = _load_files(source, family, dtype)
    rate = getattr(processor, "sampling_rate", None) or 16_000
    loaded = Loaded(ref.base_id, source, config, family, model, processor, output_shapes(config, family,
                    sampling_rate=int(rate)), missing,
                    {"batch_size": batch_size, "max_length": max_length, "default_pooling": default_pooling})
    adapter = BUILDERS.get(family.kind)(loaded)
    if not isinstance(adapter, HFTowerAdapter):
        return adapter
    chosen = adapter.reads[ref.read or READS[0]]
    chosen.paired = ref.read is None
    return chosen


def _config(source: HFSource) -> Any:
    from transformers import AutoConfig

    try:
        with quiet_transformers():
            return AutoConfig.from_pretrained(str(source.path), local_files_only=True)
    except (OSError, ValueError, KeyError) as error:
        raise ModelLoadError(f"{source.model_id}: cannot read its config.json in {source.path} "
                             f"({type(error).__name__}: {error})") from error


def _finish(adapter: HFAdapter, loaded: Loaded, outputs: tuple[str, ...] | None, sequence: str,
            fallback: str | None = None) -> HFAdapter:
    """Bind the source, set the default pooling and the main layers (the hidden states, and a projection)."""
    adapter.bind(loaded.source, loaded.family, outputs, loaded.missing)
    kept = set(adapter._output_layers())
    shapes = {k: v for k, v in (loaded.shapes or {}).items() if k in kept}
    adapter.default_pooling = loaded.option("default_pooling", default_pooling(shapes or None, sequence,
                                                                               fallback=fallback))
    adapter.main_layers = tuple(name for name in adapter._output_layers()
                                if f"{HIDDEN}." in name or name.endswith(".projection"))
    return adapter


def _single_outputs(loaded: Loaded, model: Any) -> tuple[str, ...]:
    if loaded.shapes is not None:
        return tuple(loaded.shapes)
    return (*(f"{HIDDEN}.{i}" for i in range(hidden_state_count(model))), "last_hidden_state")


def _text_builder(encoder: bool = False) -> Callable[[Loaded], HFAdapter]:
    def build(loaded: Loaded) -> HFAdapter:
        from neuroalign.models.hf.text import HFTextAdapter

        kind = loaded.family.kind
        model = loaded.model.get_encoder() if encoder else loaded.model
        if encoder:  # the load report names weights from the whole model; keep those of the encoder, renamed
            prefix = next(name for name, module in loaded.model.named_modules() if module is model) + "."
            loaded.missing = {k[len(prefix):] for k in loaded.missing if k.startswith(prefix)}
        adapter = HFTextAdapter(model, loaded.processor, model_id=loaded.model_id,
                                max_length=loaded.option("max_length", 512),
                                batch_size=loaded.option("batch_size", 8 if kind == "causal-decoder" else 16),
                                padding_side="right" if kind == "causal-decoder" else None)
        return _finish(adapter, loaded, _single_outputs(loaded, model), sequence_pooling(kind, False))

    return build


def _vision(loaded: Loaded) -> HFAdapter:
    from neuroalign.models.hf.vision import HFVisionAdapter

    adapter = HFVisionAdapter(loaded.model, loaded.processor, model_id=loaded.model_id,
                              batch_size=loaded.option("batch_size", 32))
    kind = loaded.family.kind
    sequence = sequence_pooling(kind, has_cls_token(loaded.model))
    return _finish(adapter, loaded, _single_outputs(loaded, loaded.model), sequence,
                   fallback="spatial_mean" if kind == "conv-vision" else None)


def _audio(loaded: Loaded) -> HFAdapter:
    from neuroalign.models.hf.audio import HFAudioAdapter

    adapter = HFAudioAdapter(loaded.model, loaded.processor, model_id=loaded.model_id,
                             batch_size=loaded.option("batch_size", 8))
    return _finish(adapter, loaded, _single_outputs(loaded, loaded.model), "token_mean")


def _dual(loaded: Loaded) -> HFAdapter:
    reads = {}
    config = loaded.config
    for read in READS:
        adapter = HFTowerAdapter(loaded.model, loaded.processor, read=read, model_id=f"{loaded.model_id}#{read}",
                                 batch_size=loaded.option("batch_size", 32),
                                 max_length=loaded.option("max_length", None))
        sub = getattr(config, f"{'vision' if read == 'image' else 'text'}_config", config)
        outputs = tower_output_layers(tuple(loaded.shapes) if loaded.shapes else None, read,
                                      int(getattr(sub, "num_hidden_layers", 0)) + 1)
        cls = read == "image" and has_cls_token(loaded.model, under="vision")
        reads[read] = _finish(adapter, loaded, outputs, "first_token" if cls else "token_mean")
    pair_reads(reads["image"], reads["text"])
    return reads["image"]


BUILDERS.register("text-encoder", _text_builder())
BUILDERS.register("causal-decoder", _text_builder())
BUILDERS.register("encoder-decoder", _text_builder(encoder=True))
BUILDERS.register("vision", _vision)
BUILDERS.register("conv-vision", _vision)
BUILDERS.register("audio", _audio)
BUILDERS.register("image-text-dual-encoder", _dual)
