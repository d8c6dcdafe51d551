"""The demo asks for its benchmark with its settings (load_benchmark(id, mirror=...)), as a user would."""

from __future__ import annotations

import inspect

from neuroalign.benchmarks.registry import load_benchmark
from neuroalign.demo import leaderboard92


def test_the_demo_passes_its_mirror_through_load_benchmark():
    source = inspect.getsource(leaderboard92.run_demo)
    assert "load_benchmark(BENCHMARK, mirror=mirror)" in source and "os.environ" not in source


def test_the_demo_benchmark_reads_the_mirror_it_is_given(tmp_path):
    assert load_benchmark(leaderboard92.BENCHMARK, mirror=tmp_path).mirror == tmp_path
