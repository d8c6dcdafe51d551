"""The memory preflight refuses, with the options, before an extraction that would not fit."""

from __future__ import annotations

import pytest
from models_helpers import tiny_adapter

from neuroalign.models import InsufficientMemoryError
from neuroalign.models.preflight import available_memory, estimate


def test_estimate_counts_bytes_per_layer():
    est = estimate({"a": 1000, "b": 10}, n_stimuli=50)
    assert est.per_layer == {"a": 200_000, "b": 2_000} and est.total == 202_000
    assert available_memory() is None or available_memory() > 0


def test_refuses_an_in_memory_result_too_large_with_options(images, cache):
    with pytest.raises(InsufficientMemoryError, match=r"(?s)need .* MB in memory.*0: .*pool.*fewer layers.*stream"):
        tiny_adapter().extract(images, ["0", "output"], cache=None, pooling="flatten", memory_limit=10_000)
    acts = tiny_adapter().extract(images, ["0", "output"], cache=None, pooling="spatial_mean", memory_limit=10_000)
    assert acts.n_units("0") == 6


def test_streaming_to_the_cache_needs_disk_not_memory(images, cache):
    acts = tiny_adapter().extract(images, ["0", "output"], cache=cache, pooling="flatten", memory_limit=10_000)
    assert acts.n_units("0") == 6 * 16 * 16
