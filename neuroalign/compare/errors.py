"""Exception types of RDM comparison, defined in :mod:`neuroalign.errors` (one errors module per layer,
docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import DegenerateRDMError, InvalidSigmaError, MissingPairsError

__all__ = ["DegenerateRDMError", "InvalidSigmaError", "MissingPairsError"]
