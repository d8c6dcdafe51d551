"""Exception types of the HTML report."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError


class EmptyStoreError(NeuroAlignError, ValueError):
    """The results store holds no score to report (or none of the benchmarks asked for)."""
