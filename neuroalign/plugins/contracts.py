"""What a resolved plugin object must be, per group, and turning it into the thing a caller wants.

The heavy contract types (the model adapter protocol, :class:`~neuroalign.benchmarks.Benchmark`) are imported
inside the functions: checking a plugin is the moment its heavy side may load, listing it is not.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from neuroalign.plugins.errors import PluginContractError


def _where(kind: str, plugin_id: str) -> str:
    return f"{kind} plugin {plugin_id!r}"


def require_callable(obj: Any, kind: str, plugin_id: str, what: str) -> None:
    """Raise :class:`PluginContractError` unless ``obj`` is callable (``what`` says what it should be)."""
    if not callable(obj):
        raise PluginContractError(f"{_where(kind, plugin_id)} resolves to a {type(obj).__name__}, not {what}")


def as_model_adapter(adapter: Any, plugin_id: str) -> Any:
    """``adapter`` if it is a model adapter (an :class:`~neuroalign.models.Adapter` or anything with the
    :class:`~neuroalign.models.ModelAdapter` protocol's ``model_id``, ``modality``, ``layers``, ``extract``)."""
    from neuroalign.models.adapter import ModelAdapter

    if not isinstance(adapter, ModelAdapter):
        missing = [a for a in ("model_id", "modality", "layers", "extract") if not hasattr(adapter, a)]
        raise PluginContractError(f"{_where('model', plugin_id)}: load() returned a {type(adapter).__name__}, not a "
                                  f"model adapter (missing {missing}); return a neuroalign.models.Adapter")
    return adapter


def as_benchmark(obj: Any, plugin_id: str) -> Any:
    """A :class:`~neuroalign.benchmarks.Benchmark` instance from what a benchmark entry point resolves to: an
    instance, a subclass (instantiated without arguments) or a zero-argument factory."""
    from neuroalign.benchmarks.base import Benchmark

    if isinstance(obj, Benchmark):
        return obj
    require_callable(obj, "benchmark", plugin_id, "a Benchmark, a Benchmark subclass or a zero-argument factory")
    if inspect.isclass(obj) and not issubclass(obj, Benchmark):
        raise PluginContractError(f"{_where('benchmark', plugin_id)} resolves to class {obj.__name__}, which is "
                                  "not a neuroalign.benchmarks.Benchmark subclass")
    made = obj()
    if not isinstance(made, Benchmark):
        raise PluginContractError(f"{_where('benchmark', plugin_id)}: its factory returned a "
                                  f"{type(made).__name__}, not a neuroalign.benchmarks.Benchmark")
    return made


def manifest_path(cls: Any, plugin_id: str) -> Path:
    """The manifest file a dataset plugin's adapter class declares in ``MANIFEST`` (next to its module).

    Raises
    ------
    PluginContractError
        If the object is not a class, has no string ``MANIFEST``, or the file is missing.
    """
    if not inspect.isclass(cls):
        raise PluginContractError(f"{_where('dataset', plugin_id)} resolves to a {type(cls).__name__}, not a "
                                  "dataset adapter class")
    name = getattr(cls, "MANIFEST", None)
    if not isinstance(name, str) or not name:
        raise PluginContractError(f"{_where('dataset', plugin_id)}: adapter class {cls.__name__} has no MANIFEST "
                                  "attribute naming its manifest file (for example MANIFEST = \"my_data.toml\")")
    path = Path(inspect.getfile(cls)).resolve().with_name(name)
    if not path.is_file():
        raise PluginContractError(f"{_where('dataset', plugin_id)}: MANIFEST names {name!r}, but {path} does not "
                                  "exist (ship it as package data next to the module)")
    return path
