"""One canonical JSON for every hash: the results store's request keys, the activation cache's keys and headers, the
alignment fingerprints. Stored keys must not change, so each user's text is checked against the code it replaced
(frozen below as it was on main) and pinned to the values main computed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroalign.alignment.sources import _sha256 as alignment_fingerprint
from neuroalign.cache.key import cache_key
from neuroalign.cache.key import canonical_json as cache_json
from neuroalign.cache.seal import _meta_line
from neuroalign.store.key import request_key
from neuroalign.utils.canonical import canonical_json, digest


# --- the three serialisers as they were before they were unified (neuroalign 0.1.0) ------------------------------
def _old_cache_default(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def old_cache_json(doc):
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=_old_cache_default)


def old_alignment_fingerprint(doc):
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def old_seal_line(meta):
    return json.dumps(meta, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


# What the cache, the seal and the fingerprints hash: adapter fingerprints, preprocessing parameters, key fields.
_scalars = (st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=True, allow_infinity=True)
            | st.text(max_size=8) | st.integers(-1000, 1000).map(np.int64) | st.floats(width=32).map(np.float32)
            | st.floats().map(np.float64) | st.booleans().map(np.bool_))
_documents = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple)
                          | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=12)
_json_documents = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple)
    | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _documents, max_size=6))
def test_cache_keys_are_unchanged_for_every_document_of_json_values_and_numpy_scalars(doc):
    assert cache_json(doc) == old_cache_json(doc)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _json_documents, max_size=6))
def test_alignment_fingerprints_and_cache_seals_are_unchanged(doc):
    assert alignment_fingerprint(doc) == old_alignment_fingerprint(doc)
    assert _meta_line(doc) == old_seal_line(doc)


def test_keys_main_computed_are_pinned():
    """Values computed by main before the rules were unified (request key, cache key, two fingerprints)."""
    parameters = {"comparator": "spearman", "n_bootstrap": 1000, "seed": 0, "ratio": 0.1, "shape": (3, 4),
                  "tags": {"b", "a"}}
    assert request_key("m", "b", "1", parameters) == (
        "ecffebf327b45b625a650d191608c53dd6df8390bb13705a8012c9b2c3ee1139")
    preprocessing = {"kind": "ImageTransform", "size": 224, "mean": (0.485, 0.456, 0.406),
                     "std": (0.229, 0.224, 0.225), "interpolation": "bilinear", "resize": None}
    doc = {"model_id": "efficientnet-lite0", "model_class": "x.Y", "weights_sha256": "ab" * 32,
           "preprocessing": preprocessing, "modality": "image", "layers": ["blocks.0", "head"],
           "pooling": {"blocks.0": "mean", "head": "flatten"}, "n_stimuli": 92, "stimuli_sha256": "cd" * 32,
           "dtype": "float32", "neuroalign_version": "0.1.0", "cache_format": 2, "np": np.float64(0.5),
           "npi": np.int64(3), "ü": "é"}
    assert cache_key(doc) == "e14fe1ab82598c65cda44547fb6bb51273bb4326d127b8e4a48d548345287fb1"
    model = {"model_id": "efficientnet-lite0", "model_class": "x.Y", "weights_sha256": "ab" * 32,
             "preprocessing": preprocessing}
    assert alignment_fingerprint(model) == "ef1f3fe240fbb03c9f9fa17d96488bee381ca2b03090a5619022257d6201df30"
    assert alignment_fingerprint({"region": "ef" * 32}) == (
        "9cbd1665cc2c6486e1de4d01610a3874b4377e4cffcf0691a5b3a4b57b9aa4fa")


def test_one_rule_set_for_the_values_every_user_hashes():
    value = {"path": Path("/a/b"), "set": {10, 9}, "tuple": (1, 2), "numpy": np.arange(3), "nan": float("nan")}
    assert canonical_json(value) == '{"nan":NaN,"numpy":[0,1,2],"path":"/a/b","set":[10,9],"tuple":[1,2]}'
    assert digest(value) == hashlib.sha256(canonical_json(value).encode()).hexdigest()
