"""Finding the registered plugins from installed distributions' metadata (now in :mod:`neuroalign.entry_points`,
the base layer, so that registries below the plugin layer can read their groups; re-exported here)."""

from neuroalign.entry_points import PluginEntry, conflicts, discover

__all__ = ["PluginEntry", "conflicts", "discover"]
