"""Exception types of the plugin system."""

from __future__ import annotations

# The errors registries below the plugin layer raise are defined with the base errors; re-exported here.
from neuroalign.errors import (BrokenPluginError, PluginConflictError, PluginContractError,  # noqa: F401
                               PluginError, UnknownNameError)


class UnknownKindError(UnknownNameError):
    """A plugin kind that is none of model, dataset, metric, benchmark."""


class InvalidPluginNameError(PluginError, ValueError):
    """A name that cannot be a plugin id, a distribution name and a Python package name at once."""


class TargetExistsError(PluginError, FileExistsError):
    """The folder a new plugin would be written to exists already; nothing is ever overwritten."""


class DistributionNotFoundError(PluginError, LookupError):
    """No installed distribution has the name given to ``neuroalign plugin check``."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
