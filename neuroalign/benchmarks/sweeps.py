"""Deprecated location: :mod:`neuroalign.runs.sweeps` (running many scores into the results store sits above
benchmarks, beside the store and the executors it uses). Every name still works from here, with a FutureWarning."""

from neuroalign.utils.renamed import moved_attribute


def __getattr__(name: str):
    """Any public name of :mod:`neuroalign.runs.sweeps`, with a FutureWarning naming its new home."""
    if name.startswith("__"):
        raise AttributeError(name)
    return moved_attribute(__name__, name, "neuroalign.runs.sweeps")
