"""Shared inputs of the extraction perf cases: JPEG photos-like images and the EfficientNet-Lite0 plugin."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np


def make_images(workdir: Path, n: int) -> list[Path]:
    """``n`` 320x256 JPEG images of smooth colour fields with noise (generated once per size, then reused)."""
    folder = workdir / "extract_images" / str(n)
    paths = [folder / f"img{k:04d}.jpg" for k in range(n)]
    if all(p.exists() for p in paths):
        return paths
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:256, 0:320] / 256.0
    for k, path in enumerate(paths):
        phase = rng.uniform(0, 6.28, size=3)
        base = np.stack([np.sin(4 * xx + 3 * yy * (c + 1) + phase[c]) for c in range(3)], axis=-1)
        pixels = np.clip(127 + 90 * base + rng.normal(0, 20, base.shape), 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(path, quality=90)
    return paths


def setup_extraction(workdir: Path, small: bool, *, batch: int, cache_name: str) -> dict:
    """Images, the EfficientNet-Lite0 adapter, a stimulus set over the images and an empty cache directory."""
    from neuroalign_efficientnet import load

    from neuroalign.core.stimuli import StimulusSet

    paths = make_images(workdir, 4 if small else 512)
    return {"adapter": load(), "paths": paths, "batch": 2 if small else batch,
            "stimuli": StimulusSet([p.stem for p in paths], payloads={"image": paths}),
            "cache": fresh_dir(workdir / cache_name)}


def fresh_dir(path: Path) -> Path:
    """An empty directory at ``path``."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def bare_batch(paths: list[Path]):
    """The plugin's preprocessing written out plainly (Pillow + numpy), for the reference loops."""
    import torch
    from PIL import Image

    arrays = []
    for path in paths:
        with Image.open(path) as image:
            image = image.convert("RGB")
        w, h = image.size
        ratio = 256 / min(w, h)
        image = image.resize((max(224, round(w * ratio)), max(224, round(h * ratio))), Image.Resampling.BICUBIC)
        w, h = image.size
        left, top = (w - 224) // 2, (h - 224) // 2
        x = np.asarray(image.crop((left, top, left + 224, top + 224)), dtype=np.float32)
        arrays.append(((x - 127.0) / 128.0).transpose(2, 0, 1))
    return torch.from_numpy(np.stack(arrays))


def bare_hooked_run(data: dict, layers: tuple[str, ...], reduce) -> dict[str, np.ndarray]:
    """The reference: a plain torch loop with forward hooks recording ``reduce(output)`` for each layer."""
    import torch

    net = data["adapter"].model.eval()
    modules = dict(net.named_modules())
    records: dict[str, list] = {layer: [] for layer in layers}
    handles = [modules[layer].register_forward_hook(
        lambda m, i, o, layer=layer: records[layer].append(reduce(o).clone())) for layer in layers]
    paths, size = data["paths"], data["batch"]
    with torch.no_grad():
        for start in range(0, len(paths), size):
            net(bare_batch(paths[start:start + size]))
    for handle in handles:
        handle.remove()
    return {layer: torch.cat(records[layer]).numpy() for layer in layers}
