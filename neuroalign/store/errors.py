"""Exception types of the results store, defined in :mod:`neuroalign.errors.applications` (one errors module per
layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import NeuroAlignError
from neuroalign.errors.applications import (DuplicateResultError, MissingExtraError, RequestKeyMismatchError,
                                            StoreAccessError, StoreCopyError, StoreDamagedError, StoreDriverError,
                                            StoreError, StoreLockedError, StoreNotFoundError, StoreSchemaError)

__all__ = ["DuplicateResultError", "MissingExtraError", "NeuroAlignError", "RequestKeyMismatchError",
           "StoreAccessError", "StoreCopyError", "StoreDamagedError", "StoreDriverError", "StoreError",
           "StoreLockedError", "StoreNotFoundError", "StoreSchemaError"]
