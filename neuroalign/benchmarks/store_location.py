"""Deprecated location: :mod:`neuroalign.store.default_store` (which results store a grid or a command uses when none
is named belongs to the store, above benchmarks). Every name still works from here, with a FutureWarning."""

from neuroalign.utils.renamed import moved_attribute


def __getattr__(name: str):
    """Any public name of :mod:`neuroalign.store.default_store`, with a FutureWarning naming its new home."""
    if name.startswith("__"):
        raise AttributeError(name)
    return moved_attribute(__name__, name, "neuroalign.store.default_store")
