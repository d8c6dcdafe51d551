"""Exception types of the plugin system."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError, UnknownNameError


class PluginError(NeuroAlignError):
    """Base class of the errors a plugin (or a request for one) can cause."""


class BrokenPluginError(PluginError, ImportError):
    """A plugin's entry point could not be resolved: its module failed to import or lacks the named attribute."""


class PluginConflictError(PluginError, LookupError):
    """Two distributions register the same id in the same group; neither is used until one is uninstalled."""

    def __str__(self) -> str:  # LookupError would otherwise quote the message like a dict key
        return str(self.args[0]) if self.args else ""


class PluginContractError(PluginError, TypeError):
    """A plugin resolved, but to an object that does not fit its group's contract (see docs/plugins.md)."""


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
