"""EfficientNet-Lite0 against human IT on the real 92 images: the study's numbers equal direct computations."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.alignment import ModelSource, align, brain_source
from neuroalign.compare import compare
from neuroalign.datasets import kriegeskorte92
from neuroalign.rdm import compute_rdms


@pytest.fixture(scope="module")
def real(data_mirror, tmp_path_factory):
    pytest.importorskip("efficientnet_lite_pytorch")
    from neuroalign_efficientnet import load

    stimuli = kriegeskorte92.stimulus_set(data_mirror, captions=True)
    cache = tmp_path_factory.mktemp("activations")
    model = ModelSource(load(), ["_blocks.8", "_blocks.13"], cache=cache, device="cpu", progress=False)
    brain = brain_source("kriegeskorte2008.human_it", data_mirror)
    study = align([model, brain], stimuli, ["cka.linear", "rsa.correlation.spearman"], n_permutations=20,
                  n_bootstrap=20, seed=1)
    # the model's features for the direct computations (from the activation cache)
    features = {k: v.features for k, v in model.representations(stimuli, stimuli.stimulus_ids).items()}
    return study, model, brain, stimuli, features


def test_rsa_against_human_it_is_the_comparison_with_the_subject_averaged_rdm(real, data_mirror):
    study, model, brain, stimuli, all_features = real
    pair = study.pair(model.name, brain.name, "rsa.correlation.spearman")
    held = list(study.held_out)
    features = all_features[pair.layer_a]
    rows = [stimuli.stimulus_ids.index(s) for s in held]
    model_rdm = compute_rdms(features[rows], "correlation", stimulus_ids=held)
    human = kriegeskorte92.human_it_rdms(data_mirror).mean_by("subject").mean().reorder(held)
    expected = compare(model_rdm.dissimilarities, human.dissimilarities, "spearman")[0, 0]
    assert pair.value == pytest.approx(expected, rel=1e-9)
    assert pair.p_value == pytest.approx(1 / 21) and pair.interval[0] < pair.value < pair.interval[1]


def test_cka_against_human_it_uses_the_double_centred_rdm(real):
    study, model, brain, stimuli, features = real
    pair = study.pair(model.name, brain.name, "cka.linear")
    ids = stimuli.stimulus_ids
    where = [ids.index(s) for s in study.held_out]
    x = features[pair.layer_a][where]
    d = brain.representations(stimuli, ids)["hIT"].rdm[np.ix_(where, where)]
    n = len(where)
    h = np.eye(n) - 1 / n
    k, g = h @ x @ x.T @ h, -0.5 * h @ d @ h
    expected = (k * g).sum() / np.sqrt((k * k).sum() * (g * g).sum())
    assert pair.value == pytest.approx(expected, rel=1e-9)
    assert brain.negative_share["hIT"] < 1e-10
