"""Exception types of the applications (docs/architecture.md): the results store, the distributed executors, the
report, the alignment study and the plugin catalogue.

They derive from the base types in :mod:`neuroalign.errors`; the packages' former ``errors`` modules
(``neuroalign.store.errors``, ``neuroalign.distributed.errors``, ``neuroalign.report.errors``,
``neuroalign.alignment.errors``, ``neuroalign.plugins.errors``) re-export them.
"""

from __future__ import annotations

from neuroalign.errors import (InvalidOptionError, NeuroAlignError, PluginError, StimulusMismatchError,
                               UnknownNameError, _message_as_given)


# --- the results store ---


class StoreError(NeuroAlignError):
    """Base class of every error the results store raises."""


class StoreLockedError(StoreError, TimeoutError):
    """Another connection held the store's write lock for longer than the busy timeout."""


class StoreSchemaError(StoreError, ValueError):
    """The file is not a neuroalign results store, or one written by a newer neuroalign; it was left unchanged."""


class StoreDamagedError(StoreSchemaError):
    """The store's SQLite file is damaged (SQLite reports a malformed database image); it was left unchanged."""


class StoreAccessError(StoreError, OSError):
    """The store's file cannot be created or opened where it was asked for (no such folder, no permission)."""


class StoreNotFoundError(StoreError, FileNotFoundError):
    """A command that only reads results was given a store path where there is no store."""


class DuplicateResultError(StoreError, ValueError):
    """A result with the same request key is already stored and ``replace=True`` was not given."""


class RequestKeyMismatchError(StoreError, ValueError):
    """The key a caller gave :meth:`ResultsStore.put` is not the key of the record it is storing."""


class StoreDriverError(StoreError, ImportError):
    """A PostgreSQL store was asked for, and its driver (psycopg) is not installed."""


class MissingExtraError(StoreError, ImportError):
    """An optional export was asked for, and the package it needs (an extra of neuroalign) is not installed."""


class StoreCopyError(StoreError):
    """``store copy`` read a row back from the destination that differs from the source row it wrote."""


# --- distributed execution ---


class DistributedError(NeuroAlignError, RuntimeError):
    """Base class of the errors raised while running a grid on an executor."""


class UnshippableModelError(DistributedError, TypeError):
    """A model adapter given as an object cannot be pickled to a worker (give its registered id instead)."""


class ExecutorOptionError(InvalidOptionError):
    """An executor was configured with options that contradict each other or are malformed."""


# --- the report: its plots and its HTML page ---


class PlotInputError(NeuroAlignError, ValueError):
    """A plot was given data it cannot draw (wrong shape, missing column, unknown label or format)."""


class EmptyStoreError(NeuroAlignError, ValueError):
    """The results store holds no score to report (or none of the benchmarks asked for)."""


# --- the alignment study: bad sources, stimuli that do not fit, metrics that cannot run ---


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


# --- the plugin catalogue (the errors registries below it raise are in neuroalign.errors) ---


class UnknownKindError(UnknownNameError):
    """A plugin kind that is none of model, dataset, metric, benchmark."""


class InvalidPluginNameError(PluginError, ValueError):
    """A name that cannot be a plugin id, a distribution name and a Python package name at once."""


class TargetExistsError(PluginError, FileExistsError):
    """The folder a new plugin would be written to exists already; nothing is ever overwritten."""


class DistributionNotFoundError(PluginError, LookupError):
    """No installed distribution has the name given to ``neuroalign plugin check``."""

    __str__ = _message_as_given  # LookupError would otherwise quote the message like a dict key
