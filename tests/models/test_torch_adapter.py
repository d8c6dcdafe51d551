"""The torch adapter: hooks record copies, eval and inference mode, layer selection, pooling, model restored."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from models_helpers import SMALL, tiny_adapter, tiny_net
from torch import nn

from neuroalign.errors import UnknownNameError
from neuroalign.models import LayerCallError, TorchAdapter, UninitializedWeightsError
from neuroalign.models.inputs import load_image


def _direct(net: nn.Module, images, layer_index: int) -> np.ndarray:
    """What the conv layer truly outputs, computed without hooks (no in-place op can touch it)."""
    x = SMALL([load_image(s, images.payload(s, "image")) for s in images.stimulus_ids])
    with torch.no_grad():
        out = x
        for module in list(net)[: layer_index + 1]:
            out = module(out.clone())
    return out.reshape(len(x), -1).numpy()


def test_inplace_relu_does_not_change_recorded_conv_output(images):
    adapter = tiny_adapter()
    acts = adapter.extract(images, ["0", "1"], cache=None, batch_size=4)
    conv, relu = acts.layer("0"), acts.layer("1")
    assert (conv < 0).any(), "the conv output was overwritten by the in-place ReLU after it"
    np.testing.assert_allclose(np.maximum(conv, 0), relu, rtol=0, atol=0)
    np.testing.assert_allclose(conv, _direct(tiny_net(), images, 0), rtol=1e-5, atol=1e-6)


def test_glob_and_exact_layers_in_model_order(images):
    adapter = tiny_adapter()
    acts = adapter.extract(images, ["output", "[02]"], cache=None)
    assert acts.layer_names == ("output", "0", "2")
    assert acts.n_units("output") == 5


def test_unknown_layer_lists_close_matches_and_available():
    adapter = TorchAdapter(tiny_net(), SMALL, model_id="t")
    with pytest.raises(UnknownNameError, match=r"'outptu'.*Did you mean 'output'.*Available"):
        adapter.extract(None, "outptu")  # fails on the name before touching the stimuli
    with pytest.raises(UnknownNameError, match="no match"):
        adapter.extract(None, "block*")


def test_eval_inference_mode_and_model_restored(images):
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Dropout(0.9), nn.Flatten())
    net.train()
    seen = {}
    net[0].register_forward_hook(lambda m, i, o: seen.update(grad=torch.is_grad_enabled(), train=m.training))
    adapter = TorchAdapter(net, SMALL, model_id="dropout-net")
    a = adapter.extract(images, "1", cache=None).layer("1")
    b = adapter.extract(images, "1", cache=None).layer("1")
    np.testing.assert_array_equal(a, b)  # dropout off: eval mode
    assert seen == {"grad": False, "train": False}
    assert net.training and all(m.training for m in net.modules()), "the caller's training flag was not restored"


def test_pooling_per_layer_by_glob(images):
    acts = tiny_adapter().extract(images, ["0", "2", "output"], cache=None,
                                  pooling={"output": "flatten", "*": "spatial_mean"})
    assert (acts.n_units("0"), acts.n_units("2"), acts.n_units("output")) == (6, 8, 5)
    full = tiny_adapter().extract(images, "0", cache=None, pooling="flatten").layer("0")
    np.testing.assert_allclose(acts.layer("0"), full.reshape(len(full), 6, -1).mean(-1), rtol=1e-5, atol=1e-6)


def test_batch_size_does_not_change_results_beyond_rounding(images):
    a = tiny_adapter().extract(images, "output", cache=None, batch_size=3).layer("output")
    b = tiny_adapter().extract(images, "output", cache=None, batch_size=10).layer("output")
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_module_run_twice_is_a_clear_error(images):
    shared = nn.ReLU()
    net = nn.Sequential(nn.Conv2d(3, 4, 3), shared, nn.Conv2d(4, 4, 3), shared)
    adapter = TorchAdapter(net, SMALL, model_id="shared")
    with pytest.raises(LayerCallError, match="ran 2 times"):
        adapter.extract(images, "1", cache=None)


def test_adapter_satisfies_the_protocol():
    from neuroalign.models import ModelAdapter

    adapter = tiny_adapter()
    assert isinstance(adapter, ModelAdapter)
    assert adapter.layers[-1] == "output" and adapter.modality == "image"


def test_a_lazy_module_is_refused_until_its_weights_exist(images, tmp_path):
    """A LazyLinear has no weights before its first forward pass: no cache key may name them (torch's own
    ValueError said nothing about the model); after one forward pass the same model extracts and caches."""
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.LazyLinear(5))
    adapter = TorchAdapter(net, SMALL, model_id="lazy")
    with pytest.raises(UninitializedWeightsError, match=r"'2\.weight'.*sample batch"):
        adapter.extract(images, "2", cache=tmp_path)
    assert not any(tmp_path.rglob("*.h5")), "nothing may be cached under a key for weights that do not exist"
    with torch.no_grad():
        net(torch.zeros(1, 3, 16, 16))
    assert adapter.extract(images, "2", cache=tmp_path).n_units("2") == 5
