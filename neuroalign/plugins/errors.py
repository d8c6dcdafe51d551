"""Exception types of the plugin system, defined in :mod:`neuroalign.errors.applications` (one errors module per
layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import BrokenPluginError, PluginConflictError, PluginContractError, PluginError, UnknownNameError
from neuroalign.errors.applications import (DistributionNotFoundError, InvalidPluginNameError, TargetExistsError,
                                            UnknownKindError)

__all__ = ["BrokenPluginError", "DistributionNotFoundError", "InvalidPluginNameError", "PluginConflictError",
           "PluginContractError", "PluginError", "TargetExistsError", "UnknownKindError", "UnknownNameError"]
