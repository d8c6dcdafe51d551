"""Image-text dual encoders (CLIP, SigLIP, ALIGN...): one loaded model with two reads, ``image`` and ``text``.

Each read is an adapter of its own modality over the *same* model object (nothing is loaded twice), so a paired
stimulus set gives both towers' activations of one model, and each read can be scored or aligned on its own. A
read runs the model's own ``get_image_features`` / ``get_text_features`` with ``output_hidden_states=True``:
its layers are ``<read>.hidden_states.<i>``, ``<read>.last_hidden_state`` and ``<read>.projection`` (the projected
embedding, exactly what those methods return, before L2 normalisation), plus the tower's named modules.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import torch

from neuroalign.errors import UnknownNameError
from neuroalign.models.hf.base import HIDDEN, HFAdapter, _processor_params
from neuroalign.models.hf.inputs import accepted_inputs, encode_images, encode_text, text_max_length

#: Words in the name of a dual encoder's top-level submodule that mark it as part of one tower.
TOWER_WORDS = {"image": ("vision", "visual", "image"), "text": ("text",)}
#: Model types whose text tower pools a fixed position (SigLIP: the last), so every text is padded to the trained
#: length; the others pad to the longest text of the batch and pool by the attention mask.
FIXED_LENGTH_TEXT = frozenset({"siglip", "siglip2"})
PROJECTION = "projection"


class HFTowerAdapter(HFAdapter):
    """One read (``"image"`` or ``"text"``) of an image-text dual encoder.

    Parameters
    ----------
    model : transformers.PreTrainedModel
        The dual encoder (with ``get_image_features`` and ``get_text_features``).
    processor : transformers processor
        Holds ``image_processor`` and ``tokenizer``.
    read : str
        ``"image"`` or ``"text"``: the tower this adapter runs and the payload it reads.
    model_id : str
        A stable id.
    batch_size : int
        Default stimuli per forward pass.
    default_pooling : str or mapping
        Pooling of the tower's outputs (the projection is a vector and is never pooled).
    max_length : int, optional
        Text tower: longest token sequence (the tokenizer's limit by default).

    Attributes
    ----------
    reads : dict
        ``{"image": adapter, "text": adapter}``: both reads of the same model (this one included).
    paired : bool
        Whether the model was named as a whole (``hf:ORG/NAME``, not ``...#image``): then extraction and alignment
        use both reads where the stimuli carry both.
    """

    paired: bool = False

    def __init__(self, model: Any, processor: Any, *, read: str, model_id: str, batch_size: int = 32,
                 default_pooling: str | Mapping[str, str] = "token_mean", max_length: int | None = None,
                 weights_hash: str | None = None) -> None:
        super().__init__(model, self._prepare_read, model_id=model_id, modality=read, batch_size=batch_size,
                         default_pooling=default_pooling, weights_hash=weights_hash)
        self.read = read
        self.processor = processor
        self.max_length = max_length
        self.reads: dict[str, HFTowerAdapter] = {read: self}

    def extract(self, stimuli: Any, layers: str | Sequence[str], **options: Any) -> Any:
        """As :meth:`~neuroalign.models.Adapter.extract`; a layer of the other read is refused with its name.

        Raises
        ------
        UnknownNameError
            For a layer of the other read (``text.*`` asked of the image read), naming the read to use.
        """
        for pattern in [layers] if isinstance(layers, str) else list(layers):
            other = next((r for r in self.reads if r != self.read and pattern.startswith(r + ".")), None)
            if other is not None:
                base = self.model_id.rsplit("#", 1)[0]
                raise UnknownNameError(f"layer {pattern!r} belongs to the {other} read of {base}; extract it with "
                                       f"adapter.reads[{other!r}] (model id {base}#{other}), or both reads at once "
                                       "with neuroalign.extract / `neuroalign extract` on a paired stimulus set")
        return super().extract(stimuli, layers, **options)

    # --- inputs ---------------------------------------------------------------------------------------------------
    def _tokenizer(self) -> Any:
        return getattr(self.processor, "tokenizer", self.processor)

    def _image_processor(self) -> Any:
        return getattr(self.processor, "image_processor", self.processor)

    def _text_padding(self) -> str:
        return "max_length" if self.model.config.model_type in FIXED_LENGTH_TEXT else "longest"

    def _max_tokens(self) -> int:
        if self._text_padding() == "max_length":  # the trained length, whatever max_length says
            return text_max_length(self._tokenizer(), self.model.config, None)
        return text_max_length(self._tokenizer(), self.model.config, self.max_length)

    def _prepare_read(self, payloads: Sequence[Any]) -> tuple[dict[str, torch.Tensor], torch.Tensor | None]:
        if self.read == "text":
            return encode_text(self._tokenizer(), payloads, max_length=self._max_tokens(),
                               padding=self._text_padding(), accepted=accepted_inputs(self.model.get_text_features))
        return encode_images(self._image_processor(), payloads, self.model_id), None

    def _preprocessing_params(self) -> Any:
        inner = self._tokenizer() if self.read == "text" else self._image_processor()
        params = {**_processor_params(inner), "read": self.read}
        if self.read == "text":
            params.update(max_length=self._max_tokens(), padding=self._text_padding())
        if self.source is not None:
            params["name_or_path"] = self.source.label
        return params

    # --- running --------------------------------------------------------------------------------------------------
    def _call(self, inputs: Mapping[str, Any]) -> Any:
        method = getattr(self.model, f"get_{self.read}_features")
        output = method(**self._model_inputs(inputs), output_hidden_states=True)
        if not hasattr(output, "hidden_states"):
            raise RuntimeError(f"{type(self.model).__name__}.get_{self.read}_features returned a tensor, not the "
                               "tower's outputs: reading a dual encoder's towers needs transformers >= 5")
        return output

    def _output_tensor(self, output: Any, layer: str) -> torch.Tensor:
        name = layer[len(self.read) + 1:]
        if name == PROJECTION:
            return output.pooler_output
        if name.startswith(HIDDEN + "."):
            return output.hidden_states[int(name.split(".", 1)[1])]
        return getattr(output, name)

    def _module_layers(self) -> dict[str, str]:
        words = TOWER_WORDS[self.read]
        return {k: v for k, v in super()._module_layers().items() if any(w in v.split(".", 1)[0] for w in words)}


def tower_output_layers(outputs: Sequence[str] | None, read: str, n_hidden: int) -> tuple[str, ...]:
    """The output layers of one read: from the meta listing when there is one, else from the config's count."""
    if outputs is not None:
        return tuple(o for o in outputs if o.startswith(read + "."))
    return (*(f"{read}.{HIDDEN}.{i}" for i in range(n_hidden)), f"{read}.last_hidden_state", f"{read}.{PROJECTION}")


def pair_reads(image: HFTowerAdapter, text: HFTowerAdapter) -> None:
    """Let each read know the other (``adapter.reads``)."""
    image.reads = text.reads = {"image": image, "text": text}
