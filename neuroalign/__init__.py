"""neuroalign: compare brains with models.

Brain recordings and model activations become representations of the same stimuli; representations become RDMs
or stay feature matrices; a comparator or metric compares them; statistics say how much to trust the number.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("neuroalign")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

from neuroalign.core import Activations, RDMs, Recording, Score, StimulusSet  # noqa: E402

__all__ = ["Activations", "RDMs", "Recording", "Score", "StimulusSet", "__version__", "extract",
           "recording_from_epochs", "recording_from_evoked", "recording_from_nifti", "run", "score", "sweep"]

#: Entry points imported on first use, so that ``import neuroalign`` (and ``neuroalign list``) stays light: the
#: lab-data loaders import MNE or nilearn only when called.
_LAZY = {"score": "neuroalign.benchmarks.scoring", "sweep": "neuroalign.benchmarks.scoring",
         "extract": "neuroalign.benchmarks.extract",
         "run": "neuroalign.runs.grid",
         "recording_from_epochs": "neuroalign.datasets.loaders.meeg",
         "recording_from_evoked": "neuroalign.datasets.loaders.meeg",
         "recording_from_nifti": "neuroalign.datasets.loaders.nifti"}


def __getattr__(name: str):
    """The entry points of ``_LAZY`` (``neuroalign.score``, ``neuroalign.recording_from_epochs``, ...), imported
    when first asked for."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'neuroalign' has no attribute {name!r}")
