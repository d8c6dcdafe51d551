"""Containers: small, immutable, joined by stimulus id."""

from neuroalign.core.activations import Activations
from neuroalign.core.rdms import RDMs
from neuroalign.core.recording import Recording
from neuroalign.core.score import Score
from neuroalign.core.sources import ArraySource, HDF5Source, LayerSource
from neuroalign.core.stimuli import StimulusSet

__all__ = ["Activations", "ArraySource", "HDF5Source", "LayerSource", "RDMs", "Recording", "Score", "StimulusSet"]
