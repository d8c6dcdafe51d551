"""Exception types specific to RDM comparison.

They derive from the project-wide types in :mod:`neuroalign.errors`, so ``except InvalidRDMError`` (or
``except ValueError``) still catches them.
"""

from __future__ import annotations

from neuroalign.errors import InvalidRDMError, NeuroAlignError


class MissingPairsError(InvalidRDMError):
    """An RDM has missing (NaN) pairs that the chosen comparator or ``nan_policy`` cannot handle."""


class DegenerateRDMError(InvalidRDMError):
    """An RDM has no variance (or no norm) where the comparator divides by it, e.g. a constant RDM under Pearson."""


class InvalidSigmaError(NeuroAlignError, ValueError):
    """A pattern covariance ``sigma_k`` has the wrong shape or is not positive definite."""
