"""Plugins: models, datasets, metrics and benchmarks registered through Python entry points.

>>> from neuroalign.plugins import list_plugins, load_model
>>> [p.id for p in list_plugins("models")]                          # doctest: +SKIP
['all-minilm-l6-v2', 'efficientnet-lite0', 'smollm2-135m']
>>> model = load_model("efficientnet-lite0")                          # doctest: +SKIP

Groups: ``neuroalign.models``, ``neuroalign.datasets``, ``neuroalign.metrics``, ``neuroalign.benchmarks``; the
entry point's name is the id. Listing imports only each plugin's light module, never torch; a plugin that fails to
import is listed as broken. The contract of each group is in ``docs/plugins.md``.
"""

from neuroalign.plugins.catalog import (get_plugin, list_plugins, load_benchmark, load_model, metric_factory,
                                        plugin_ids)
from neuroalign.plugins.discovery import PluginEntry, discover
from neuroalign.errors import BrokenPluginError, PluginConflictError, PluginContractError, PluginError
from neuroalign.errors.applications import (DistributionNotFoundError, InvalidPluginNameError, TargetExistsError,
                                            UnknownKindError)
from neuroalign.plugins.groups import GROUPS, KINDS, parse_kind
from neuroalign.plugins.resolve import PluginRecord

__all__ = ["BrokenPluginError", "DistributionNotFoundError", "GROUPS", "InvalidPluginNameError", "KINDS",
           "PluginConflictError", "PluginContractError", "PluginEntry", "PluginError", "PluginRecord",
           "TargetExistsError", "UnknownKindError", "discover", "get_plugin", "list_plugins", "load_benchmark",
           "load_model", "metric_factory", "parse_kind", "plugin_ids"]
