"""Errors of the alignment study: bad sources, stimuli that do not fit, metrics that cannot run."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError, StimulusMismatchError


class AlignmentError(NeuroAlignError, ValueError):
    """Base class of the alignment study's errors."""


class MissingPayloadError(AlignmentError, StimulusMismatchError):
    """A model needs a modality that some stimuli of the paired set do not carry (names the stimulus ids)."""


class StimulusOverlapError(AlignmentError, StimulusMismatchError):
    """The sources do not share enough stimuli with the stimulus set (names the counts)."""


class TooFewStimuliError(AlignmentError):
    """A metric needs more stimuli than a part of the split (or a resample) has."""


class TwinError(AlignmentError):
    """A random twin cannot be made for this adapter (no torch module to re-initialise)."""
