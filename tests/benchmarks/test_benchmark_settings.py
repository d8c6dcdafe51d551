"""Settings reach a benchmark through load_benchmark (or with_mirror), never by setting attributes on it."""

from __future__ import annotations

import pytest

from neuroalign.benchmarks.registry import load_benchmark
from neuroalign.benchmarks.rsa import RsaBenchmark
from neuroalign.errors import InvalidOptionError

HUMAN_IT = "kriegeskorte2008.human_it.rsa"


def test_load_benchmark_passes_the_mirror(tmp_path):
    bench = load_benchmark(HUMAN_IT, mirror=tmp_path)
    assert bench.mirror == tmp_path
    assert load_benchmark(HUMAN_IT).mirror is None  # the default: $NEUROALIGN_DATA_MIRROR, read when loading


def test_with_mirror_is_a_copy_without_what_was_loaded(tmp_path):
    bench = load_benchmark(HUMAN_IT)
    assert "@" in bench.citation or "{" in bench.citation  # a cached property, now in bench.__dict__
    moved = bench.with_mirror(tmp_path)
    assert moved is not bench and moved.mirror == tmp_path and bench.mirror is None
    assert "citation" in vars(bench) and "citation" not in vars(moved)
    assert (moved.id, moved.version, moved.stats) == (bench.id, bench.version, bench.stats)


def test_setting_the_mirror_attribute_still_works_with_a_future_warning(tmp_path):
    bench = load_benchmark(HUMAN_IT)
    with pytest.warns(FutureWarning, match=r"load_benchmark\(id, mirror=\.\.\.\)"):
        bench.mirror = tmp_path
    assert bench.mirror == tmp_path


class _ShippedData(RsaBenchmark):
    id, version, modalities, description = "test.shipped", "1", ("image",), "data shipped with the benchmark"

    def stimuli(self):
        raise NotImplementedError

    def load_target(self):
        raise NotImplementedError


def test_a_mirror_for_a_benchmark_without_a_dataset_is_refused():
    bench = _ShippedData()
    assert bench.with_mirror(None) is bench
    with pytest.raises(InvalidOptionError, match=r"'test.shipped' reads no dataset from a data mirror"):
        bench.with_mirror("/data")
