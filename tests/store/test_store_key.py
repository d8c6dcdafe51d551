"""request_key: canonical, exact, and the same in every process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neuroalign.store import request_key

PARAMS = {"comparator": "spearman", "n_boot": 1000, "alpha": 0.05}

# the document of docs/results_store.md, byte for byte
DOCUMENTED = ('{"benchmark_id":"kriegeskorte92-it","benchmark_version":"1","key_format":1,"kind":"score",'
              '"model_id":"alexnet","parameters":{"alpha":0.05,"comparator":"spearman","n_boot":1000}}')


def test_the_key_is_the_sha256_of_the_documented_text():
    expected = hashlib.sha256(DOCUMENTED.encode("ascii")).hexdigest()
    assert request_key("alexnet", "kriegeskorte92-it", "1", PARAMS) == expected
    assert expected == "919f280de4b84ef25c05b6a06c0e4eccd041c61a0ac650be4300e8e43747e898"  # pinned across releases


def test_key_order_does_not_matter_at_any_depth():
    a = {"x": 1, "nested": {"p": [1, 2], "q": "s"}}
    b = {"nested": {"q": "s", "p": [1, 2]}, "x": 1}
    assert request_key("m", "b", "1", a) == request_key("m", "b", "1", b)


def test_floats_are_exact():
    base = request_key("m", "b", "1", {"alpha": 0.1})
    assert request_key("m", "b", "1", {"alpha": float(np.nextafter(0.1, 1.0))}) != base
    assert request_key("m", "b", "1", {"alpha": 0.1 + 0.2}) != request_key("m", "b", "1", {"alpha": 0.3})
    assert request_key("m", "b", "1", {"n": 1}) != request_key("m", "b", "1", {"n": 1.0})
    assert request_key("m", "b", "1", {"n": 1}) != request_key("m", "b", "1", {"n": True})
    assert request_key("m", "b", "1", {"x": float("nan")}) != request_key("m", "b", "1", {"x": None})


def test_numpy_values_key_like_their_python_values():
    numpy_form = {"a": np.float64(0.5), "b": np.arange(3), "c": np.int32(4), "d": np.bool_(True), "e": (1, 2),
                  "f": np.float32(0.1)}
    python_form = {"a": 0.5, "b": [0, 1, 2], "c": 4, "d": True, "e": [1, 2], "f": float(np.float32(0.1))}
    assert request_key("m", "b", "1", numpy_form) == request_key("m", "b", "1", python_form)


def test_ids_version_kind_and_parameters_change_the_key():
    base = request_key("m", "b", "1", PARAMS)
    others = [request_key("m2", "b", "1", PARAMS), request_key("m", "b2", "1", PARAMS),
              request_key("m", "b", "2", PARAMS), request_key("m", "b", "1", {**PARAMS, "layer": "fc6"}),
              request_key("m", "b", "1", PARAMS, kind="alignment"), request_key("m", "b", "1", {**PARAMS, "seed": 0})]
    assert len({base, *others}) == 7


def test_values_without_an_exact_form_are_refused():
    with pytest.raises(TypeError, match="mapping keys must be strings"):
        request_key("m", "b", "1", {1: "a"})
    with pytest.raises(TypeError, match="cannot use a object"):
        request_key("m", "b", "1", {"x": object()})


def test_another_process_computes_the_same_key():
    code = ("import numpy as np; from neuroalign.store import request_key; "
            "print(request_key('m', 'b', '1', {'z': np.float64(0.1), 'a': {'k': (1, 2.5)}, 's': {'y', 'x'}}, "
            "kind='layer_sweep'))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # a different set/str hash order must not matter
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                         cwd=Path(__file__).resolve().parents[2])
    here = request_key("m", "b", "1", {"a": {"k": [1, 2.5]}, "s": {"x", "y"}, "z": 0.1}, kind="layer_sweep")
    assert out.stdout.strip() == here


def test_an_int_version_keys_like_its_text_and_layer_and_seed_are_not_keyed():
    from neuroalign.core import Score
    from neuroalign.store import ResultRecord

    record = ResultRecord(Score(value=0.1, metric="x"), "m", "b", 3, {"n": 1}, layer=5, seed=2)
    assert record.layer == "5"
    assert record.request_key == request_key("m", "b", "3", {"n": 1}) == request_key("m", "b", 3, {"n": 1})
    with pytest.raises(TypeError, match="benchmark_version must be a string"):
        request_key("m", "b", True, {})
