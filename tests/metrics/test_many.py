"""Many-vs-many alignment matrices equal pair-by-pair calls; Activations are joined by stimulus id."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign import Activations
from neuroalign.errors import ShapeMismatchError, StimulusMismatchError
from neuroalign.metrics import alignment_matrix, get_metric


@pytest.fixture
def layers():
    rng = np.random.default_rng(21)
    base = rng.normal(size=(30, 8))
    return {
        "narrow": base @ rng.normal(size=(8, 5)) + 0.1 * rng.normal(size=(30, 5)),
        "wide": base @ rng.normal(size=(8, 60)) + rng.normal(size=(30, 60)),  # d > n: the Gram route
        "noise": rng.normal(size=(30, 12)),
    }


@pytest.mark.parametrize("metric", ["cka.linear", "cka.debiased", "shape.angular", "knn.mutual.5", "cca.pwcca"])
def test_matrix_equals_pairwise_calls(layers, metric):
    measure = get_metric(metric)
    table = alignment_matrix(layers, metric=metric)
    for a, x in layers.items():
        for b, y in layers.items():
            assert table.loc[a, b] == pytest.approx(measure(x, y), rel=1e-10, abs=1e-12)


def test_two_sides_and_activations_joined_by_id(layers):
    ids = [f"s{k}" for k in range(30)]
    model = Activations(layers, ids, model_id="toy")
    order = np.random.default_rng(0).permutation(30)
    brain = Activations({"roi": layers["narrow"][order]}, [ids[k] for k in order], model_id="brain")
    table = alignment_matrix(model, brain, metric="cka.linear")
    assert table.shape == (3, 1)
    assert table.loc["narrow", "roi"] == pytest.approx(1.0, rel=1e-12)
    assert table.loc["wide", "roi"] == pytest.approx(get_metric("cka.linear")(layers["wide"], layers["narrow"]),
                                                     rel=1e-12)
    stranger = Activations({"roi": layers["narrow"]}, [f"x{k}" for k in range(30)])
    with pytest.raises(StimulusMismatchError, match="only in"):
        alignment_matrix(model, stranger)


def test_sizes_must_agree(layers):
    with pytest.raises(ShapeMismatchError, match="different numbers of stimuli"):
        alignment_matrix(layers, {"short": np.ones((10, 3)) + np.arange(10)[:, None]})
