"""Exception types raised by neuroalign.

Every error a user can trigger with bad input derives from :class:`NeuroAlignError` and from the built-in type a
caller would naturally catch (``ValueError`` or ``LookupError``), so ``except ValueError`` keeps working.
"""

from __future__ import annotations


class NeuroAlignError(Exception):
    """Base class of every error raised by neuroalign for bad input or state."""


class StimulusMismatchError(NeuroAlignError, ValueError):
    """Two containers do not refer to the same stimuli (missing or extra ids)."""


class DuplicateStimulusError(StimulusMismatchError):
    """A list of stimulus ids contains the same id more than once."""


class ShapeMismatchError(NeuroAlignError, ValueError):
    """Array shapes disagree with each other or with the declared dimensions."""


class InvalidRDMError(NeuroAlignError, ValueError):
    """A dissimilarity matrix is malformed (asymmetric, non-zero diagonal, wrong length, Inf)."""


class InvalidPatternsError(NeuroAlignError, ValueError):
    """Response patterns contain values an engine cannot use (NaN, Inf)."""


class DegeneratePatternError(InvalidPatternsError):
    """A pattern is constant or all-zero where the distance needs variance or a norm."""


class NotEnoughRunsError(NeuroAlignError, ValueError):
    """A cross-validated computation got fewer independent runs than it needs."""


class InvalidOptionError(NeuroAlignError, ValueError):
    """An option does not fit the computation or the data (normalize, noise, chunking, device, dtype)."""


class UnknownNameError(NeuroAlignError, LookupError):
    """A name (distance, comparator, ...) is not registered."""

    def __str__(self) -> str:  # LookupError would otherwise quote the message like a dict key
        return str(self.args[0]) if self.args else ""


class InsufficientMemoryError(NeuroAlignError, MemoryError):
    """A memory preflight estimated that a computation would not fit; the message gives the sizes and the options."""
