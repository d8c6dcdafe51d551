"""Per-modality payload readers: turn a stimulus's payload into the object a preprocessor takes, and hash it.

The digest feeds the activation-cache key, so it is computed from content (file bytes, text), never from a path:
editing an image file in place invalidates its cached activations.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from neuroalign.core.stimuli import StimulusSet
from neuroalign.core.stimuli_arrays import ArrayImage
from neuroalign.errors import NeuroAlignError
from neuroalign.errors.adapters import PayloadError, StimulusModalityError
from neuroalign.registry import Registry

_CHUNK = 1 << 20


def _file(stimulus_id: str, value: Any) -> Path:
    path = Path(value)
    if not path.is_file():
        raise PayloadError(stimulus_id, value, "file not found (relative paths resolve against the set's root)")
    return path


def file_digest(stimulus_id: str, value: Any) -> str:
    """sha256 of a payload file's bytes."""
    h = hashlib.sha256()
    try:
        with open(_file(stimulus_id, value), "rb") as f:
            for block in iter(lambda: f.read(_CHUNK), b""):
                h.update(block)
    except OSError as error:
        raise PayloadError(stimulus_id, value, f"cannot read file ({error.strerror or error})") from error
    return h.hexdigest()


def _text(stimulus_id: str, value: Any) -> str:
    if isinstance(value, Path):  # a text file; a plain str payload is the text itself
        try:
            return _file(stimulus_id, value).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PayloadError(stimulus_id, value, f"cannot read text file ({error})") from error
    if not isinstance(value, str):
        raise PayloadError(stimulus_id, value, f"a text payload must be a string or a Path, not {type(value).__name__}")
    return value


def _text_digest(stimulus_id: str, value: Any) -> str:
    return hashlib.sha256(_text(stimulus_id, value).encode("utf-8")).hexdigest()


def _audio_digest(stimulus_id: str, value: Any) -> str:
    if isinstance(value, tuple) and len(value) == 2:  # (waveform, rate)
        return hashlib.sha256(f"{value[1]}:{_audio_digest(stimulus_id, np.asarray(value[0]))}".encode()).hexdigest()
    if isinstance(value, np.ndarray):
        arr = np.ascontiguousarray(value)
        return hashlib.sha256(f"{arr.dtype.str}{arr.shape}".encode() + arr.tobytes()).hexdigest()
    return file_digest(stimulus_id, value)


def _image(stimulus_id: str, value: Any) -> Any:
    from neuroalign.models.inputs.image import load_image

    return load_image(stimulus_id, value)


def _image_digest(stimulus_id: str, value: Any) -> str:
    if isinstance(value, ArrayImage):  # a row of an image array: hashed from its bytes, as a file is
        try:
            return value.digest()
        except (NeuroAlignError, OSError, IndexError, KeyError) as error:
            raise PayloadError(stimulus_id, f"{value.path}[{value.key}][{value.index}]", str(error)) from error
    return file_digest(stimulus_id, value)


def _audio(stimulus_id: str, value: Any) -> Any:
    from neuroalign.models.inputs.audio import load_audio

    return load_audio(stimulus_id, value)


@dataclass(frozen=True)
class PayloadReader:
    """How one modality's payloads are read and hashed.

    Attributes
    ----------
    read : callable
        ``read(stimulus_id, value)`` -> the loaded payload (a PIL image, a string, ``(waveform, rate)``).
    digest : callable
        ``digest(stimulus_id, value)`` -> hex sha256 of the content.
    """

    read: Callable[[str, Any], Any]
    digest: Callable[[str, Any], str]


PAYLOAD_READERS: Registry[PayloadReader] = Registry("modality")
PAYLOAD_READERS.register("image", PayloadReader(_image, _image_digest), aliases=("vision",))
PAYLOAD_READERS.register("text", PayloadReader(_text, _text_digest), aliases=("language",))
PAYLOAD_READERS.register("audio", PayloadReader(_audio, _audio_digest))


def payload_values(stimuli: StimulusSet, modality: str, model_id: str = "the model") -> list[Any]:
    """Every stimulus's payload of ``modality`` (resolved paths or values), in stimulus order.

    Raises
    ------
    StimulusModalityError
        If the set carries no payloads of that modality (names the model and the modalities the set has).
    """
    canonical = PAYLOAD_READERS.canonical(modality)
    candidates = [m for m in stimuli.modalities if m in PAYLOAD_READERS and PAYLOAD_READERS.canonical(m) == canonical]
    if not candidates:
        raise StimulusModalityError(model_id, canonical, stimuli.modalities,
                                    stimuli.stimulus_ids[0] if len(stimuli) else "?")
    return stimuli.payloads(candidates[0])
