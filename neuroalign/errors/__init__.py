"""Exception types raised by neuroalign, one module per layer (docs/architecture.md):

- ``neuroalign.errors`` (this module): the base layer's and the engines' (core, rdm, compare, stats, metrics,
  encoding, analysis);
- :mod:`neuroalign.errors.adapters`: the adapters' (io, data, cache, datasets, models);
- :mod:`neuroalign.errors.benchmarks`: benchmark scoring's;
- :mod:`neuroalign.errors.applications`: the applications' (store, distributed, report, alignment, plugins).

A layer's module imports only the modules of the layers below it, like the code that raises its errors, so an engine
cannot raise an adapter's error (``tests/test_architecture.py`` checks it). The packages' former ``errors`` modules
(``neuroalign.data.errors``, ``neuroalign.models.errors``, ...) re-export their names: old imports keep working.

Every error a user can trigger with bad input derives from :class:`NeuroAlignError` and from the built-in type a
caller would naturally catch (``ValueError`` or ``LookupError``), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

import os
from typing import Any


def _message_as_given(error: BaseException) -> str:
    """An error's message as it was given: the ``__str__`` of the errors that derive from ``LookupError`` (which
    would quote it like a dict key) or ``OSError`` (which would format ``(errno, strerror)`` pairs)."""
    return str(error.args[0]) if error.args else ""


class NeuroAlignError(Exception):
    """Base class of every error raised by neuroalign for bad input or state."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling (a Dask worker sends a task's error to the client) rebuilds an exception by calling its class
        # with ``self.args``; errors whose ``__init__`` formats the message from fields (DataFormatError, ...)
        # would fail there, so rebuild every error from its args and attributes without calling ``__init__``.
        return _rebuild, (type(self), self.args, self.__dict__)


def _rebuild(cls: type[NeuroAlignError], args: tuple[Any, ...], state: dict[str, Any]) -> NeuroAlignError:
    """An error of class ``cls`` with these ``args`` and attributes, made without calling its ``__init__``."""
    builtin = cls
    while builtin.__module__ != "builtins":  # the built-in type whose __new__ the class uses (Exception, OSError, ...)
        builtin = builtin.__base__
    error = builtin.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class StimulusMismatchError(NeuroAlignError, ValueError):
    """Two containers do not refer to the same stimuli (missing or extra ids)."""


class DuplicateStimulusError(StimulusMismatchError):
    """A list of stimulus ids contains the same id more than once."""


class ShapeMismatchError(NeuroAlignError, ValueError):
    """Array shapes disagree with each other or with the declared dimensions."""


class InvalidRDMError(NeuroAlignError, ValueError):
    """A dissimilarity matrix is malformed (asymmetric, non-zero diagonal, wrong length, Inf)."""


class AmbiguousLayoutError(ShapeMismatchError):
    """An array reads two ways (one square RDM, or as many condensed RDMs as it has rows): say which it is."""


class DataFormatError(NeuroAlignError, ValueError):
    """A file's content does not fit what its reader expects; the message names the file and the field at fault.

    Parameters
    ----------
    path : path-like
        The file at fault.
    field : str
        The header field, variable, column or attribute at fault (``"shape"``, ``"events"``, ``"RDMs.name"``).
    message : str
        What is wrong and what to do.
    """

    def __init__(self, path: str | os.PathLike[str], field: str, message: str) -> None:
        self.path, self.field, self.message = os.fspath(path), field, message
        super().__init__(f"{self.path}: {field}: {message}")


class ConditionMismatchError(DataFormatError, StimulusMismatchError):
    """A recording's conditions (event codes, labels) do not match the dataset's stimulus set."""


class InvalidPatternsError(NeuroAlignError, ValueError):
    """Response patterns contain values an engine cannot use (NaN, Inf)."""


class DegeneratePatternError(InvalidPatternsError):
    """A pattern is constant or all-zero where the distance needs variance or a norm."""


class NotEnoughRunsError(NeuroAlignError, ValueError):
    """A cross-validated computation got fewer independent runs than it needs."""


class InvalidOptionError(NeuroAlignError, ValueError):
    """An option does not fit the computation or the data (normalize, noise, chunking, device, dtype)."""


class DeviceUnavailableError(InvalidOptionError):
    """A device was requested that torch cannot use here (CUDA on a machine without a GPU, ``cuda:3`` of two).

    Raised only by :func:`neuroalign.backend.resolve_device`, for every function that takes ``device``.
    """


class UnknownNameError(NeuroAlignError, LookupError):
    """A name (distance, comparator, ...) is not registered."""

    __str__ = _message_as_given  # LookupError would otherwise quote the message like a dict key


class InsufficientMemoryError(NeuroAlignError, MemoryError):
    """A memory preflight estimated that a computation would not fit; the message gives the sizes and the options."""


class PluginError(NeuroAlignError):
    """Base class of the errors a plugin (or a request for one) can cause."""


class BrokenPluginError(PluginError, ImportError):
    """A plugin's entry point could not be resolved: its module failed to import or lacks the named attribute."""


class PluginConflictError(PluginError, LookupError):
    """Two distributions register the same id in the same group; neither is used until one is uninstalled."""

    __str__ = _message_as_given  # LookupError would otherwise quote the message like a dict key


class PluginContractError(PluginError, TypeError):
    """A plugin resolved, but to an object that does not fit its group's contract (see docs/plugins.md)."""


# --- errors of the engines (RDM comparison, statistics, analyses): one module for the base and engine layers ---


class MissingPairsError(InvalidRDMError):
    """An RDM has missing (NaN) pairs that the chosen comparator or ``nan_policy`` cannot handle."""


class DegenerateRDMError(InvalidRDMError):
    """An RDM has no variance (or no norm) where the comparator divides by it, e.g. a constant RDM under Pearson."""


class InvalidSigmaError(NeuroAlignError, ValueError):
    """A pattern covariance ``sigma_k`` has the wrong shape or is not positive definite."""


class NotEnoughStimuliError(NeuroAlignError, ValueError):
    """A resample (or the data) has fewer distinct stimuli than a comparison of RDMs needs."""


class TimeAxisError(NeuroAlignError, ValueError):
    """A recording has no time axis, two time axes differ, or a window does not fit the time axis."""


class SearchlightCentreError(NeuroAlignError, ValueError):
    """A searchlight centre lies outside the mask or its sphere holds too few voxels."""


class ClusterTestError(NeuroAlignError, ValueError):
    """The data of a cluster test cannot be tested (too few observations, times of the wrong length)."""


# --- errors of reading stimuli from disk (core; each names the file, folder or ids at fault) ---


class StimulusFileError(NeuroAlignError, ValueError):
    """A stimulus file (or folder, or table) is missing, unreadable, or not what its name says.

    Parameters
    ----------
    path : path-like
        The file at fault.
    reason : str
        What is wrong and what to do.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        super().__init__(f"{self.path}: {reason}")


class NoStimuliError(StimulusFileError):
    """A folder or table holds no stimuli of the kind asked for."""


class MixedImageSizesError(ShapeMismatchError):
    """Images of several sizes where one size was required (``same_size=True``); names the sizes and files."""
