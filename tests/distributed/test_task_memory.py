"""The memory preflight of a scoring task: the in-memory path, the streaming path, or a refusal before scoring."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.benchmarks import StatsPolicy
from neuroalign.benchmarks.scoring import score
from neuroalign.distributed import choose_path, task_footprint
from neuroalign.distributed.memory import LayerReader, worker_memory_limit
from neuroalign.models import PrecomputedAdapter
from neuroalign.models.errors import InsufficientMemoryError

from grid_helpers import GridRsa, latent

UNITS = {"a": 1000, "b": 1000, "c": 1000}


def test_the_footprint_counts_layers_rdm_working_set_rdms_and_one_bootstrap_batch():
    f = task_footprint(UNITS, 24, n_targets=4, n_bootstrap=1000)
    pairs = 24 * 23 // 2
    assert f.layers == {"a": 96_000, "b": 96_000, "c": 96_000}
    assert f.working == 2 * 96_000 + 8 * 24 ** 2
    assert f.rdms == 16 * pairs * 5 and f.bootstrap == 16 * pairs * 100 * 5  # a batch is 100 resamples
    assert f.peak("in_memory") - f.peak("streaming") == 2 * 96_000


def test_the_fastest_path_that_fits_is_chosen_and_otherwise_refused():
    f = task_footprint(UNITS, 24, n_targets=4)  # in memory 506,688 bytes, streaming 314,688
    assert choose_path(f, 10 ** 9) == "in_memory"
    assert choose_path(f, 500_000) == "streaming"
    with pytest.raises(InsufficientMemoryError, match="needs about 0.3 MB at its peak") as error:
        choose_path(f, 300_000)
    assert "stream activations from the cache" in str(error.value)
    resident = task_footprint(UNITS, 24, n_targets=4, resident=True)  # no cache: streaming cannot help
    with pytest.raises(InsufficientMemoryError):
        choose_path(resident, 500_000)


def test_outside_a_dask_worker_there_is_no_worker_limit():
    assert worker_memory_limit() is None


@pytest.fixture()
def wide_model(tmp_path):
    rng = np.random.default_rng(0)
    base = np.repeat(latent(24), 50, axis=1)
    path = tmp_path / "wide.npz"
    np.savez(path, stimulus_ids=np.array([f"s{i:03d}" for i in range(24)]),
             **{name: base + rng.normal(scale=s, size=base.shape) for name, s in (("a", 0.5), ("b", 2), ("c", 4))})
    return PrecomputedAdapter(path, model_id="wide")


def test_a_streamed_task_scores_exactly_as_an_in_memory_one(wide_model, monkeypatch):
    bench, policy = GridRsa("grid.mem"), StatsPolicy(n_bootstrap=0)
    reads = []
    original = LayerReader.__getitem__
    monkeypatch.setattr(LayerReader, "__getitem__", lambda self, layer: reads.append(layer) or original(self, layer))
    loaded = score(wide_model, bench, stats=policy, layers=["a", "b", "c"])
    assert not reads
    streamed = score(wide_model, bench, stats=policy, layers=["a", "b", "c"], memory_limit=500_000)
    assert sorted(set(reads)) == ["a", "b", "c"]  # read one at a time, through the reader
    assert streamed.value == loaded.value and np.array_equal(streamed.raw, loaded.raw)


def test_a_task_that_cannot_fit_is_refused_before_scoring(wide_model, monkeypatch):
    bench = GridRsa("grid.mem")
    monkeypatch.setattr(GridRsa, "evaluate", lambda *a, **k: pytest.fail("scored despite the refusal"))
    with pytest.raises(InsufficientMemoryError, match="this scoring task needs"):
        score(wide_model, bench, stats=StatsPolicy(n_bootstrap=0), layers=["a", "b", "c"], memory_limit=300_000)
