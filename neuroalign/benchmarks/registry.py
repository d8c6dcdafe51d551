"""Benchmarks by id: the entry points of ``neuroalign.benchmarks`` (neuroalign registers its own there too).

Looked up through :mod:`neuroalign.entry_points` (the base layer), so that scoring resolves a benchmark id without
importing the plugin catalogue, which lists and checks plugins of every kind on top of this.
"""

from __future__ import annotations

import inspect
from typing import Any

from neuroalign.benchmarks.base import Benchmark
from neuroalign.entry_points import discover, require_callable, resolve_unique
from neuroalign.errors import PluginContractError
from neuroalign.registry import unknown_name_error
from neuroalign.utils.docs import fill_doc


def benchmark_ids() -> list[str]:
    """The registered benchmark ids, sorted (nothing is imported)."""
    return sorted({entry.id for entry in discover("benchmark")})


def as_benchmark(obj: Any, plugin_id: str) -> Benchmark:
    """A :class:`~neuroalign.benchmarks.Benchmark` instance from what a benchmark entry point resolves to: an
    instance, a subclass (instantiated without arguments) or a zero-argument factory.

    Raises
    ------
    PluginContractError
        For anything else, or a factory that returns something else.
    """
    where = f"benchmark plugin {plugin_id!r}"
    if isinstance(obj, Benchmark):
        return obj
    require_callable(obj, "benchmark", plugin_id, "a Benchmark, a Benchmark subclass or a zero-argument factory")
    if inspect.isclass(obj) and not issubclass(obj, Benchmark):
        raise PluginContractError(f"{where} resolves to class {obj.__name__}, which is not a "
                                  "neuroalign.benchmarks.Benchmark subclass")
    made = obj()
    if not isinstance(made, Benchmark):
        raise PluginContractError(f"{where}: its factory returned a {type(made).__name__}, not a "
                                  "neuroalign.benchmarks.Benchmark")
    return made


@fill_doc
def load_benchmark(benchmark_id: str, *, mirror: Any = None) -> Benchmark:
    """The :class:`~neuroalign.benchmarks.Benchmark` registered under ``benchmark_id``.

    Parameters
    ----------
    benchmark_id : str
        A registered id (``neuroalign list benchmarks``).
    %(mirror)s
        Read by benchmarks backed by a dataset manifest; see :meth:`~neuroalign.benchmarks.Benchmark.with_mirror`.

    Raises
    ------
    UnknownNameError
        For an id nobody registers (close matches suggested).
    BrokenPluginError, PluginConflictError, PluginContractError
        For a plugin that fails to import, an id several distributions register, an object that is no benchmark.
    InvalidOptionError
        For ``mirror`` given to a benchmark that reads no dataset from a mirror.
    """
    known = benchmark_ids()
    if benchmark_id not in known:
        raise unknown_name_error("benchmark", benchmark_id, known)
    return as_benchmark(resolve_unique("benchmark", benchmark_id), benchmark_id).with_mirror(mirror)
