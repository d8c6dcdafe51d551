"""Resolving a registered plugin and describing it (now in :mod:`neuroalign.entry_points`, the base layer, so that
registries below the plugin layer can resolve their groups; re-exported here)."""

from neuroalign.entry_points import (BUILTIN, PluginRecord, describe, error_text, first_line, own_docstring,
                                     resolve, with_conflict)

__all__ = ["BUILTIN", "PluginRecord", "describe", "error_text", "first_line", "own_docstring", "resolve",
           "with_conflict"]
