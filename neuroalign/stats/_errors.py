"""Errors of the statistics layer that name the constraint a resampling scheme needs."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError


class NotEnoughStimuliError(NeuroAlignError, ValueError):
    """A resample (or the data) has fewer distinct stimuli than a comparison of RDMs needs."""
