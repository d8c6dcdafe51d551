"""The canonical JSON of request keys and stored parameters: :mod:`neuroalign.utils.canonical` (one rule set)."""

from neuroalign.utils.canonical import canonical_json, plain, strict_json

__all__ = ["canonical_json", "plain", "strict_json"]
