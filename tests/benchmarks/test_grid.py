"""run(): a models x benchmarks grid through a real SQLite results store; resumes, answers from the store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from neuroalign.benchmarks import StatsPolicy
from neuroalign.runs.grid import run
from neuroalign.models import PrecomputedAdapter
from neuroalign.store import ResultsStore

from synthetic_benchmark import SyntheticRsa, features_file


class TextRsa(SyntheticRsa):
    """The synthetic benchmark shown as text (a modality the features cannot be checked against)."""

    id = "synthetic.rsa.text"
    modality = "text"


@pytest.fixture()
def model(tmp_path):
    return PrecomputedAdapter(features_file(tmp_path), model_id="synthetic-features")


def test_grid_scores_stores_and_answers_from_the_store(tmp_path, model):
    store = ResultsStore(tmp_path / "results.sqlite")
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=30))
    first = run([model], [bench], store=store, layers=["noise", "good"])
    assert list(first.status) == ["scored"] and first.layer[0] == "good"
    again = run([model], [bench], store=store, layers=["noise", "good"])
    assert list(again.status) == ["stored"]
    np.testing.assert_array_equal(again.value, first.value)
    assert again.interval_low[0] == first.interval_low[0] and again.key[0] == first.key[0]
    stored = store.get(first.key[0])
    assert stored.layer == "good" and stored.score().provenance["commitment"]["layer"] == "good"
    forced = run([model], [bench], store=store, layers=["noise", "good"], force=True)
    assert list(forced.status) == ["scored"] and len(store.results()) == 1


def test_changed_parameters_are_a_new_request(tmp_path, model):
    store = ResultsStore(tmp_path / "results.sqlite")
    bench = SyntheticRsa(stats=StatsPolicy(n_bootstrap=10))
    a = run([model], [bench], store=store, layers=["noise", "good"])
    b = run([model], [bench], store=store, layers=["noise", "good"], stats=StatsPolicy(n_bootstrap=10, seed=5))
    assert a.key[0] != b.key[0] and list(b.status) == ["scored"] and len(store.results()) == 2


def test_an_interrupted_grid_resumes(tmp_path, model):
    """A grid stopped after its first request finds that one in the store and scores only the rest."""
    store = ResultsStore(tmp_path / "results.sqlite")
    one = SyntheticRsa(stats=StatsPolicy(n_bootstrap=10))
    two = SyntheticRsa(n_subjects=4, stats=StatsPolicy(n_bootstrap=10))
    two.id = "synthetic.rsa.four"
    run([model], [one], store=store, layers=["good", "weak"])
    table = run([model], [one, two], store=store, layers=["good", "weak"])
    assert list(table.status) == ["stored", "scored"]


def test_incompatible_pairs_are_skipped_with_a_reason(tmp_path, model):
    model.modality = "image"
    table = run([model], [SyntheticRsa(stats=StatsPolicy(n_bootstrap=0)), TextRsa()], store=tmp_path / "r.sqlite",
                layers=["good", "weak"])
    assert list(table.status) == ["scored", "skipped"]
    assert "takes 'image' stimuli" in table.reason[1] and pd.isna(table.key[1])


@pytest.mark.parametrize("device", ["gpu", "cuda:x", 3.5])
def test_a_device_that_is_no_device_fails_the_grid_before_any_request(tmp_path, model, device):
    """Not one failed request per model x benchmark (each loading its model first): one error, nothing stored."""
    from neuroalign.errors import InvalidOptionError

    path = tmp_path / "results.sqlite"
    with pytest.raises(InvalidOptionError, match=f"device must be None, 'auto'.*got {device!r}"):
        run([model, model], [SyntheticRsa(stats=StatsPolicy(n_bootstrap=10))], store=path, device=device)
    assert not path.exists()


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="checks the error where there is no GPU")
def test_cuda_without_a_gpu_fails_a_serial_grid_at_once(tmp_path, model):
    from neuroalign.errors import DeviceUnavailableError

    with pytest.raises(DeviceUnavailableError, match="'cuda' was requested but CUDA is not available"):
        run([model], [SyntheticRsa(stats=StatsPolicy(n_bootstrap=10))], store=tmp_path / "r.sqlite", device="cuda")
