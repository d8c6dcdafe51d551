"""A real model id on real data through a 2-worker cluster: loaded on the workers, extracted once for two
benchmarks that show the same 92 images, scored exactly as serially."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed")

from neuroalign.benchmarks import StatsPolicy  # noqa: E402
from neuroalign.runs.grid import run  # noqa: E402
from neuroalign.cache import ActivationCache  # noqa: E402
from neuroalign.distributed import DaskExecutor  # noqa: E402
from neuroalign.store import ResultsStore  # noqa: E402

MODEL = "efficientnet-lite0"
BENCHMARKS = ["kriegeskorte2008.human_it.rsa", "kriegeskorte2008.monkey_it.rsa"]


@pytest.mark.slow
@pytest.mark.realdata
def test_model_ids_run_on_workers_and_share_one_extraction(tmp_path, data_mirror, monkeypatch):
    from neuroalign.plugins import discover

    if MODEL not in {e.id for e in discover("model")}:
        pytest.skip(f"model plugin {MODEL!r} is not installed")
    monkeypatch.setenv("NEUROALIGN_DATA_MIRROR", str(data_mirror))  # the workers inherit it when spawned
    monkeypatch.setenv("NEUROALIGN_DATA_CACHE", str(tmp_path / "data"))
    policy = StatsPolicy(n_bootstrap=100)
    serial_store = ResultsStore(tmp_path / "serial.sqlite")
    serial = run([MODEL], BENCHMARKS, store=serial_store, stats=policy, cache=tmp_path / "serial-acts",
                 device="cpu", progress=False)
    shared = tmp_path / "shared-acts"
    with DaskExecutor(workers=2) as executor:
        spread = run([MODEL], BENCHMARKS, store=tmp_path / "dask.sqlite", stats=policy, cache=shared,
                     device="cpu", executor=executor)
    assert list(spread.status) == ["scored", "scored"]
    for column in ("value", "interval_low", "interval_high", "ceiling"):  # the monkey has no ceiling: NaN
        np.testing.assert_array_equal(spread[column].to_numpy(float), serial[column].to_numpy(float), column)
    assert list(spread.layer) == list(serial.layer) and list(spread.key) == list(serial.key)
    entries = ActivationCache(shared).entries()
    assert len(entries) == 1 and entries[0].complete  # one extraction for both benchmarks
