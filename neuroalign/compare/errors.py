"""Exception types of RDM comparison (defined in :mod:`neuroalign.errors` with the other engines'; re-exported).

They derive from the project-wide types, so ``except InvalidRDMError`` (or ``except ValueError``) still catches them.
"""

from neuroalign.errors import DegenerateRDMError, InvalidSigmaError, MissingPairsError

__all__ = ["DegenerateRDMError", "InvalidSigmaError", "MissingPairsError"]
