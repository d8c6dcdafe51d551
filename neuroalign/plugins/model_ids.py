"""The model-id grammar (now :mod:`neuroalign.core.model_ids`; loading by id is
:mod:`neuroalign.models.model_ids`, beside the adapters it loads); re-exported here."""

from __future__ import annotations

from typing import Any

from neuroalign.core.model_ids import FEATURE_SUFFIXES, HOW_TO_NAME, is_features_file, unknown_model_error

__all__ = ["FEATURE_SUFFIXES", "HOW_TO_NAME", "is_features_file", "load_features_model", "unknown_model_error"]


def load_features_model(path: str) -> Any:
    """A precomputed model over a features file: see :func:`neuroalign.models.model_ids.load_features_model`."""
    # neuroalign.models imports torch when the package loads: listing models reads this module, loading may not.
    from neuroalign.models.model_ids import load_features_model as load

    return load(path)
