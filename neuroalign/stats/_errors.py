"""Errors of the statistics (defined in :mod:`neuroalign.errors` with the other engines'; re-exported)."""

from neuroalign.errors import NotEnoughStimuliError

__all__ = ["NotEnoughStimuliError"]
