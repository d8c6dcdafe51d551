"""Layer patterns match what users mean: ``*`` stays within one level of the module tree (issue 14, item 20)."""

from __future__ import annotations

import numpy as np
import pytest
from models_helpers import draw_images

from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import UnknownNameError
from neuroalign.models import resolve_layers
from neuroalign.models.layers import layer_matches
from neuroalign.models.pooling import pooling_for_layers

TREE = ("_conv_stem", "_blocks", "_blocks.0", "_blocks.0._bn0", "_blocks.0._swish", "_blocks.1", "_blocks.1._bn0",
        "_blocks.10", "_blocks.10._bn0", "_blocks.11", "_bn1", "output")


@pytest.mark.parametrize("pattern, expected", [
    ("_blocks.*", ["_blocks.0", "_blocks.1", "_blocks.10", "_blocks.11"]),
    ("_blocks.1?", ["_blocks.10", "_blocks.11"]),
    ("_blocks.1[!0]", ["_blocks.11"]),
    ("_blocks.*._bn0", ["_blocks.0._bn0", "_blocks.1._bn0", "_blocks.10._bn0"]),
    ("_blocks.**", [n for n in TREE if n.startswith("_blocks.")]),
    ("**._bn0", ["_blocks.0._bn0", "_blocks.1._bn0", "_blocks.10._bn0"]),
    ("_b*", ["_blocks", "_bn1"]),
    ("*", ["_conv_stem", "_blocks", "_bn1", "output"]),
])
def test_wildcards_stay_within_one_level(pattern, expected):
    assert list(resolve_layers(pattern, TREE)) == expected


def test_a_pattern_matching_only_deeper_levels_says_how_to_reach_them():
    with pytest.raises(UnknownNameError, match=r"'\*' stays within one level.*write '\*\*'"):
        resolve_layers("_blocks.0_*", ("_blocks.0_a.b",))
    assert layer_matches("_blocks.0_*.*", "_blocks.0_a.b")


def test_pooling_keys_use_the_same_grammar_and_star_is_the_default_anywhere():
    layers = ("_blocks.0", "_blocks.0._bn0", "output")
    got = pooling_for_layers({"*": "spatial_mean", "_blocks.*": "flatten", "output": "flatten"}, layers)
    assert got == {"_blocks.0": "flatten", "_blocks.0._bn0": "spatial_mean", "output": "flatten"}


@pytest.mark.slow
def test_blocks_star_on_the_real_efficientnet_lite0_extracts_the_sixteen_blocks(tmp_path):
    plugin = pytest.importorskip("neuroalign_efficientnet")
    adapter = plugin.load()
    paths = draw_images(tmp_path / "images", 3, size=(64, 64))
    stimuli = StimulusSet(["a", "b", "c"], payloads={"image": paths})
    acts = adapter.extract(stimuli, "_blocks.*", cache=None, device="cpu", progress=False)
    assert acts.layer_names == tuple(f"_blocks.{k}" for k in range(16))
    by_name = adapter.extract(stimuli, ["_blocks.3", "_blocks.15"], cache=None, device="cpu", progress=False)
    np.testing.assert_array_equal(acts.layer("_blocks.3"), by_name.layer("_blocks.3"))
    assert acts.n_units("_blocks.15") == 320
