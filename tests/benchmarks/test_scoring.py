"""score() and sweep() against independent computations (scipy pdist + spearmanr) on a synthetic benchmark."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr

from neuroalign.benchmarks import CommitmentError, ModalityMismatchError, StatsPolicy, score, sweep
from neuroalign.benchmarks.commitment import split_stimuli
from neuroalign.models import PrecomputedAdapter
from neuroalign.stats.ceiling import rdm_noise_ceiling

from synthetic_benchmark import N_STIMULI, SyntheticRsa, features_file


@pytest.fixture()
def model(tmp_path):
    return PrecomputedAdapter(features_file(tmp_path), model_id="synthetic-features")


def _direct(features: np.ndarray, target: np.ndarray, rows: np.ndarray) -> float:
    """Mean over subjects of Spearman(pdist correlation of the rows, the subjects' RDMs on those rows)."""
    from scipy.spatial.distance import squareform

    model_rdm = pdist(features[rows], "correlation")
    values = [spearmanr(model_rdm, squareform(squareform(t)[np.ix_(rows, rows)]))[0] for t in target]
    return float(np.mean(values))


def test_split_is_seeded_disjoint_and_complete():
    ids = [f"s{i}" for i in range(10)]
    a, b = split_stimuli(ids, 0.5, seed=3)
    assert (a, b) == split_stimuli(ids, 0.5, seed=3)
    assert set(a) | set(b) == set(ids) and not set(a) & set(b) and len(a) == 5
    assert split_stimuli(ids, 0.5, seed=4) != (a, b)
    with pytest.raises(CommitmentError, match=">= 3 stimuli in each part"):
        split_stimuli(ids[:5], 0.5, seed=0)


def test_split_commitment_chooses_on_selection_and_scores_held_out(model):
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=100, seed=7))
    result = score(model, bench, layers=["noise", "good", "weak"])
    ids = bench.stimuli().stimulus_ids
    selection, held_out = split_stimuli(ids, 0.5, seed=7)
    rows = {name: np.array([ids.index(s) for s in part]) for name, part in (("sel", selection), ("out", held_out))}
    feats = {k: np.load(model.path)[k] for k in ("noise", "good", "weak")}
    target = bench.target.dissimilarities
    chosen = {k: _direct(v, target, rows["sel"]) for k, v in feats.items()}
    assert result.provenance["commitment"]["layer"] == max(chosen, key=chosen.get) == "good"
    recorded = result.provenance["commitment"]["folds"][0]["selection_scores"]
    np.testing.assert_allclose([recorded[k] for k in chosen], list(chosen.values()), atol=1e-12)
    assert result.value == pytest.approx(_direct(feats["good"], target, rows["out"]), abs=1e-12)
    ceiling = rdm_noise_ceiling(bench.target.reorder(held_out), "spearman")
    assert (result.ceiling, result.ceiling_low) == (pytest.approx(ceiling.upper), pytest.approx(ceiling.lower))
    assert result.raw.shape == (5,) and result.interval[0] < result.value < result.interval[1]
    assert result.provenance["model_fingerprint"]["features_sha256"]


def test_crossval_averages_both_folds(model):
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=50, commitment="crossval"))
    result = score(model, bench, layers=["noise", "good", "weak"])
    folds = result.provenance["commitment"]["folds"]
    assert len(folds) == 2 and folds[0]["n_held_out"] + folds[1]["n_held_out"] == N_STIMULI
    assert result.value == pytest.approx(np.mean([f["held_out_value"] for f in folds]), abs=1e-12)


def test_single_layer_scores_every_stimulus(model):
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=0))
    result = score(model, bench, layers="good")
    feats = np.load(model.path)["good"]
    assert result.value == pytest.approx(_direct(feats, bench.target.dissimilarities, np.arange(N_STIMULI)),
                                         abs=1e-12)
    assert result.interval is None and result.provenance["commitment"]["method"] == "none"


def test_sweep_reports_every_layer_on_every_stimulus(model):
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=20))
    table = sweep(model, bench, layers=["noise", "good", "weak"])
    assert list(table["layer"]) == ["noise", "good", "weak"]
    feats = np.load(model.path)
    expected = [_direct(feats[k], bench.target.dissimilarities, np.arange(N_STIMULI)) for k in table["layer"]]
    np.testing.assert_allclose(table["value"], expected, atol=1e-12)
    assert (table["interval_low"] <= table["value"]).all() and table.attrs["provenance"]["benchmark"] == "synthetic.rsa"


def test_same_seed_same_score(model):
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=50, seed=11))
    a, b = (score(model, bench, layers=["good", "weak", "noise"]) for _ in range(2))
    assert a.value == b.value and a.interval == b.interval


def test_modality_mismatch_is_named(model):
    bench = SyntheticRsa()
    model.modality = "text"  # an instance attribute: as a language model would declare
    with pytest.raises(ModalityMismatchError, match="takes 'text' stimuli.*shows 'image' stimuli"):
        score(model, bench, layers="good")


def test_commitment_none_with_several_layers_is_refused(model):
    with pytest.raises(CommitmentError, match="needs a single layer"):
        score(model, SyntheticRsa(stats=StatsPolicy(commitment="none")), layers=["good", "weak"])


def test_an_rsa_benchmark_names_its_comparator_and_the_old_metric_attribute_still_works():
    class Pearson(SyntheticRsa):
        comparator = "pearson"

    class OldStyle(SyntheticRsa):  # written before the attribute was called comparator
        metric = "pearson"

    features = np.random.default_rng(3).normal(size=(N_STIMULI, 12))
    ids = SyntheticRsa().stimuli().stimulus_ids
    new = Pearson().evaluate(features, ids)
    assert Pearson().metric == "pearson" and SyntheticRsa().metric == "spearman"
    with pytest.warns(FutureWarning, match="'metric' is deprecated.*use 'comparator'"):
        old = OldStyle().evaluate(features, ids)
    assert old.value == new.value and old.ceiling == new.ceiling
    assert new.value != SyntheticRsa().evaluate(features, ids).value
