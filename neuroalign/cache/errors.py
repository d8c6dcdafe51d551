"""Exception types of the activation cache."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError


class CacheError(NeuroAlignError, ValueError):
    """A cache file or request is unusable (unknown key, a file of another format, an ambiguous key prefix)."""
