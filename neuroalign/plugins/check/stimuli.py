"""A few generated stimuli of each modality, for running a model plugin without any data."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np

from neuroalign.core.stimuli import StimulusSet
from neuroalign.registry import Registry

#: Stimuli generated per check.
N_STIMULI = 4

_SENTENCES = ("A dog runs across the park.", "The committee approved the new budget.",
              "Rain fell softly on the tin roof.", "She solved the puzzle in minutes.")


def _images(directory: Path, rng: np.random.Generator) -> list[Any]:
    from PIL import Image

    paths = []
    for k in range(N_STIMULI):
        path = directory / f"image{k}.png"
        Image.fromarray(rng.integers(0, 256, size=(64 + 8 * k, 72, 3), dtype=np.uint8)).save(path)
        paths.append(path)
    return paths


def _texts(directory: Path, rng: np.random.Generator) -> list[Any]:
    return list(_SENTENCES[:N_STIMULI])


def _sounds(directory: Path, rng: np.random.Generator) -> list[Any]:
    rate = 16000
    t = np.arange(rate // 2) / rate
    return [(np.sin(2 * np.pi * (220 * (k + 1)) * t).astype(np.float32) + 0.01 * rng.normal(size=t.size), rate)
            for k in range(N_STIMULI)]


#: modality -> generator(directory, rng) of the payloads.
GENERATORS: Registry[Callable[[Path, np.random.Generator], list[Any]]] = Registry("modality")
GENERATORS.register("image", _images, aliases=("vision",))
GENERATORS.register("text", _texts, aliases=("language",))
GENERATORS.register("audio", _sounds)


def generated_stimuli(modality: str, directory: Path, *, seed: int = 0) -> Any:
    """:data:`N_STIMULI` stimuli with payloads of ``modality`` (image files are written into ``directory``).

    Raises
    ------
    UnknownNameError
        For a modality that has no generator (image, text and audio have).
    """
    payloads = GENERATORS.get(modality)(Path(directory), np.random.default_rng(seed))
    return StimulusSet([f"generated{k}" for k in range(N_STIMULI)], payloads={modality: payloads},
                       name=f"generated-{modality}")
