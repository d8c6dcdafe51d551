"""neuroalign: compare brains with models.

Brain recordings and model activations become representations of the same stimuli; representations become RDMs
or stay feature matrices; a comparator or metric compares them; statistics say how much to trust the number.
"""

from __future__ import annotations

from neuroalign.utils.lazy import lazy_exports

#: Every name is imported on first use, so that ``import neuroalign`` (and ``neuroalign list``, ``--help``) loads
#: neither pandas nor h5py nor torch: the containers import pandas and h5py, the entry points torch, and the lab-data
#: loaders MNE or nilearn, each only when asked for.
_lazy_getattr, __dir__, _exports = lazy_exports(__name__, {
    "neuroalign.core.activations": ["Activations"], "neuroalign.core.rdms": ["RDMs"],
    "neuroalign.core.recording": ["Recording"], "neuroalign.core.score": ["Score"],
    "neuroalign.core.stimuli": ["StimulusSet"],
    "neuroalign.benchmarks.scoring": ["score", "sweep"], "neuroalign.benchmarks.extract": ["extract"],
    "neuroalign.runs.grid": ["run"],
    "neuroalign.datasets.loaders.meeg": ["recording_from_epochs", "recording_from_evoked"],
    "neuroalign.datasets.loaders.nifti": ["recording_from_nifti"]})
__all__ = ["__version__", *_exports]


def __getattr__(name: str):
    """``__version__`` (read from the installed metadata, whose import costs more than the rest of this package)
    and the entry points and containers above, each computed or imported on first use."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("neuroalign")
        except PackageNotFoundError:  # running from a source tree that was not installed
            value = "0.0.0+unknown"
        globals()["__version__"] = value
        return value
    return _lazy_getattr(name)
