"""Benchmarks named in a store, resolved through the plugin registry (a failure is a note on the page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neuroalign.benchmarks.registry import load_benchmark
from neuroalign.errors import NeuroAlignError


@dataclass(frozen=True)
class BenchmarkEntry:
    """A benchmark id from the store, with the registered benchmark, or why it no longer resolves.

    Attributes
    ----------
    id : str
    benchmark : Benchmark or None
        The benchmark registered under ``id`` now (``None`` when it does not resolve).
    problem : str or None
        Why ``id`` did not resolve (the error's message).
    """

    id: str
    benchmark: Any = None
    problem: str | None = None

    def attribute(self, name: str, default: Any = None) -> Any:
        """An attribute of the registered benchmark; ``default`` when it does not resolve or lacks it."""
        if self.benchmark is None:
            return default
        try:
            return getattr(self.benchmark, name)
        except (NeuroAlignError, OSError, AttributeError):  # e.g. a citation whose manifest is gone
            return default


def resolve(benchmark_id: str) -> BenchmarkEntry:
    """Look ``benchmark_id`` up with :func:`neuroalign.benchmarks.registry.load_benchmark`; failures become a note,
    not an error."""
    try:
        return BenchmarkEntry(benchmark_id, load_benchmark(benchmark_id))
    except NeuroAlignError as error:  # unknown id, broken or conflicting plugin, contract violation
        return BenchmarkEntry(benchmark_id, problem=f"{type(error).__name__}: {error}")
