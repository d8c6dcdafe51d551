"""Small real inputs for the model tests: drawn images, a tiny conv net, stimulus sets."""

from __future__ import annotations

from pathlib import Path

import torch
from PIL import Image, ImageDraw
from torch import nn

from neuroalign.core.stimuli import StimulusSet
from neuroalign.models import ImageTransform, TorchAdapter

SMALL = ImageTransform(size=16, resize=20, interpolation="bilinear")


def draw_images(folder: Path, n: int, *, size: tuple[int, int] = (48, 40)) -> list[Path]:
    """``n`` PNG images of coloured shapes that differ from each other (position, colour, shape)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        image = Image.new("RGB", size, ((37 * k) % 256, (91 * k + 40) % 256, (53 * k + 120) % 256))
        draw = ImageDraw.Draw(image)
        box = (k % 7 + 2, k % 5 + 3, k % 7 + 20 + k % 9, k % 5 + 25)
        if k % 2:
            draw.ellipse(box, fill=(255, (19 * k) % 256, 0))
        else:
            draw.rectangle(box, fill=(0, 0, (71 * k) % 256))
        path = folder / f"img{k:03d}.png"
        image.save(path)
        paths.append(path)
    return paths


def image_set(folder: Path, n: int) -> StimulusSet:
    """A stimulus set of ``n`` drawn images with ids ``s000``..."""
    paths = draw_images(folder, n)
    return StimulusSet([f"s{k:03d}" for k in range(n)], payloads={"image": paths}, name="drawn")


def tiny_net(seed: int = 0) -> nn.Module:
    """A conv net whose conv output is rewritten in place by the ReLU that follows it."""
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(3, 6, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(6, 8, 3, stride=2),
        nn.ReLU(inplace=True),
        nn.AdaptiveAvgPool2d(2),
        nn.Flatten(),
        nn.Linear(32, 5),
    )


def tiny_adapter(seed: int = 0, **options) -> TorchAdapter:
    """:func:`tiny_net` behind a :class:`TorchAdapter` with 16 px inputs."""
    return TorchAdapter(tiny_net(seed), SMALL, model_id="tiny-net", **options)
