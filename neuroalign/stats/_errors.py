"""Exception types of the statistics, defined in :mod:`neuroalign.errors` (one errors module per layer,
docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import NotEnoughStimuliError

__all__ = ["NotEnoughStimuliError"]
