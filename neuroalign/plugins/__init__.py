"""Plugins: models, datasets, metrics and benchmarks registered through Python entry points.

>>> from neuroalign.plugins import list_plugins, load_model
>>> [p.id for p in list_plugins("models")]                          # doctest: +SKIP
['all-minilm-l6-v2', 'efficientnet-lite0', 'smollm2-135m']
>>> model = load_model("efficientnet-lite0")                          # doctest: +SKIP

Groups: ``neuroalign.models``, ``neuroalign.datasets``, ``neuroalign.metrics``, ``neuroalign.benchmarks``; the
entry point's name is the id. Listing imports only each plugin's light module, never torch; a plugin that fails to
import is listed as broken. The contract of each group is in ``docs/plugins.md``.

The names below are imported on first use (:func:`neuroalign.utils.lazy.lazy_exports`): the command line reads
``neuroalign.plugins.groups`` to build its parser, and importing this package must not import the catalogue (and
with it the benchmark classes) for ``neuroalign --help``.
"""

from neuroalign.utils.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.plugins.catalog": ["get_plugin", "list_plugins", "load_benchmark", "load_model", "metric_factory",
                                   "plugin_ids"],
    "neuroalign.plugins.discovery": ["PluginEntry", "discover"],
    "neuroalign.errors": ["BrokenPluginError", "PluginConflictError", "PluginContractError", "PluginError"],
    "neuroalign.errors.applications": ["DistributionNotFoundError", "InvalidPluginNameError", "TargetExistsError",
                                       "UnknownKindError"],
    "neuroalign.plugins.groups": ["GROUPS", "KINDS", "parse_kind"],
    "neuroalign.plugins.resolve": ["PluginRecord"]})
