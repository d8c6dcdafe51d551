"""Discovery and listing on the real installed plugins: the first-party models, neuroalign's own benchmarks,
datasets and metrics, all listed without importing torch."""

from __future__ import annotations

import subprocess
import sys

import pytest

from neuroalign.errors import UnknownNameError
from neuroalign.plugins import (GROUPS, KINDS, UnknownKindError, discover, get_plugin, list_plugins, parse_kind,
                                plugin_ids)

#: The first-party model plugins in plugins/, by id -> distribution (their pyproject.toml entry points).
FIRST_PARTY_MODELS = {"efficientnet-lite0": "neuroalign-efficientnet", "all-minilm-l6-v2": "neuroalign-minilm",
                      "smollm2-135m": "neuroalign-smollm2"}


def test_groups_are_the_four_documented_ones():
    assert GROUPS == {"model": "neuroalign.models", "dataset": "neuroalign.datasets",
                      "metric": "neuroalign.metrics", "benchmark": "neuroalign.benchmarks"}
    assert [parse_kind(k) for k in ("models", "model", "benchmarks")] == ["model", "model", "benchmark"]


def test_unknown_kind_suggests_the_close_one():
    with pytest.raises(UnknownKindError, match="Did you mean 'model'"):
        parse_kind("modle")


def test_first_party_models_are_discovered_from_metadata():
    found = {e.id: e for e in discover("model")}
    for model_id, distribution in FIRST_PARTY_MODELS.items():
        assert found[model_id].distribution == distribution
        assert found[model_id].value.endswith(":load")


def test_first_party_models_are_listed_with_their_docstrings():
    records = {r.id: r for r in list_plugins("models")}
    for model_id, distribution in FIRST_PARTY_MODELS.items():
        record = records[model_id]
        assert record.status == "ok" and record.distribution == distribution and record.kind == "model"
        assert record.description and "\n" not in record.description
    assert records["efficientnet-lite0"].description.startswith("The EfficientNet-Lite0 adapter")


def test_builtin_datasets_are_the_manifests_with_their_titles():
    from neuroalign.data.manifest import builtin_manifest_dir, read_manifest_file

    records = {r.id: r for r in list_plugins("datasets") if r.distribution == "neuroalign"}
    for path in builtin_manifest_dir().glob("*.toml"):
        assert records[path.stem].description == read_manifest_file(path).title


def test_builtin_metrics_are_listed_with_the_descriptions_their_entries_carry():
    from neuroalign.metrics.registry import metric_families

    records = {r.id: r for r in list_plugins("metrics") if r.distribution == "neuroalign"}
    families = {f.prefix: f for f in metric_families()}
    assert set(records) == set(families) and "cka.linear" in records and "rsa" in records
    assert all(records[p].description == families[p].description != "" for p in families)


def test_a_fixed_measure_takes_its_description_from_its_family_entry():
    from neuroalign.metrics import METRIC_FAMILIES, get_metric

    assert get_metric("cka.linear").info.description == METRIC_FAMILIES.get("cka.linear").description


def test_neuroalign_benchmarks_are_entry_points_like_any_plugin():
    benchmarks = [e for e in discover("benchmark") if e.distribution == "neuroalign"]
    if not benchmarks:
        pytest.skip("neuroalign's installed metadata registers no benchmark yet (reinstall it)")
    records = {r.id: r for r in list_plugins("benchmarks")}
    assert all(records[e.id].status == "ok" and records[e.id].description for e in benchmarks)


def test_listing_everything_is_sorted_by_kind_then_id():
    records = list_plugins()
    keys = [(KINDS.index(r.kind), r.id) for r in records]
    assert keys == sorted(keys) and {r.kind for r in records} >= {"model", "dataset", "metric"}


def test_unknown_id_suggests_close_matches():
    with pytest.raises(UnknownNameError, match="Did you mean 'efficientnet-lite0'"):
        get_plugin("model", "efficientnet-lite")
    assert "efficientnet-lite0" in plugin_ids("models")


def test_listing_and_resolving_models_imports_no_torch():
    # A fresh interpreter: in this one torch is likely imported by other tests already.
    code = ("import sys; from neuroalign.plugins import list_plugins; "
            "records = list_plugins(); assert all(r.obj is not None for r in records if r.value); "
            "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
