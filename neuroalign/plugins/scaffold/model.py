"""The model template: a small seeded convolutional network on images, through TorchAdapter and ImageTransform.

It runs offline and gives the same activations on every machine, so its tests and ``neuroalign plugin check`` can
run anywhere; an author replaces the network (and the preprocessing) with their own model.
"""

from __future__ import annotations

from string import Template

from neuroalign.plugins.scaffold.layout import Files, KindTemplate, render
from neuroalign.plugins.scaffold.names import PluginNames

INIT = Template('''\
"""$id: a small seeded convolutional network as a neuroalign image model (a template to adapt).

This module is what the entry point names: it stays light (no torch at import) so that ``neuroalign list`` is
fast; the network is built in :mod:`$package.network`, imported inside :func:`load`.

>>> from neuroalign.plugins import load_model
>>> model = load_model("$id")                                     # doctest: +SKIP
>>> model.extract(stimuli, ["conv1", "conv2"])                     # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

MODEL_ID = "$id"

#: Units of the main layers under the default pooling (``spatial_mean``); ``neuroalign plugin check`` extracts
#: these layers and compares.
LAYER_UNITS = {"conv1": 8, "conv2": 16, "fc": 10}

#: Preprocessing: 32 x 32 px centre crop of a 36 px resize, pixels scaled to [0, 1] and standardised.
PREPROCESSING = dict(size=32, resize=36, mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25), scale=1.0 / 255.0,
                     interpolation="bilinear")


def load(*, batch_size: int = 16, **options: Any):
    """$id: a seeded two-layer convolutional network on 32 x 32 images (image modality, runs offline).

    Parameters
    ----------
    batch_size : int
        Images per forward pass, unless ``extract`` is given another.
    **options
        Keyword arguments of :class:`neuroalign.models.TorchAdapter`, for example ``default_pooling``.

    Returns
    -------
    TorchAdapter
        Its layers: every module name (``conv1``, ``relu1``, ``conv2``, ``fc``...) and ``output``; the main ones
        are :data:`LAYER_UNITS`.
    """
    from neuroalign.models import ImageTransform, TorchAdapter

    from $package.network import build_network

    options.setdefault("default_pooling", "spatial_mean")
    adapter = TorchAdapter(build_network(), ImageTransform(**PREPROCESSING), model_id=MODEL_ID, modality="image",
                           batch_size=batch_size, **options)
    adapter.main_layers = tuple(LAYER_UNITS)
    return adapter
''')

NETWORK = Template('''\
"""The network of $id: two convolutions and a linear read-out, weights drawn from a fixed seed.

Replace :func:`build_network` with the construction of your model (and load its weights there).
"""

from __future__ import annotations

import torch
from torch import nn

#: Seed of the weights: the same seed gives bit-identical weights on every machine.
SEED = 20240607


class SmallConvNet(nn.Module):
    """conv(3 -> 8) -> ReLU -> max-pool -> conv(8 -> 16) -> ReLU -> global average -> linear(16 -> 10)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, kernel_size=3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=3, padding=1)
        self.relu2 = nn.ReLU()
        self.fc = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits of a ``(batch, 3, height, width)`` image batch."""
        x = self.pool(self.relu1(self.conv1(x)))
        x = self.relu2(self.conv2(x))
        return self.fc(x.mean(dim=(2, 3)))


def build_network() -> SmallConvNet:
    """The network with its seeded weights (a private generator, so the global random state plays no part)."""
    net = SmallConvNet()
    generator = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, parameter in net.named_parameters():
            fan_in = parameter[0].numel() if parameter.ndim > 1 else 1
            scale = (2.0 / fan_in) ** 0.5 if name.endswith("weight") else 0.01
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * scale)
    return net.eval()
''')

TESTS = Template('''\
"""Tests of the $id model plugin (run with ``python -m pytest tests`` after installing the plugin)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from neuroalign.core.stimuli import StimulusSet
from neuroalign.plugins import get_plugin, load_model

from $package import LAYER_UNITS


@pytest.fixture
def stimuli(tmp_path):
    rng = np.random.default_rng(0)
    paths = []
    for k in range(4):
        path = tmp_path / f"image{k}.png"
        Image.fromarray(rng.integers(0, 256, size=(40, 48, 3), dtype=np.uint8)).save(path)
        paths.append(path)
    return StimulusSet([f"image{k}" for k in range(4)], payloads={"image": paths})


def test_registered_under_its_id():
    record = get_plugin("model", "$id")
    assert not record.broken and record.description.startswith("$id")


def test_entry_point_module_does_not_import_torch():
    code = "import sys, $package; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_layers_have_the_declared_units_and_are_deterministic(stimuli):
    first = load_model("$id").extract(stimuli, list(LAYER_UNITS), cache=None, device="cpu")
    again = load_model("$id", batch_size=1).extract(stimuli, list(LAYER_UNITS), cache=None, device="cpu")
    for layer, units in LAYER_UNITS.items():
        assert first.layer(layer).shape == (4, units)
        np.testing.assert_allclose(first.layer(layer), again.layer(layer), rtol=1e-5, atol=1e-6)


def test_different_images_give_different_features(stimuli):
    features = load_model("$id").extract(stimuli, "fc", cache=None, device="cpu").layer("fc")
    assert np.linalg.matrix_rank(features - features.mean(axis=0)) == 3
''')

HOW_TO = '''\
- `$package/network.py`: the network; `load()` wraps it in `neuroalign.models.TorchAdapter` with an
  `ImageTransform`. Swap in your model and preprocessing, and update `LAYER_UNITS` (the units of the main layers
  under the default pooling, which `neuroalign plugin check` verifies).
- Weights: ship them as package data or depend on a package that ships them; never download at run time.
'''


def files(names: PluginNames) -> Files:
    """The package (light ``__init__``, heavy ``network``) and its tests."""
    return render(names, {"{package}/__init__.py": INIT, "{package}/network.py": NETWORK,
                          "tests/test_{package}.py": TESTS})

TEMPLATE = KindTemplate(attribute="load", summary="a small seeded convolutional network on images (template)",
                        files=files, how_to=HOW_TO, dependencies=("torch>=2.1", "pillow>=9"))
