"""The model-id grammar (now in :mod:`neuroalign.models.model_ids`, beside the adapters it loads, so that scoring
resolves model ids without importing the plugin catalogue; re-exported here)."""

from neuroalign.models.model_ids import (FEATURE_SUFFIXES, HOW_TO_NAME, is_features_file, load_features_model,
                                         unknown_model_error)

__all__ = ["FEATURE_SUFFIXES", "HOW_TO_NAME", "is_features_file", "load_features_model", "unknown_model_error"]
