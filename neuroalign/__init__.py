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

__all__ = ["Activations", "RDMs", "Recording", "Score", "StimulusSet", "__version__"]
