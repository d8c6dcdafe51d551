"""Containers: small, immutable, joined by stimulus id.

Each container is imported on first use (the containers import pandas and h5py, which a light command such as
``neuroalign list`` must not wait for).
"""

from neuroalign.utils.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.core.activations": ["Activations"], "neuroalign.core.rdms": ["RDMs"],
    "neuroalign.core.recording": ["Recording"], "neuroalign.core.score": ["Score"],
    "neuroalign.core.sources": ["ArraySource", "HDF5Source", "LayerSource"],
    "neuroalign.core.stimuli": ["StimulusSet"]})
